using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>Period summaries and the credited/pending/held balance, summed from ledger entries.</summary>
public sealed class LedgerSummariesTests
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly DatePeriod March = DatePeriod.Month(2026, 3);
    private static readonly DatePeriod April = DatePeriod.Month(2026, 4);

    private static List<LedgerEntry> Ledger(params Payment[] payments) =>
        [.. payments.SelectMany(p => LedgerEngine.Compute(p, LedgerPolicy.Default, AccountingCalendar.Lima))];

    /// <summary>
    /// P1 sale 150.00 on 14 March (net 135.42). P2 sale 99.99 on 2 March (net 90.27), refund 33.33 on 5 March (net −30.09).
    /// P3 sale 150.00 at 23:59:59 on 31 March, fully refunded at 00:00:00 on 1 April (April's line).
    /// P4 a USD sale in March (never summed). P5 sale on 20 February, chargeback on 10 March, reimbursed on 20 March.
    /// P6 rejected (no lines).
    /// </summary>
    private static List<LedgerEntry> MarchLedger() => Ledger(
        new PaymentBuilder().Build(),
        new PaymentBuilder().WithAmounts(99.99m, 4.72m, 5.00m).ApprovedAt(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Lima))
            .WithRefund(33.33m, new DateTimeOffset(2026, 3, 5, 9, 0, 0, Lima)).Build(),
        new PaymentBuilder().ApprovedAt(new DateTimeOffset(2026, 3, 31, 23, 59, 59, Lima))
            .WithRefund(150.00m, new DateTimeOffset(2026, 4, 1, 0, 0, 0, Lima)).WithStatus(PaymentStatus.Refunded, "refunded").Build(),
        new PaymentBuilder().WithCurrency("USD").ApprovedAt(new DateTimeOffset(2026, 3, 10, 10, 0, 0, Lima)).Build(),
        new PaymentBuilder().ApprovedAt(new DateTimeOffset(2026, 2, 20, 10, 0, 0, Lima))
            .WithStatusChange(PaymentStatus.ChargedBack, "in_process", new DateTimeOffset(2026, 3, 10, 10, 0, 0, Lima))
            .WithStatusChange(PaymentStatus.ChargedBack, "reimbursed", new DateTimeOffset(2026, 3, 20, 10, 0, 0, Lima)).Build(),
        new PaymentBuilder().WithStatus(PaymentStatus.Rejected, "cc_rejected_other_reason").Build());

    [Fact]
    public void Summarize_March_AddsTheMonthsPenLinesOnly()
    {
        // Sales in March: P1 150.00 + P2 99.99 + P3 150.00 = 399.99 (3 sales, 6 tickets); the USD sale is left out.
        // Refunds: P2 −33.33 (P3's refund is April's). Chargebacks: P5 −150.00 + reversal +150.00 = 0.00 (1 chargeback).
        // MP: −7.08 − 4.72 + 1.57 − 7.08 = −17.31. Base: −6.36 − 4.24 + 1.42 − 6.36 = −15.54. IGV: −1.14 − 0.76 + 0.25 − 1.14 = −2.79.
        // Net: 135.42 + 90.27 − 30.09 + 135.42 + 0.00 = 331.02 = 399.99 − 33.33 + 0 − 17.31 − 15.54 − 2.79.
        var entries = MarchLedger();

        var summary = LedgerSummaries.Summarize(entries, March);

        Assert.Equal(new PeriodSummary(March, Sales: 3, TicketsSold: 6, TicketsNet: 6, GrossSales: 399.99m, RefundCount: 1, Refunds: -33.33m,
            ChargebackCount: 1, Chargebacks: 0m, MercadoPagoFees: -17.31m, CommissionBase: -15.54m, CommissionIgv: -2.79m, OtherFees: 0m,
            Net: 331.02m), summary);
        Assert.Equal(-18.33m, summary.Commission);
    }

    [Fact]
    public void Summarize_April_HoldsTheRefundDatedAtMidnight()
    {
        // P3's full refund at 00:00:00 on 1 April: −150.00, MP +7.08, base +6.36, IGV +1.14, net −135.42, −2 tickets.
        var summary = LedgerSummaries.Summarize(MarchLedger(), April);

        Assert.Equal(new PeriodSummary(April, 0, 0, -2, 0m, 1, -150.00m, 0, 0m, 7.08m, 6.36m, 1.14m, 0m, -135.42m), summary);
    }

    [Fact]
    public void Summarize_OnlyForeignCurrency_IsEmpty()
    {
        var entries = Ledger(new PaymentBuilder().WithCurrency("USD").Build(), new PaymentBuilder().WithCurrency("BRL").Build());

        Assert.Equal(PeriodSummary.Empty(March), LedgerSummaries.Summarize(entries, March));
    }

    [Fact]
    public void Summarize_SingleDayPeriod_IncludesTheWholeLimaDay()
    {
        var entries = Ledger(
            new PaymentBuilder().ApprovedAt(new DateTimeOffset(2026, 3, 31, 0, 0, 0, Lima)).Build(),
            new PaymentBuilder().ApprovedAt(new DateTimeOffset(2026, 3, 31, 23, 59, 59, Lima)).Build(),
            new PaymentBuilder().ApprovedAt(new DateTimeOffset(2026, 4, 1, 0, 0, 0, Lima)).Build(),
            new PaymentBuilder().ApprovedAt(new DateTimeOffset(2026, 3, 30, 23, 59, 59, Lima)).Build());
        var day = new DatePeriod(new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31));

        var summary = LedgerSummaries.Summarize(entries, day);

        Assert.Equal(2, summary.Sales);
        Assert.Equal(300.00m, summary.GrossSales);
    }

    [Fact]
    public void Balance_SplitsCreditedPendingAndHeld_WithNextReleasesByLimaDate()
    {
        // As of 00:00 on 20 April (Lima):
        //   A released                                   sale 135.42                    → credited 135.42
        //   B pending, releases 25 Apr 10:00             sale 135.42, refund 50.00 −45.14 → pending 90.28
        //   C status absent, release 10 Apr (passed)     sale 135.42                    → credited 135.42
        //   D status absent, release 25 Apr 23:30 Lima (26 Apr 04:30 UTC), approved     → pending 135.42
        //   E in_mediation                               sale 135.42                    → held 135.42
        //   H pending, release date 5 Apr already passed (Mercado Pago late)            → pending 135.42
        //   F USD (never summed); G sold after the as-of instant (not yet in the balance)
        // credited 270.84, pending 361.12, held 135.42; total 767.38 = Σ net of the PEN lines up to the as-of instant.
        // Next releases by Lima date: 5 Apr 135.42 (1 payment), 25 Apr 90.28 + 135.42 = 225.70 (2 payments).
        var asOf = new DateTimeOffset(2026, 4, 20, 0, 0, 0, Lima);
        var entries = Ledger(
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 3, 28, 10, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 4, 25, 10, 0, 0, Lima), MoneyReleaseStatus.Pending)
                .WithRefund(50.00m, new DateTimeOffset(2026, 4, 1, 10, 0, 0, Lima)).Build(),
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 4, 10, 10, 0, 0, Lima), null).Build(),
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 4, 25, 23, 30, 0, Lima), null).Build(),
            new PaymentBuilder().WithStatus(PaymentStatus.InMediation, "in_process")
                .WithRelease(new DateTimeOffset(2026, 3, 28, 10, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 4, 5, 10, 0, 0, Lima), MoneyReleaseStatus.Pending).Build(),
            new PaymentBuilder().WithCurrency("USD").WithRelease(new DateTimeOffset(2026, 3, 28, 10, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ApprovedAt(new DateTimeOffset(2026, 4, 21, 10, 0, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 4, 25, 10, 0, 0, Lima), MoneyReleaseStatus.Pending).Build());

        var balance = LedgerSummaries.Balance(entries, asOf);

        Assert.Equal((270.84m, 361.12m, 135.42m), (balance.Credited, balance.Pending, balance.Held));
        Assert.Equal(
            [new UpcomingRelease(new DateOnly(2026, 4, 5), 135.42m, 1), new UpcomingRelease(new DateOnly(2026, 4, 25), 225.70m, 2)],
            balance.NextReleases);
        var upToAsOf = entries.Where(e => e.Currency == Money.Pen && e.OccurredAt <= asOf).Sum(e => e.Net);
        Assert.Equal(767.38m, upToAsOf);
        Assert.Equal(upToAsOf, balance.Credited + balance.Pending + balance.Held);
        Assert.Equal(asOf, balance.AsOf);
    }

    [Fact]
    public void Balance_BeforeTheReleaseDate_PendingAndListedAsNextRelease()
    {
        var release = new DateTimeOffset(2026, 4, 10, 10, 0, 0, Lima);
        var entries = Ledger(new PaymentBuilder().WithRelease(release, null).Build());

        var before = LedgerSummaries.Balance(entries, release.AddSeconds(-1));
        var after = LedgerSummaries.Balance(entries, release);

        Assert.Equal((0m, 135.42m), (before.Credited, before.Pending));
        Assert.Equal([new UpcomingRelease(new DateOnly(2026, 4, 10), 135.42m, 1)], before.NextReleases);
        Assert.Equal((135.42m, 0m), (after.Credited, after.Pending));
        Assert.Empty(after.NextReleases);
    }

    [Fact]
    public void Balance_RefundOfCreditedSale_DebitsCreditedMoney()
    {
        // Released sale (135.42 credited), then a refund of 50.00 (−45.14): credited 90.28, nothing pending.
        var entries = Ledger(new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 3, 28, 10, 0, 0, Lima), MoneyReleaseStatus.Released)
            .WithRefund(50.00m, new DateTimeOffset(2026, 4, 2, 10, 0, 0, Lima)).Build());

        var balance = LedgerSummaries.Balance(entries, new DateTimeOffset(2026, 4, 5, 0, 0, 0, Lima));

        Assert.Equal((90.28m, 0m, 0m), (balance.Credited, balance.Pending, balance.Held));
    }

    [Fact]
    public void Balance_LinesAfterAsOf_NotCounted()
    {
        // The refund of 16 April is not in a balance as of 15 April.
        var entries = Ledger(new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 5, 1, 10, 0, 0, Lima), MoneyReleaseStatus.Pending)
            .WithRefund(50.00m, new DateTimeOffset(2026, 4, 16, 10, 0, 0, Lima)).Build());

        var balance = LedgerSummaries.Balance(entries, new DateTimeOffset(2026, 4, 15, 0, 0, 0, Lima));

        Assert.Equal(135.42m, balance.Pending);
    }

    [Fact]
    public void Balance_MaxReleases_KeepsTheEarliestDates()
    {
        var entries = Ledger(
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 4, 12, 10, 0, 0, Lima), MoneyReleaseStatus.Pending).Build(),
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 4, 11, 10, 0, 0, Lima), MoneyReleaseStatus.Pending).Build(),
            new PaymentBuilder().WithRelease(new DateTimeOffset(2026, 4, 13, 10, 0, 0, Lima), MoneyReleaseStatus.Pending).Build());

        var balance = LedgerSummaries.Balance(entries, new DateTimeOffset(2026, 4, 1, 0, 0, 0, Lima), maxReleases: 2);

        Assert.Equal([new DateOnly(2026, 4, 11), new DateOnly(2026, 4, 12)], balance.NextReleases.Select(r => r.Date));
        Assert.Equal(3 * 135.42m, balance.Pending);
    }
}
