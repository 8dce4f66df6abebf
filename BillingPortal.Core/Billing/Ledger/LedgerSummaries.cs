using BillingPortal.Core.Common;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// A period's figures, every one a sum over the period's ledger entries (PEN only), signed as the entries are:
/// charges are negative. <c>Net</c> = gross sales + refunds + chargebacks + every fee column.
/// </summary>
public sealed record PeriodSummary(
    DatePeriod Period,
    int Sales,
    int TicketsSold,
    int TicketsNet,
    decimal GrossSales,
    int RefundCount,
    decimal Refunds,
    int ChargebackCount,
    decimal Chargebacks,
    decimal MercadoPagoFees,
    decimal CommissionBase,
    decimal CommissionIgv,
    decimal OtherFees,
    decimal Net)
{
    /// <summary>The platform commission including its IGV.</summary>
    public decimal Commission => CommissionBase + CommissionIgv;

    public static PeriodSummary Empty(DatePeriod period) => new(period, 0, 0, 0, 0m, 0, 0m, 0, 0m, 0m, 0m, 0m, 0m, 0m);
}

/// <summary>Where the organizer's money stands as of an instant: credited, pending release, held in disputes.</summary>
public sealed record BalanceSnapshot(
    DateTimeOffset AsOf,
    decimal Credited,
    decimal Pending,
    decimal Held,
    IReadOnlyList<UpcomingRelease> NextReleases);

/// <summary>Net money expected to be credited on a local date.</summary>
public sealed record UpcomingRelease(DateOnly Date, decimal Amount, int Payments);

/// <summary>The sums of one kind of ledger entry (as the database groups them): the input of <see cref="LedgerSummaries.FromKinds"/>.</summary>
public sealed record KindTotals(LedgerEntryKind Kind, int Entries, int Tickets, decimal Gross, decimal MercadoPagoFee, decimal CommissionBase, decimal CommissionIgv, decimal OtherFees, decimal Net);

/// <summary>In-memory aggregation of ledger entries: the reference the database queries must agree with.</summary>
public static class LedgerSummaries
{
    /// <summary>A period's summary from per-kind sums (the ledger queries and the rollup queries both end here).</summary>
    public static PeriodSummary FromKinds(DatePeriod period, IReadOnlyCollection<KindTotals> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sale = rows.FirstOrDefault(r => r.Kind == LedgerEntryKind.Sale);
        var refund = rows.FirstOrDefault(r => r.Kind == LedgerEntryKind.Refund);
        var chargeback = rows.FirstOrDefault(r => r.Kind == LedgerEntryKind.Chargeback);
        return new PeriodSummary(
            period,
            Sales: sale?.Entries ?? 0,
            TicketsSold: sale?.Tickets ?? 0,
            TicketsNet: rows.Sum(r => r.Tickets),
            GrossSales: sale?.Gross ?? 0m,
            RefundCount: refund?.Entries ?? 0,
            Refunds: refund?.Gross ?? 0m,
            ChargebackCount: chargeback?.Entries ?? 0,
            Chargebacks: rows.Where(r => r.Kind is LedgerEntryKind.Chargeback or LedgerEntryKind.ChargebackReversal).Sum(r => r.Gross),
            MercadoPagoFees: rows.Sum(r => r.MercadoPagoFee),
            CommissionBase: rows.Sum(r => r.CommissionBase),
            CommissionIgv: rows.Sum(r => r.CommissionIgv),
            OtherFees: rows.Sum(r => r.OtherFees),
            Net: rows.Sum(r => r.Net));
    }

    /// <summary>Sums the PEN entries whose local date falls in the period.</summary>
    public static PeriodSummary Summarize(IEnumerable<LedgerEntry> entries, DatePeriod period)
    {
        int sales = 0, ticketsSold = 0, ticketsNet = 0, refundCount = 0, chargebackCount = 0;
        decimal gross = 0, refunds = 0, chargebacks = 0, mp = 0, cBase = 0, cIgv = 0, other = 0, net = 0;
        foreach (var e in entries)
        {
            if (!period.Contains(e.LocalDate) || e.Currency != Money.Pen) continue;
            switch (e.Kind)
            {
                case LedgerEntryKind.Sale:
                    sales++;
                    ticketsSold += e.Tickets;
                    gross += e.Gross;
                    break;
                case LedgerEntryKind.Refund:
                    refundCount++;
                    refunds += e.Gross;
                    break;
                case LedgerEntryKind.Chargeback:
                    chargebackCount++;
                    chargebacks += e.Gross;
                    break;
                case LedgerEntryKind.ChargebackReversal:
                    chargebacks += e.Gross;
                    break;
            }

            ticketsNet += e.Tickets;
            mp += e.MercadoPagoFee;
            cBase += e.CommissionBase;
            cIgv += e.CommissionIgv;
            other += e.OtherFees;
            net += e.Net;
        }

        return new PeriodSummary(period, sales, ticketsSold, ticketsNet, gross, refundCount, refunds, chargebackCount,
            chargebacks, mp, cBase, cIgv, other, net);
    }

    /// <summary>
    /// Credited, pending and held as of an instant, over the PEN entries that happened by then, and the next
    /// release dates (local) with the pending net due on each.
    /// </summary>
    public static BalanceSnapshot Balance(IEnumerable<LedgerEntry> entries, DateTimeOffset asOf, int maxReleases = 5)
    {
        decimal credited = 0, pending = 0, held = 0;
        var upcoming = new Dictionary<DateOnly, (decimal Amount, HashSet<long> Payments)>();
        foreach (var e in entries)
        {
            if (e.OccurredAt > asOf || e.Currency != Money.Pen) continue;
            if (e.ReleaseState == ReleaseState.Held)
            {
                held += e.Net;
            }
            else if (LedgerEngine.IsCredited(e, asOf))
            {
                credited += e.Net;
            }
            else
            {
                pending += e.Net;
                if (e.ReleaseLocalDate is { } day)
                {
                    var slot = upcoming.TryGetValue(day, out var s) ? s : (Amount: 0m, Payments: new HashSet<long>());
                    slot.Payments.Add(e.PaymentId);
                    upcoming[day] = (slot.Amount + e.Net, slot.Payments);
                }
            }
        }

        var next = upcoming.Where(kv => kv.Value.Amount != 0m)
            .OrderBy(kv => kv.Key)
            .Take(maxReleases)
            .Select(kv => new UpcomingRelease(kv.Key, kv.Value.Amount, kv.Value.Payments.Count))
            .ToList();
        return new BalanceSnapshot(asOf, credited, pending, held, next);
    }
}
