using System.Globalization;
using System.Runtime.CompilerServices;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;

namespace BillingPortal.Benchmarks;

/// <summary>
/// A statement of <c>lines</c> synthetic but realistic ledger lines, built with the real record types and never held in
/// memory: each walk of <see cref="StatementDocument.Lines"/> regenerates the same lines from the seed, as the composer
/// re-reads the database. About 95.5% sales, 3.5% refunds (fees and commission returned) and 1% chargebacks (not
/// returned), over six events, five payment methods, Lima dates spread in order over the period, amounts in céntimos
/// (commission 5% + S/ 1.00 per ticket plus 18% IGV, Mercado Pago 3.99% plus IGV). The summary, per-event breakdown and
/// balance are the sums of those same lines, so the «Resumen» agrees with the «Movimientos».
/// </summary>
internal static class SyntheticStatement
{
    private static readonly (string Name, int Price)[] Events =
    [
        ("Festival Pacífico 2026", 250), ("Noche de Salsa en Barranco", 80), ("Rock en el Parque — Lima", 150),
        ("Teatro: La Casa de Bernarda Alba", 45), ("Concierto Sinfónico de Año Nuevo", 120), ("Feria Gastronómica del Sur", 35),
    ];

    private static readonly (string Method, string Type, int ReleaseDays)[] Methods =
    [
        ("visa", "credit_card", 14), ("master", "credit_card", 14), ("visa", "debit_card", 7), ("yape", "account_money", 2), ("pagoefectivo_atm", "ticket", 4),
    ];

    private static readonly string[] Names = ["carmen.flores", "jose.quispe", "maria.huaman", "luis.rojas", "ana.torres", "diego.mendoza", "rosa.chavez", "pedro.vargas"];
    private static readonly string[] Domains = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.es", "pucp.edu.pe"];

    public static StatementDocument Create(int lines, DatePeriod period, int seed)
    {
        var calendar = AccountingCalendar.Lima;
        var asOf = calendar.StartOfDayUtc(period.To.AddDays(1)).AddTicks(-1);
        var asOfDate = period.To;

        // One walk for the sums (not timed by the benchmark), then the document whose lines walk again on each call.
        var kinds = new Dictionary<LedgerEntryKind, KindTotals>();
        var events = new Dictionary<string, BreakdownRow>();
        decimal credited = 0, pending = 0, held = 0;
        foreach (var l in Generate(lines, period, seed, asOfDate))
        {
            kinds[l.Kind] = kinds.TryGetValue(l.Kind, out var k)
                ? k with { Entries = k.Entries + 1, Tickets = k.Tickets + l.Tickets, Gross = k.Gross + l.Gross, MercadoPagoFee = k.MercadoPagoFee + l.MercadoPagoFee, CommissionBase = k.CommissionBase + l.CommissionBase, CommissionIgv = k.CommissionIgv + l.CommissionIgv, OtherFees = k.OtherFees + l.OtherFees, Net = k.Net + l.Net }
                : new KindTotals(l.Kind, 1, l.Tickets, l.Gross, l.MercadoPagoFee, l.CommissionBase, l.CommissionIgv, l.OtherFees, l.Net);
            var e = events.TryGetValue(l.EventName!, out var row) ? row : new BreakdownRow(l.EventName!, l.EventName!, 0, 0, 0m, 0m, 0m, 0m, 0m, 0m);
            events[l.EventName!] = e with
            {
                Sales = e.Sales + (l.Kind == LedgerEntryKind.Sale ? 1 : 0),
                TicketsSold = e.TicketsSold + (l.Kind == LedgerEntryKind.Sale ? l.Tickets : 0),
                GrossSales = e.GrossSales + (l.Kind == LedgerEntryKind.Sale ? l.Gross : 0m),
                Refunds = e.Refunds + (l.Kind == LedgerEntryKind.Refund ? l.Gross : 0m),
                Chargebacks = e.Chargebacks + (l.Kind == LedgerEntryKind.Chargeback ? l.Gross : 0m),
                MercadoPagoFees = e.MercadoPagoFees + l.MercadoPagoFee,
                Commission = e.Commission + l.CommissionBase + l.CommissionIgv,
                Net = e.Net + l.Net,
            };
            switch (l.ReleaseStatus)
            {
                case StatementReleaseStatus.Credited: credited += l.Net; break;
                case StatementReleaseStatus.Held: held += l.Net; break;
                default: pending += l.Net; break;
            }
        }

        var header = new StatementHeader("Plataforma de Entradas S.A.C.", "20100070970", 1, "Pacífico Producciones S.A.C.", TaxIdKind.Ruc, "20601234567",
            period, null, null, "EC-2026-10-000001", asOf, calendar.TimeZone.Id);
        var policy = new StatementPolicy("Estándar 5% + S/ 1.00", 0.05m, 1.00m, Money.IgvRate, true, true, false, false);
        return new StatementDocument(header, LedgerSummaries.FromKinds(period, [.. kinds.Values]), new BalanceSnapshot(asOf, credited, pending, held, []),
            [.. events.Values.OrderByDescending(e => e.Net)], policy, lines, ct => LinesAsync(lines, period, seed, asOfDate, ct));
    }

