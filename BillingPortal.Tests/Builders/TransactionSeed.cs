using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;

namespace BillingPortal.Tests.Builders;

/// <summary>
/// A deterministic mix of payments for the transactions list: every status, several methods and release states,
/// refunds, chargebacks, ties on the creation instant and on the amount, emails in mixed case, over March 2026 in Lima.
/// </summary>
internal static class TransactionSeed
{
    public static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    /// <summary>"Now" for these payments: 20 March 2026 10:00 Lima (some release dates are before, some after).</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 20, 10, 0, 0, Lima);

    public static readonly string[] Methods = ["visa", "master", "yape", "pagoefectivo_atm"];

    public static List<Payment> Payments(int organizerId, IReadOnlyList<int> eventIds, int count, int seed, long firstId)
    {
        var rng = new Random(seed);
        var list = new List<Payment>();
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, Lima);
        for (var i = 0; i < count; i++)
        {
            // Every fifth payment shares the previous one's instant (ties broken by id); amounts repeat often.
            var created = i % 5 == 4 && list.Count > 0 ? list[^1].DateCreated : start.AddMinutes(rng.Next(0, 31 * 24 * 60));
            var amount = new[] { 50.00m, 80.00m, 150.00m, 99.99m, 1_250.00m }[rng.Next(5)];
            var mpFee = Money.Round2(amount * 0.0472m);
            var appFee = Money.Round2(amount * 0.05m);
            var builder = new PaymentBuilder().WithId(firstId + i).ForOrganizer(organizerId)
                .WithAmounts(amount, mpFee, appFee, i % 11 == 0 ? 1.50m : 0m)
                .WithTickets(1 + rng.Next(4))
                .ApprovedAt(created.AddSeconds(2));
            var eventChoice = rng.Next(eventIds.Count + 1);
            if (eventChoice < eventIds.Count) builder.WithEvent(eventIds[eventChoice]);
            var release = created.AddDays(rng.Next(3, 30));
            builder.WithRelease(release, (i % 4) switch
            {
                0 => MoneyReleaseStatus.Released,
                1 => MoneyReleaseStatus.Pending,
                _ => release < Now ? null : MoneyReleaseStatus.Pending,
            });
            if (i % 4 == 3) builder.WithRelease(release, null);

            switch (rng.Next(12))
            {
                case 0:
                    builder.WithStatus(PaymentStatus.Rejected, "cc_rejected_other_reason").WithRelease(null, null);
                    break;
                case 1:
                    builder.WithStatus(PaymentStatus.Pending, "pending_waiting_payment").WithRelease(null, null);
                    break;
                case 2:
                    builder.WithRefund(Money.Round2(amount / 2), created.AddDays(2));
                    break;
                case 3:
                    builder.WithRefund(amount, created.AddDays(1)).WithStatus(PaymentStatus.Refunded, "refunded");
                    break;
                case 4:
                    builder.WithStatusChange(PaymentStatus.ChargedBack, "settled", created.AddDays(5));
                    break;
                case 5:
                    builder.WithStatusChange(PaymentStatus.InMediation, "in_process", created.AddDays(3));
                    break;
            }

            var payment = builder.Build();
            payment.DateCreated = created;
            if (payment.DateApproved is { } approved && approved < created) payment.DateApproved = created;
            payment.PaymentMethodId = Methods[rng.Next(Methods.Length)];
            payment.PaymentTypeId = payment.PaymentMethodId is "yape" ? "account_money" : payment.PaymentMethodId.StartsWith("pago", StringComparison.Ordinal) ? "ticket" : "credit_card";
            payment.ExternalReference = $"ord_{organizerId}_{i:D4}";
            payment.PayerEmail = i % 7 == 0 ? $"Comprador.{i}@Example.COM" : $"comprador.{i}@example.com";
            payment.PayerIdentificationType = "DNI";
            payment.PayerIdentificationNumber = (45_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            list.Add(payment);
        }

        return list;
    }

    /// <summary>The reference: the filters applied in memory, with the ledger engine's release rules.</summary>
    public static IEnumerable<Payment> Apply(IEnumerable<Payment> payments, TransactionFilter filter, DateTimeOffset now)
    {
        var calendar = AccountingCalendar.Lima;
        var search = filter.Search?.Trim();
        return payments.Where(p =>
            (filter.From is null || calendar.LocalDate(p.DateCreated) >= filter.From)
            && (filter.To is null || calendar.LocalDate(p.DateCreated) <= filter.To)
            && (filter.EventId is null || p.EventId == filter.EventId)
            && (filter.Status is null || p.Status == filter.Status)
            && (filter.PaymentMethodId is null || p.PaymentMethodId == filter.PaymentMethodId)
            && (filter.HasRefund is null || (p.TransactionAmountRefunded > 0) == filter.HasRefund)
            && (filter.Release is null || ReleaseOf(p, now) == filter.Release)
            && (string.IsNullOrEmpty(search)
                || p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == search
                || (p.ExternalReference?.StartsWith(search, StringComparison.Ordinal) ?? false)
                || (search.Contains('@', StringComparison.Ordinal) && string.Equals(p.PayerEmail, search, StringComparison.OrdinalIgnoreCase))));
    }

    public static IEnumerable<Payment> Sort(IEnumerable<Payment> payments, TransactionSort sort) => sort switch
    {
        TransactionSort.DateDescending => payments.OrderByDescending(p => p.DateCreated).ThenByDescending(p => p.Id),
        TransactionSort.DateAscending => payments.OrderBy(p => p.DateCreated).ThenBy(p => p.Id),
        TransactionSort.AmountDescending => payments.OrderByDescending(p => p.TransactionAmount).ThenByDescending(p => p.Id),
        TransactionSort.AmountAscending => payments.OrderBy(p => p.TransactionAmount).ThenBy(p => p.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(sort)),
    };

    /// <summary>Independent of TransactionQueries: the ledger engine's state and credit rule.</summary>
    public static TransactionRelease ReleaseOf(Payment p, DateTimeOffset now)
    {
        if (!LedgerEngine.IsSaleStatus(p.Status)) return TransactionRelease.None;
        var state = LedgerEngine.ReleaseStateOf(p);
        if (state == ReleaseState.Held) return TransactionRelease.Held;
        var probe = new LedgerEntry { ReleaseState = state, MoneyReleaseDate = p.MoneyReleaseDate };
        return LedgerEngine.IsCredited(probe, now) ? TransactionRelease.Credited : TransactionRelease.Pending;
    }
}
