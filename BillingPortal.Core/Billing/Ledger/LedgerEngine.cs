using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// Turns one payment into its ledger entries, exactly as ../shared/domain.md ("The ledger") defines them.
/// Pure: no I/O, no clock. Every figure shown anywhere comes from these entries.
/// </summary>
public static class LedgerEngine
{
    /// <summary>Status detail that marks a chargeback returned to the seller.</summary>
    public const string ReimbursedDetail = "reimbursed";

    /// <summary>Whether a payment in this status is (or was) an approved sale.</summary>
    public static bool IsSaleStatus(PaymentStatus status) => status switch
    {
        PaymentStatus.Approved or PaymentStatus.Refunded or PaymentStatus.ChargedBack or PaymentStatus.InMediation => true,
        PaymentStatus.Pending or PaymentStatus.Authorized or PaymentStatus.InProcess or PaymentStatus.Rejected
            or PaymentStatus.Cancelled => false,
    };

    /// <summary>
    /// The entries of a payment: a sale, one entry per approved refund, a chargeback and its reversal.
    /// Payments that never reached approved produce none. Refund and status history must be loaded.
    /// </summary>
    public static List<LedgerEntry> Compute(Payment payment, LedgerPolicy policy, AccountingCalendar calendar)
    {
        var entries = new List<LedgerEntry>();
        if (!IsSaleStatus(payment.Status)) return entries;

        var total = payment.TransactionAmount;
        var (commissionBase, commissionIgv) = Money.SplitIgvInclusive(payment.ApplicationFee);
        var sale = NewEntry(payment, LedgerEntryKind.Sale, payment.DateApproved ?? payment.DateCreated, calendar);
        sale.Tickets = payment.Tickets;
        sale.Gross = total;
        sale.MercadoPagoFee = -payment.MercadoPagoFee;
        sale.CommissionBase = -commissionBase;
        sale.CommissionIgv = -commissionIgv;
        sale.OtherFees = -payment.OtherCollectorFees;
        entries.Add(Close(sale));

        // Refunds: pro-rata shares rounded per entry; the refund that completes the whole amount takes the remainder.
        decimal refunded = 0m, mpReturned = 0m, commissionReturned = 0m, otherReturned = 0m;
        foreach (var refund in payment.Refunds
                     .Where(r => string.Equals(r.Status, "approved", StringComparison.OrdinalIgnoreCase) && r.Amount > 0)
                     .OrderBy(r => r.DateCreated).ThenBy(r => r.Id))
        {
            refunded += refund.Amount;
            var completes = refunded >= total;
            var mpShare = policy.ReturnMercadoPagoFeeOnRefund ? Share(payment.MercadoPagoFee, refund.Amount, total, completes, mpReturned) : 0m;
            var commissionShare = policy.ReturnCommissionOnRefund ? Share(payment.ApplicationFee, refund.Amount, total, completes, commissionReturned) : 0m;
            var otherShare = policy.ReturnMercadoPagoFeeOnRefund ? Share(payment.OtherCollectorFees, refund.Amount, total, completes, otherReturned) : 0m;
            mpReturned += mpShare;
            commissionReturned += commissionShare;
            otherReturned += otherShare;

            var (reversedBase, reversedIgv) = Money.SplitIgvInclusive(commissionShare);
            var entry = NewEntry(payment, LedgerEntryKind.Refund, refund.DateCreated, calendar);
            entry.RefundId = refund.Id;
            entry.Tickets = completes ? -payment.Tickets : 0;
            entry.Gross = -refund.Amount;
            entry.MercadoPagoFee = mpShare;
            entry.CommissionBase = reversedBase;
            entry.CommissionIgv = reversedIgv;
            entry.OtherFees = otherShare;
            entries.Add(Close(entry));
        }

        var (chargebackAt, reimbursedAt) = ChargebackDates(payment);
        if (chargebackAt is { } at)
        {
            var refundedBefore = payment.Refunds
                .Where(r => string.Equals(r.Status, "approved", StringComparison.OrdinalIgnoreCase) && r.DateCreated <= at)
                .Sum(r => r.Amount);
            var remaining = total - refundedBefore;
            if (remaining > 0)
            {
                var chargeback = NewEntry(payment, LedgerEntryKind.Chargeback, at, calendar);
                chargeback.Tickets = refundedBefore >= total ? 0 : -payment.Tickets;
                chargeback.Gross = -remaining;
                chargeback.MercadoPagoFee = policy.ReturnMercadoPagoFeeOnChargeback ? payment.MercadoPagoFee - mpReturned : 0m;
                var commissionBack = policy.ReturnCommissionOnChargeback ? payment.ApplicationFee - commissionReturned : 0m;
                (chargeback.CommissionBase, chargeback.CommissionIgv) = Money.SplitIgvInclusive(commissionBack);
                chargeback.OtherFees = policy.ReturnMercadoPagoFeeOnChargeback ? payment.OtherCollectorFees - otherReturned : 0m;
                entries.Add(Close(chargeback));

                if (reimbursedAt is { } back)
                {
                    var reversal = NewEntry(payment, LedgerEntryKind.ChargebackReversal, back, calendar);
                    reversal.Tickets = -chargeback.Tickets;
                    reversal.Gross = -chargeback.Gross;
                    reversal.MercadoPagoFee = -chargeback.MercadoPagoFee;
                    reversal.CommissionBase = -chargeback.CommissionBase;
                    reversal.CommissionIgv = -chargeback.CommissionIgv;
                    reversal.OtherFees = -chargeback.OtherFees;
                    entries.Add(Close(reversal));
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// Where the payment's money stands (see <see cref="ReleaseState"/>): in_mediation is held; otherwise
    /// money_release_status decides, and when it is absent the release date does while the payment is approved.
    /// </summary>
    public static ReleaseState ReleaseStateOf(Payment payment) => payment switch
    {
        { Status: PaymentStatus.InMediation } => ReleaseState.Held,
        { MoneyReleaseStatus: MoneyReleaseStatus.Released } => ReleaseState.Released,
        { MoneyReleaseStatus: MoneyReleaseStatus.Pending } => ReleaseState.Pending,
        { MoneyReleaseStatus: null, Status: PaymentStatus.Approved, MoneyReleaseDate: not null } => ReleaseState.ReleasesOnDate,
        _ => ReleaseState.Pending,
    };

    /// <summary>Whether an entry's money is credited (acreditado) as of an instant.</summary>
    public static bool IsCredited(LedgerEntry entry, DateTimeOffset asOf) =>
        entry.ReleaseState == ReleaseState.Released
        || (entry.ReleaseState == ReleaseState.ReleasesOnDate && entry.MoneyReleaseDate <= asOf);

    /// <summary>
    /// When the payment became charged_back (the date_last_updated of that change) and, if it did, when the
    /// chargeback was reimbursed to the seller (status_detail reimbursed, or a return to an approved state).
    /// </summary>
    public static (DateTimeOffset? ChargebackAt, DateTimeOffset? ReimbursedAt) ChargebackDates(Payment payment)
    {
        var history = payment.StatusHistory.OrderBy(h => h.ChangedAt).ThenBy(h => h.Id).ToList();
        DateTimeOffset? chargebackAt = null, reimbursedAt = null;
        foreach (var change in history)
        {
            if (chargebackAt is null)
            {
                if (change.Status == PaymentStatus.ChargedBack) chargebackAt = change.ChangedAt;
                if (chargebackAt is not null && IsReimbursed(change.Status, change.StatusDetail)) reimbursedAt = change.ChangedAt;
            }
            else if (reimbursedAt is null && (IsReimbursed(change.Status, change.StatusDetail)
                                              || change.Status is PaymentStatus.Approved))
            {
                reimbursedAt = change.ChangedAt;
            }
        }

        if (chargebackAt is null && payment.Status == PaymentStatus.ChargedBack)
            chargebackAt = payment.DateLastUpdated;
        if (chargebackAt is not null && reimbursedAt is null && IsReimbursed(payment.Status, payment.StatusDetail))
            reimbursedAt = payment.DateLastUpdated;
        return (chargebackAt, reimbursedAt);
    }

    private static bool IsReimbursed(PaymentStatus status, string? detail) =>
        status == PaymentStatus.ChargedBack && string.Equals(detail, ReimbursedDetail, StringComparison.OrdinalIgnoreCase);

    /// <summary>A refund's share of a fee: pro-rata and rounded, or the remainder when the refund completes the whole.</summary>
    private static decimal Share(decimal fee, decimal refundAmount, decimal total, bool completes, decimal alreadyReturned)
    {
        if (fee == 0m || total <= 0m) return 0m;
        return completes ? fee - alreadyReturned : Money.Round2(fee * refundAmount / total);
    }

    private static LedgerEntry NewEntry(Payment payment, LedgerEntryKind kind, DateTimeOffset at, AccountingCalendar calendar) => new()
    {
        OrganizerId = payment.OrganizerId,
        PaymentId = payment.Id,
        EventId = payment.EventId,
        Kind = kind,
        OccurredAt = at.ToUniversalTime(),
        LocalDate = calendar.LocalDate(at),
        Currency = payment.CurrencyId,
        PaymentMethodId = payment.PaymentMethodId,
        PaymentTypeId = payment.PaymentTypeId,
        PaymentStatus = payment.Status,
        MoneyReleaseDate = payment.MoneyReleaseDate?.ToUniversalTime(),
        ReleaseLocalDate = payment.MoneyReleaseDate is { } release ? calendar.LocalDate(release) : null,
        ReleaseState = ReleaseStateOf(payment),
    };

    private static LedgerEntry Close(LedgerEntry entry)
    {
        entry.Net = entry.Gross + entry.MercadoPagoFee + entry.CommissionBase + entry.CommissionIgv + entry.OtherFees;
        return entry;
    }
}