    private static async IAsyncEnumerable<StatementLine> LinesAsync(int lines, DatePeriod period, int seed, DateOnly asOfDate, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var i = 0;
        foreach (var line in Generate(lines, period, seed, asOfDate))
        {
            // A database read hands rows over asynchronously now and then; so does this stream.
            if ((++i & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }

            yield return line;
        }
    }

    private static IEnumerable<StatementLine> Generate(int lines, DatePeriod period, int seed, DateOnly asOfDate)
    {
        var random = new Random(seed);
        var start = period.From.ToDateTime(TimeOnly.MinValue);
        var span = (period.To.DayNumber - period.From.DayNumber + 1) * 86_400d;
        const long FirstPaymentId = 131_000_000_000;
        for (var i = 0; i < lines; i++)
        {
            var local = start.AddSeconds(Math.Floor((i + random.NextDouble() * 0.999) * span / lines));
            var date = DateOnly.FromDateTime(local);
            var (eventName, price) = Events[random.Next(Events.Length)];
            var (method, type, releaseDays) = Methods[random.Next(Methods.Length)];
            var tickets = random.Next(100) switch { < 55 => 1, < 85 => 2, < 95 => 3, _ => 4 };
            var gross = price * tickets * 100L;
            var mercadoPago = Cents(gross * 0.0399m * (1 + Money.IgvRate));
            var commission = Cents(gross * 0.05m) + 100L * tickets;
            var igv = Cents(commission * Money.IgvRate);
            var roll = random.Next(1000);
            var kind = roll < 955 ? LedgerEntryKind.Sale : roll < 990 ? LedgerEntryKind.Refund : LedgerEntryKind.Chargeback;
            long paymentId;
            long g, f, c, t;
            int n;
            PaymentStatus status;
            switch (kind)
            {
                case LedgerEntryKind.Sale:
                    paymentId = FirstPaymentId + (i * 7L);
                    (g, f, c, t, n, status) = (gross, -mercadoPago, -commission, -igv, tickets, PaymentStatus.Approved);
                    break;
                case LedgerEntryKind.Refund:
                    paymentId = FirstPaymentId + (random.Next(Math.Max(1, i)) * 7L);
                    (g, f, c, t, n, status) = (-gross, mercadoPago, commission, igv, -tickets, PaymentStatus.Refunded);
                    break;
                default:
                    paymentId = FirstPaymentId + (random.Next(Math.Max(1, i)) * 7L);
                    (g, f, c, t, n, status) = (-gross, 0, 0, 0, -tickets, PaymentStatus.ChargedBack);
                    break;
            }

            var release = date.AddDays(releaseDays);
            var releaseStatus = kind == LedgerEntryKind.Chargeback && random.Next(3) == 0
                ? StatementReleaseStatus.Held
                : release <= asOfDate ? StatementReleaseStatus.Credited : StatementReleaseStatus.Pending;
            var email = Names[random.Next(Names.Length)] + (i % 997).ToString(CultureInfo.InvariantCulture) + "@" + Domains[random.Next(Domains.Length)];
            yield return new StatementLine(
                local, paymentId, "PF-" + date.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + (paymentId % 10_000_000).ToString("D7", CultureInfo.InvariantCulture),
                eventName, method, type, kind, status, n,
                g / 100m, f / 100m, c / 100m, t / 100m, 0m, (g + f + c + t) / 100m,
                release, releaseStatus, PersonalDataMask.Email(email));
        }
    }

    private static long Cents(decimal value) => (long)Math.Round(value, 0, MidpointRounding.AwayFromZero);
}
