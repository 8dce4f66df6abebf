using System.Globalization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>Chargebacks (contracargos) and their reversal when Mercado Pago reimburses the seller.</summary>
public sealed class LedgerEngineChargebackTests
{
    private static readonly DateTimeOffset RefundAt = At("2026-03-16T09:00:00.000-04:00");
    private static readonly DateTimeOffset ChargebackAt = At("2026-03-25T10:00:00.000-04:00");
    private static readonly DateTimeOffset SettledAt = At("2026-03-30T10:00:00.000-04:00");
    private static readonly DateTimeOffset ReimbursedAt = At("2026-04-10T12:00:00.000-04:00");

    private static readonly LedgerPolicy ChargebackReturnsFees = new(ReturnMercadoPagoFeeOnChargeback: true, ReturnCommissionOnChargeback: true);

    private static List<LedgerEntry> Compute(Payment payment, LedgerPolicy? policy = null) =>
        LedgerEngine.Compute(payment, policy ?? LedgerPolicy.Default, AccountingCalendar.Lima);

    /// <summary>Sale 150.00 (MP 7.08, commission 7.50 = 6.36 + 1.14), refund 50.00 on 16 March, chargeback on 25 March.</summary>
    private static PaymentBuilder PartlyRefundedThenChargedBack() => new PaymentBuilder()
        .WithStatusChange(PaymentStatus.Approved, "accredited", At("2026-03-14T19:02:13.000-04:00"))
        .WithRefund(50.00m, RefundAt)
        .WithStatusChange(PaymentStatus.Approved, "partially_refunded", RefundAt)
        .WithStatusChange(PaymentStatus.ChargedBack, "in_process", ChargebackAt);

    [Fact]
    public void Compute_ChargebackAfterPartialRefund_TakesBackWhatWasNotRefundedAndKeepsFees()
    {
        // Chargeback gross = −(150.00 − 50.00 already refunded) = −100.00; by default Mercado Pago keeps its fee
        // and the platform its commission: fee columns 0.00, net −100.00; the sale's 2 tickets go.
        var payment = PartlyRefundedThenChargedBack().Build();

        var entries = Compute(payment);

        Assert.Equal([LedgerEntryKind.Sale, LedgerEntryKind.Refund, LedgerEntryKind.Chargeback], entries.Select(e => e.Kind));
        var chargeback = LedgerAssert.Only(entries, LedgerEntryKind.Chargeback);
        LedgerAssert.Columns(chargeback, -100.00m, 0m, 0m, 0m, 0m, -100.00m);
        Assert.Equal(-2, chargeback.Tickets);
        Assert.Equal(ChargebackAt.ToUniversalTime(), chargeback.OccurredAt);
        Assert.Equal(new DateOnly(2026, 3, 25), chargeback.LocalDate);
        // Sale 135.42, refund −45.14, chargeback −100.00 → the organizer ends at −9.72: the fees on the charged-back 100.00.
        Assert.Equal(-9.72m, entries.Sum(e => e.Net));
    }

