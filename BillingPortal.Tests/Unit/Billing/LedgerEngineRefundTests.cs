using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>Refund entries: pro-rata shares rounded per entry, the completing refund takes the remainder, policies.</summary>
public sealed class LedgerEngineRefundTests
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly DateTimeOffset FirstRefundAt = new(2026, 3, 16, 9, 0, 0, Lima);
    private static readonly DateTimeOffset SecondRefundAt = new(2026, 3, 18, 9, 0, 0, Lima);
    private static readonly DateTimeOffset ThirdRefundAt = new(2026, 3, 20, 9, 0, 0, Lima);
    private static readonly DateTimeOffset FourthRefundAt = new(2026, 3, 22, 9, 0, 0, Lima);

    private static List<LedgerEntry> Compute(Payment payment, LedgerPolicy? policy = null) =>
        LedgerEngine.Compute(payment, policy ?? LedgerPolicy.Default, AccountingCalendar.Lima);

    private static List<LedgerEntry> Refunds(IEnumerable<LedgerEntry> entries) =>
        [.. entries.Where(e => e.Kind == LedgerEntryKind.Refund)];

    [Fact]
    public void Compute_FullRefund_ReversesExactlyWhatTheSaleTook()
    {
        // Sale 150.00: MP fee 7.08, commission 7.50 = base 6.36 + IGV 1.14, net 135.42.
        // Full refund of 150.00 completes the amount, so it takes the remainder of every column:
        //   gross −150.00, MP +7.08, base +6.36, IGV +1.14 → net −150.00 + 14.58 = −135.42. Sale + refund = 0.00 everywhere.
        var refundAt = DateTimeOffset.Parse("2026-03-20T10:15:40.312-04:00", System.Globalization.CultureInfo.InvariantCulture);
        var payment = new PaymentBuilder().WithRefund(150.00m, refundAt).WithStatus(PaymentStatus.Refunded, "refunded").Build();

        var entries = Compute(payment);

        Assert.Equal(2, entries.Count);
        var refund = LedgerAssert.Only(entries, LedgerEntryKind.Refund);
        LedgerAssert.Columns(refund, -150.00m, 7.08m, 6.36m, 1.14m, 0m, -135.42m);
        Assert.Equal(payment.Refunds[0].Id, refund.RefundId);
        Assert.Equal(-2, refund.Tickets);
        Assert.Equal(refundAt.ToUniversalTime(), refund.OccurredAt);
        Assert.Equal(new DateOnly(2026, 3, 20), refund.LocalDate);
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(entries));
        Assert.Equal(0, entries.Sum(e => e.Tickets));
    }

    [Fact]
    public void Compute_PartialRefund_TakesRoundedProRataShares()
    {
        // Sale 150.00 (MP 7.08, commission 7.50); refund 50.00 = 1/3:
        //   MP share = round2(7.08 × 50 / 150) = round2(2.36) = 2.36
        //   commission share = round2(7.50 × 50 / 150) = 2.50 → base round2(2.50 / 1.18 = 2.1186…) = 2.12, IGV 0.38
        //   net = −50.00 + 2.36 + 2.12 + 0.38 = −45.14. Tickets are returned only by the refund that completes the sale.
        var payment = new PaymentBuilder().WithRefund(50.00m, FirstRefundAt).WithStatus(PaymentStatus.Approved, "partially_refunded").Build();

        var refund = LedgerAssert.Only(Compute(payment), LedgerEntryKind.Refund);

        LedgerAssert.Columns(refund, -50.00m, 2.36m, 2.12m, 0.38m, 0m, -45.14m);
        Assert.Equal(0, refund.Tickets);
    }

    [Fact]
    public void Compute_PartialRefundOfAwkwardAmount_RoundsEachShare()
    {
        // Sale 99.99 (MP 4.72, commission 5.00 = base 4.24 + IGV 0.76); refund 33.33:
        //   MP share = round2(4.72 × 33.33 / 99.99 = 1.57333…) = 1.57
        //   commission share = round2(5.00 × 33.33 / 99.99 = 1.66666…) = 1.67 → base round2(1.67 / 1.18 = 1.4152…) = 1.42, IGV 0.25
        //   net = −33.33 + 1.57 + 1.42 + 0.25 = −30.09
        var payment = new PaymentBuilder().WithAmounts(99.99m, 4.72m, 5.00m).WithRefund(33.33m, FirstRefundAt).Build();

        var refund = LedgerAssert.Only(Compute(payment), LedgerEntryKind.Refund);

        LedgerAssert.Columns(refund, -33.33m, 1.57m, 1.42m, 0.25m, 0m, -30.09m);
    }

    [Fact]
    public void Compute_TwoPartialRefundsMakingTheWhole_SecondTakesTheRemainder()
    {
        // Sale 99.99 (MP 4.72, base 4.24, IGV 0.76, net 90.27). Refund 1: 33.33 → MP 1.57, base 1.42, IGV 0.25 (as above).
        // Refund 2: 66.66 completes 99.99, so it takes the remainder of each column:
        //   MP 4.72 − 1.57 = 3.15; base 4.24 − 1.42 = 2.82; IGV 0.76 − 0.25 = 0.51 (commission 3.33 = 5.00 − 1.67)
        //   net = −66.66 + 3.15 + 2.82 + 0.51 = −60.18. Together: −30.09 − 60.18 = −90.27 = −sale net.
        var payment = new PaymentBuilder().WithAmounts(99.99m, 4.72m, 5.00m)
            .WithRefund(33.33m, FirstRefundAt).WithRefund(66.66m, SecondRefundAt).WithStatus(PaymentStatus.Refunded, "refunded").Build();

        var entries = Compute(payment);
        var refunds = Refunds(entries);

        Assert.Equal(2, refunds.Count);
        LedgerAssert.Columns(refunds[0], -33.33m, 1.57m, 1.42m, 0.25m, 0m, -30.09m);
        LedgerAssert.Columns(refunds[1], -66.66m, 3.15m, 2.82m, 0.51m, 0m, -60.18m);
        Assert.Equal((0, -2), (refunds[0].Tickets, refunds[1].Tickets));
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_ThreeAwkwardRefunds_SumExactlyToTheSale()
    {
        // Sale 100.00: MP 4.99, commission 7.07 (base round2(7.07/1.18 = 5.9915…) = 5.99, IGV 1.08), other fees 1.01.
        //   sale net = 100.00 − 4.99 − 5.99 − 1.08 − 1.01 = 86.93
        // Refunds 33.33, 33.33, 33.34:
        //   #1, #2: MP round2(4.99 × 0.3333 = 1.6632) = 1.66; commission round2(7.07 × 0.3333 = 2.3564) = 2.36
        //           → base round2(2.36/1.18 = 2.00) = 2.00, IGV 0.36; other round2(1.01 × 0.3333 = 0.3366) = 0.34
        //           net = −33.33 + 1.66 + 2.00 + 0.36 + 0.34 = −28.97
        //   #3 completes: MP 4.99 − 3.32 = 1.67 (pro-rata would be 1.66); commission 7.07 − 4.72 = 2.35 (pro-rata 2.36)
        //           → base 5.99 − 4.00 = 1.99, IGV 1.08 − 0.72 = 0.36; other 1.01 − 0.68 = 0.33
        //           net = −33.34 + 1.67 + 1.99 + 0.36 + 0.33 = −28.99
        //   −28.97 − 28.97 − 28.99 = −86.93: the sale nets to 0.00 on every column.
        var payment = new PaymentBuilder().WithAmounts(100.00m, 4.99m, 7.07m, 1.01m)
            .WithRefund(33.33m, FirstRefundAt).WithRefund(33.33m, SecondRefundAt).WithRefund(33.34m, ThirdRefundAt)
            .WithStatus(PaymentStatus.Refunded, "refunded").Build();

        var entries = Compute(payment);
        var refunds = Refunds(entries);

        Assert.Equal(86.93m, LedgerAssert.Only(entries, LedgerEntryKind.Sale).Net);
        LedgerAssert.Columns(refunds[0], -33.33m, 1.66m, 2.00m, 0.36m, 0.34m, -28.97m);
        LedgerAssert.Columns(refunds[1], -33.33m, 1.66m, 2.00m, 0.36m, 0.34m, -28.97m);
        LedgerAssert.Columns(refunds[2], -33.34m, 1.67m, 1.99m, 0.36m, 0.33m, -28.99m);
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_RefundsGivenOutOfOrder_AreTakenOldestFirst()
    {
        // Same as above but listed newest first: the 33.34 refund is still the one that completes.
        var payment = new PaymentBuilder().WithAmounts(100.00m, 4.99m, 7.07m, 1.01m)
            .WithRefund(33.34m, ThirdRefundAt).WithRefund(33.33m, SecondRefundAt).WithRefund(33.33m, FirstRefundAt).Build();

        var refunds = Refunds(Compute(payment));

        Assert.Equal([FirstRefundAt, SecondRefundAt, ThirdRefundAt], refunds.Select(r => r.OccurredAt));
        LedgerAssert.Columns(refunds[2], -33.34m, 1.67m, 1.99m, 0.36m, 0.33m, -28.99m);
    }

    [Fact]
    public void Compute_RefundPoliciesOff_FeesAreKept()
    {
        // Plan: Mercado Pago keeps its fee and the platform keeps its commission on refunds.
        //   Full refund 150.00: gross −150.00, every fee column 0.00, net −150.00.
        //   Sale + refund: gross 0.00, MP −7.08, base −6.36, IGV −1.14 → net −14.58 (the organizer bears the fees).
        var payment = new PaymentBuilder().WithRefund(150.00m, FirstRefundAt).WithStatus(PaymentStatus.Refunded, "refunded").Build();
        var policy = new LedgerPolicy(ReturnMercadoPagoFeeOnRefund: false, ReturnCommissionOnRefund: false);

        var entries = Compute(payment, policy);

        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.Refund), -150.00m, 0m, 0m, 0m, 0m, -150.00m);
        Assert.Equal((0m, -7.08m, -6.36m, -1.14m, 0m, -14.58m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_OnlyCommissionReturned_MercadoPagoAndOtherFeesKept()
    {
        // Sale 100.00, MP 4.99, commission 7.07, other 1.01; refund 33.33 with MP policy off, commission policy on:
        //   MP 0.00, other 0.00 (other fees follow Mercado Pago's policy), commission 2.36 → base 2.00, IGV 0.36
        //   net = −33.33 + 2.00 + 0.36 = −30.97
        var payment = new PaymentBuilder().WithAmounts(100.00m, 4.99m, 7.07m, 1.01m).WithRefund(33.33m, FirstRefundAt).Build();
        var policy = new LedgerPolicy(ReturnMercadoPagoFeeOnRefund: false, ReturnCommissionOnRefund: true);

        var refund = LedgerAssert.Only(Compute(payment, policy), LedgerEntryKind.Refund);

        LedgerAssert.Columns(refund, -33.33m, 0m, 2.00m, 0.36m, 0m, -30.97m);
    }

    [Theory]
    [InlineData("in_process")]
    [InlineData("rejected")]
    [InlineData("cancelled")]
    [InlineData("authorized")]
    public void Compute_NonApprovedRefund_Ignored(string status)
    {
        var payment = new PaymentBuilder().WithRefund(50.00m, FirstRefundAt, status).WithRefund(150.00m, SecondRefundAt, status).Build();

        var entries = Compute(payment);

        Assert.Equal(LedgerEntryKind.Sale, Assert.Single(entries).Kind);
    }

    [Fact]
    public void Compute_ApprovedStatusInAnyCase_Counts()
    {
        var payment = new PaymentBuilder().WithRefund(50.00m, FirstRefundAt, "APPROVED").Build();

        var refund = LedgerAssert.Only(Compute(payment), LedgerEntryKind.Refund);

        Assert.Equal(-50.00m, refund.Gross);
    }

    [Fact]
    public void Compute_RefundWhoseShareRoundsToZero_ReturnsNoFee()
    {
        // Sale 100.00, MP 0.40, commission 0.50; refund 0.50 (0.5 %):
        //   MP round2(0.40 × 0.005 = 0.002) = 0.00; commission round2(0.50 × 0.005 = 0.0025) = 0.00
        //   net = −0.50
        var payment = new PaymentBuilder().WithAmounts(100.00m, 0.40m, 0.50m).WithRefund(0.50m, FirstRefundAt).Build();

        var refund = LedgerAssert.Only(Compute(payment), LedgerEntryKind.Refund);

        LedgerAssert.Columns(refund, -0.50m, 0m, 0m, 0m, 0m, -0.50m);
    }

    [Fact]
    public void Compute_MidpointShares_RoundAwayFromZeroAndTheLastTakesTheRemainder()
    {
        // Sale 100.00, MP 0.05, commission 0.05 (base round2(0.05/1.18 = 0.0424) = 0.04, IGV 0.01).
        // Refund 1: 50.00 → MP round2(0.025) = 0.03 (away from zero; banker's rounding would give 0.02);
        //   commission round2(0.025) = 0.03 → base round2(0.03/1.18 = 0.0254) = 0.03, IGV 0.00; net −50.00 + 0.06 = −49.94
        // Refund 2: 50.00 completes → MP 0.05 − 0.03 = 0.02; base 0.04 − 0.03 = 0.01; IGV 0.01 − 0.00 = 0.01
        //   (a fresh split of 0.02 would give base 0.02 and overshoot the sale's base); net −50.00 + 0.04 = −49.96
        var payment = new PaymentBuilder().WithAmounts(100.00m, 0.05m, 0.05m)
            .WithRefund(50.00m, FirstRefundAt).WithRefund(50.00m, SecondRefundAt).Build();

        var entries = Compute(payment);
        var refunds = Refunds(entries);

        LedgerAssert.Columns(refunds[0], -50.00m, 0.03m, 0.03m, 0m, 0m, -49.94m);
        LedgerAssert.Columns(refunds[1], -50.00m, 0.02m, 0.01m, 0.01m, 0m, -49.96m);
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_RoundedSharesWouldOvershoot_CappedAtWhatIsLeft()
    {
        // Sale 1.00, MP 0.05, no commission; refunds 0.30, 0.30, 0.30, 0.10:
        //   #1, #2: round2(0.05 × 0.30 = 0.015) = 0.02 each → 0.04 returned
        //   #3: round2(0.015) = 0.02, but only 0.01 is left → 0.01
        //   #4 completes: 0.05 − 0.05 = 0.00
        var payment = new PaymentBuilder().WithAmounts(1.00m, 0.05m, 0m).WithTickets(1)
            .WithRefund(0.30m, FirstRefundAt).WithRefund(0.30m, SecondRefundAt).WithRefund(0.30m, ThirdRefundAt).WithRefund(0.10m, FourthRefundAt)
            .Build();

        var refunds = Refunds(Compute(payment));

        Assert.Equal([0.02m, 0.02m, 0.01m, 0.00m], refunds.Select(r => r.MercadoPagoFee));
        Assert.Equal([-0.28m, -0.28m, -0.29m, -0.10m], refunds.Select(r => r.Net));
        Assert.Equal([0, 0, 0, -1], refunds.Select(r => r.Tickets));
    }

    [Fact]
    public void Compute_ReturnedIgvWouldExceedTheSalesIgv_MovesTheCentimoToTheBase()
    {
        // Sale 1.00, commission 0.16 = base round2(0.16/1.18 = 0.1356) = 0.14 + IGV 0.02. Four refunds of 0.25:
        //   each commission share = round2(0.16 × 0.25) = 0.04 → split base round2(0.04/1.18 = 0.0339) = 0.03, IGV 0.01
        //   #1, #2: 0.03 + 0.01 each → IGV returned 0.02 = all the IGV charged
        //   #3: a split of 0.03 + 0.01 would return more IGV than was charged → base 0.04, IGV 0.00
        //   #4 completes: base 0.14 − 0.10 = 0.04, IGV 0.02 − 0.02 = 0.00
        var payment = new PaymentBuilder().WithAmounts(1.00m, 0m, 0.16m)
            .WithRefund(0.25m, FirstRefundAt).WithRefund(0.25m, SecondRefundAt).WithRefund(0.25m, ThirdRefundAt).WithRefund(0.25m, FourthRefundAt)
            .Build();

        var entries = Compute(payment);
        var refunds = Refunds(entries);

        Assert.Equal([0.03m, 0.03m, 0.04m, 0.04m], refunds.Select(r => r.CommissionBase));
        Assert.Equal([0.01m, 0.01m, 0.00m, 0.00m], refunds.Select(r => r.CommissionIgv));
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_OneCentimoSaleRefunded_NetsToZero()
    {
        // Sale 0.01 with MP fee 0.01 (net 0.00); refund 0.01 completes: MP +0.01, net −0.01 + 0.01 = 0.00.
        var payment = new PaymentBuilder().WithAmounts(0.01m, 0.01m, 0m).WithTickets(1).WithRefund(0.01m, FirstRefundAt).Build();

        var entries = Compute(payment);

        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.Sale), 0.01m, -0.01m, 0m, 0m, 0m, 0.00m);
        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.Refund), -0.01m, 0.01m, 0m, 0m, 0m, 0.00m);
    }

    [Fact]
    public void Compute_RefundBeyondTheWhole_ReturnsNothingMoreAndTicketsOnce()
    {
        // Defensive: data that refunds 150.00 and then 10.00 more. The second refund finds nothing left to return.
        var payment = new PaymentBuilder().WithRefund(150.00m, FirstRefundAt).WithRefund(10.00m, SecondRefundAt).Build();

        var refunds = Refunds(Compute(payment));

        LedgerAssert.Columns(refunds[1], -10.00m, 0m, 0m, 0m, 0m, -10.00m);
        Assert.Equal([-2, 0], refunds.Select(r => r.Tickets));
    }
}