    [Fact]
    public void Compute_ChargebackWithFeePoliciesOn_ReturnsTheUnrefundedRemainder()
    {
        // The refund of 50.00 returned MP 2.36 and commission 2.50 (base 2.12 + IGV 0.38). The chargeback returns the rest:
        //   MP 7.08 − 2.36 = 4.72; base 6.36 − 2.12 = 4.24; IGV 1.14 − 0.38 = 0.76
        //   net = −100.00 + 4.72 + 4.24 + 0.76 = −90.28; sale + refund + chargeback = 0.00 on every column.
        var payment = PartlyRefundedThenChargedBack().Build();

        var entries = Compute(payment, ChargebackReturnsFees);

        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.Chargeback), -100.00m, 4.72m, 4.24m, 0.76m, 0m, -90.28m);
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_ChargebackReturnsFeesButRefundsKeptThem_ReturnsTheChargedBackShare()
    {
        // Refund policies off (the 50.00 refund returned no fee), chargeback policies on. The chargeback returns the fees
        // of the charged-back 100.00 only — the refunded third's fees stay kept, as the refund policy said:
        //   MP round2(7.08 × 100/150) = 4.72; commission round2(7.50 × 100/150) = 5.00 → base round2(5.00/1.18) = 4.24, IGV 0.76
        //   net −90.28. Totals: MP −2.36, base −2.12, IGV −0.38 (the refunded third's fees), net −4.86.
        var payment = PartlyRefundedThenChargedBack().Build();
        var policy = new LedgerPolicy(false, false, ReturnMercadoPagoFeeOnChargeback: true, ReturnCommissionOnChargeback: true);

        var entries = Compute(payment, policy);

        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.Refund), -50.00m, 0m, 0m, 0m, 0m, -50.00m);
        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.Chargeback), -100.00m, 4.72m, 4.24m, 0.76m, 0m, -90.28m);
        Assert.Equal((0m, -2.36m, -2.12m, -0.38m, 0m, -4.86m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_ChargebackWithoutRefunds_WithPoliciesOn_ReturnsEveryFee()
    {
        // No refund: chargeback −150.00, MP +7.08, base +6.36, IGV +1.14, other +2.00 → net −133.42; all columns net to 0.00.
        var payment = new PaymentBuilder().WithAmounts(150.00m, 7.08m, 7.50m, 2.00m)
            .WithStatusChange(PaymentStatus.ChargedBack, "settled", ChargebackAt).Build();

        var entries = Compute(payment, ChargebackReturnsFees);

        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.Chargeback), -150.00m, 7.08m, 6.36m, 1.14m, 2.00m, -133.42m);
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(entries));
    }

    [Fact]
    public void Compute_ChargebackReimbursed_ReversalExactlyNegatesItOnTheDateOfThatChange()
    {
        // in_process on 25 March, settled on 30 March, reimbursed on 10 April (from the status history):
        //   chargeback (25 March) −100.00; reversal (10 April) +100.00, +2 tickets; together they leave sale + refund.
        var payment = PartlyRefundedThenChargedBack()
            .WithStatusChange(PaymentStatus.ChargedBack, "settled", SettledAt)
            .WithStatusChange(PaymentStatus.ChargedBack, "reimbursed", ReimbursedAt)
            .LastUpdatedAt(ReimbursedAt.AddDays(3))
            .Build();

        var entries = Compute(payment);

        var chargeback = LedgerAssert.Only(entries, LedgerEntryKind.Chargeback);
        var reversal = LedgerAssert.Only(entries, LedgerEntryKind.ChargebackReversal);
        Assert.Equal(ChargebackAt.ToUniversalTime(), chargeback.OccurredAt);
        Assert.Equal(ReimbursedAt.ToUniversalTime(), reversal.OccurredAt);
        Assert.Equal(new DateOnly(2026, 4, 10), reversal.LocalDate);
        LedgerAssert.Columns(reversal, 100.00m, 0m, 0m, 0m, 0m, 100.00m);
        Assert.Equal(2, reversal.Tickets);
        Assert.Equal(135.42m - 45.14m, entries.Sum(e => e.Net));
    }

    [Fact]
    public void Compute_ReimbursedWithFeePoliciesOn_ReversalNegatesEveryColumn()
    {
        var payment = PartlyRefundedThenChargedBack().WithStatusChange(PaymentStatus.ChargedBack, "reimbursed", ReimbursedAt).Build();

        var entries = Compute(payment, ChargebackReturnsFees);

        LedgerAssert.Columns(LedgerAssert.Only(entries, LedgerEntryKind.ChargebackReversal), 100.00m, -4.72m, -4.24m, -0.76m, 0m, 90.28m);
        var pair = entries.Where(e => e.Kind is LedgerEntryKind.Chargeback or LedgerEntryKind.ChargebackReversal);
        Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), LedgerAssert.Totals(pair));
    }

    [Fact]
    public void Compute_ChargebackWithoutHistory_DatedByDateLastUpdated()
    {
        var payment = new PaymentBuilder().WithRefund(50.00m, RefundAt)
            .WithStatus(PaymentStatus.ChargedBack, "settled").LastUpdatedAt(ChargebackAt).Build();

        var entries = Compute(payment);

        var chargeback = LedgerAssert.Only(entries, LedgerEntryKind.Chargeback);
        Assert.Equal(ChargebackAt.ToUniversalTime(), chargeback.OccurredAt);
        Assert.Equal(-100.00m, chargeback.Gross);
        Assert.DoesNotContain(entries, e => e.Kind == LedgerEntryKind.ChargebackReversal);
    }

    [Fact]
    public void Compute_ReimbursedWithoutHistory_BothDatedByDateLastUpdated()
    {
        // Seen only in its latest version (charged_back / reimbursed, date_last_updated 10 April): both lines on that date.
        var payment = new PaymentBuilder().WithRefund(50.00m, RefundAt)
            .WithStatus(PaymentStatus.ChargedBack, "reimbursed").LastUpdatedAt(ReimbursedAt).Build();

        var entries = Compute(payment);

        var chargeback = LedgerAssert.Only(entries, LedgerEntryKind.Chargeback);
        var reversal = LedgerAssert.Only(entries, LedgerEntryKind.ChargebackReversal);
        Assert.Equal(ReimbursedAt.ToUniversalTime(), chargeback.OccurredAt);
        Assert.Equal(ReimbursedAt.ToUniversalTime(), reversal.OccurredAt);
        Assert.Equal((-100.00m, 100.00m), (chargeback.Net, reversal.Net));
    }

    [Fact]
    public void Compute_ReimbursementNotYetInHistory_DatedByDateLastUpdated()
    {
        // The history shows the chargeback; the current version (not recorded yet) says reimbursed on 10 April.
        var payment = PartlyRefundedThenChargedBack().Build();
        payment.StatusDetail = "reimbursed";
        payment.DateLastUpdated = ReimbursedAt;

        var (chargebackAt, reimbursedAt) = LedgerEngine.ChargebackDates(payment);

        Assert.Equal(ChargebackAt, chargebackAt);
        Assert.Equal(ReimbursedAt, reimbursedAt);
    }

    [Fact]
    public void ChargebackDates_ReturnToApproved_CountsAsReimbursed()
    {
        var backAt = At("2026-04-02T08:00:00.000-04:00");
        var payment = PartlyRefundedThenChargedBack().WithStatusChange(PaymentStatus.Approved, "accredited", backAt).Build();

        var (chargebackAt, reimbursedAt) = LedgerEngine.ChargebackDates(payment);

        Assert.Equal(ChargebackAt, chargebackAt);
        Assert.Equal(backAt, reimbursedAt);
    }

    [Fact]
    public void ChargebackDates_NeverChargedBack_None()
    {
        var payment = new PaymentBuilder().WithStatusChange(PaymentStatus.Approved, "partially_refunded", RefundAt).Build();

        Assert.Equal((null, null), LedgerEngine.ChargebackDates(payment));
    }

    [Fact]
    public void ChargebackDates_HistoryRecordedOutOfOrder_UsesTheEarliestChange()
    {
        var payment = new PaymentBuilder().Build();
        payment.StatusHistory.Add(new PaymentStatusChange { Status = PaymentStatus.ChargedBack, StatusDetail = "reimbursed", ChangedAt = ReimbursedAt });
        payment.StatusHistory.Add(new PaymentStatusChange { Status = PaymentStatus.ChargedBack, StatusDetail = "in_process", ChangedAt = ChargebackAt });
        payment.Status = PaymentStatus.ChargedBack;
        payment.StatusDetail = "reimbursed";
        payment.DateLastUpdated = ReimbursedAt;

        Assert.Equal((ChargebackAt, ReimbursedAt), LedgerEngine.ChargebackDates(payment));
    }

    [Fact]
    public void Compute_FullyRefundedBeforeTheChargeback_NoChargebackEntry()
    {
        var payment = new PaymentBuilder().WithRefund(150.00m, RefundAt)
            .WithStatusChange(PaymentStatus.ChargedBack, "in_process", ChargebackAt).Build();

        var entries = Compute(payment, ChargebackReturnsFees);

        Assert.Equal([LedgerEntryKind.Sale, LedgerEntryKind.Refund], entries.Select(e => e.Kind));
    }

    [Fact]
    public void Compute_RefundAfterReimbursedChargeback_NotCountedAsAlreadyRefunded()
    {
        // Refund 50.00 (16 March), chargeback (25 March) of 150.00 − 50.00 = 100.00, reimbursed 10 April, then a refund of
        // 30.00 on 15 April: MP round2(7.08 × 30/150 = 1.416) = 1.42; commission round2(7.50 × 0.2) = 1.50
        //   → base round2(1.50/1.18 = 1.2711…) = 1.27, IGV 0.23; net −30.00 + 1.42 + 1.27 + 0.23 = −27.08.
        var lateRefundAt = At("2026-04-15T09:00:00.000-04:00");
        var payment = PartlyRefundedThenChargedBack()
            .WithStatusChange(PaymentStatus.ChargedBack, "reimbursed", ReimbursedAt)
            .WithRefund(30.00m, lateRefundAt)
            .Build();

        var entries = Compute(payment);

        Assert.Equal(-100.00m, LedgerAssert.Only(entries, LedgerEntryKind.Chargeback).Gross);
        var late = entries.Single(e => e.Kind == LedgerEntryKind.Refund && e.OccurredAt == lateRefundAt.ToUniversalTime());
        LedgerAssert.Columns(late, -30.00m, 1.42m, 1.27m, 0.23m, 0m, -27.08m);
    }

    [Fact]
    public void Compute_ChargebackNearMidnight_DatedInLima()
    {
        // date_last_updated 2026-04-01T00:30:00-04:00 = 04:30Z = 23:30 on 31 March in Lima.
        var at = At("2026-04-01T00:30:00-04:00");
        var payment = new PaymentBuilder().WithStatus(PaymentStatus.ChargedBack, "settled").LastUpdatedAt(at).Build();

        var chargeback = LedgerAssert.Only(Compute(payment), LedgerEntryKind.Chargeback);

        Assert.Equal(new DateOnly(2026, 3, 31), chargeback.LocalDate);
    }

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
