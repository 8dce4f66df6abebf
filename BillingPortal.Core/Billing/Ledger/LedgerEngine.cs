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
    /// <remarks>
    /// Rules (docs/ledger-rules.md has the worked numbers):
    /// <list type="bullet">
    /// <item>Amounts coming from Mercado Pago are taken to the céntimo first (<see cref="Money.Round2"/>), so an entry
    /// computed in memory equals the one stored in céntimos.</item>
    /// <item>A refund returns, per fee column whose policy returns it, <c>round2(fee × refund / transaction_amount)</c>,
    /// never more than what is still unreturned in that column; the refund that brings the refunded total to the whole
    /// amount takes the remainder of every column (MP fee, commission base, commission IGV, other fees), so a fully
    /// refunded sale nets to 0.00 on each reversed column.</item>
    /// <item>A returned commission is split like the sale's: <c>base = round2(returned / 1.18)</c>, IGV the rest; the
    /// split is kept within the base and IGV still unreturned (a credit never returns more IGV than was charged).</item>
    /// <item>A chargeback takes back the amount not yet refunded. When its policy returns a fee, it returns the part of
    /// that fee that belongs to the charged-back amount: the unreturned remainder of the column when refunds returned
    /// their shares, or <c>round2(fee × charged-back / transaction_amount)</c> when the refund policy kept them.</item>
    /// </list>
    /// </remarks>
    public static List<LedgerEntry> Compute(Payment payment, LedgerPolicy policy, AccountingCalendar calendar)
    {
        var entries = new List<LedgerEntry>();
        if (!IsSaleStatus(payment.Status)) return entries;

        var total = Money.Round2(payment.TransactionAmount);
        var mpFee = Money.Round2(payment.MercadoPagoFee);
        var applicationFee = Money.Round2(payment.ApplicationFee);
        var otherFees = Money.Round2(payment.OtherCollectorFees);
        var (saleBase, saleIgv) = Money.SplitIgvInclusive(applicationFee);

        var sale = NewEntry(payment, LedgerEntryKind.Sale, payment.DateApproved ?? payment.DateCreated, calendar);
        sale.Tickets = payment.Tickets;
        sale.Gross = total;
        sale.MercadoPagoFee = -mpFee;
        sale.CommissionBase = -saleBase;
        sale.CommissionIgv = -saleIgv;
        sale.OtherFees = -otherFees;
        entries.Add(Close(sale));

        // Refunds, oldest first; `returned` is what refunds have given back so far (refund dates ≤ each snapshot).
        var returned = Returned.None;
        var snapshots = new List<(DateTimeOffset At, Returned State)>();
        foreach (var refund in ApprovedRefunds(payment))
        {
            var amount = Money.Round2(refund.Amount);
            var completes = returned.Amount + amount >= total;
            var mpShare = policy.ReturnMercadoPagoFeeOnRefund ? Share(mpFee, amount, total, completes, returned.MercadoPagoFee) : 0m;
            var otherShare = policy.ReturnMercadoPagoFeeOnRefund ? Share(otherFees, amount, total, completes, returned.OtherFees) : 0m;
            var (reversedBase, reversedIgv) = (0m, 0m);
            if (policy.ReturnCommissionOnRefund)
            {
                var commissionShare = Share(applicationFee, amount, total, completes, returned.CommissionBase + returned.CommissionIgv);
                (reversedBase, reversedIgv) = completes
                    ? (saleBase - returned.CommissionBase, saleIgv - returned.CommissionIgv)
                    : SplitWithin(commissionShare, saleBase - returned.CommissionBase, saleIgv - returned.CommissionIgv);
            }

            var entry = NewEntry(payment, LedgerEntryKind.Refund, refund.DateCreated, calendar);
            entry.RefundId = refund.Id;
            entry.Tickets = completes && returned.Amount < total ? -payment.Tickets : 0;
            entry.Gross = -amount;
            entry.MercadoPagoFee = mpShare;
            entry.CommissionBase = reversedBase;
            entry.CommissionIgv = reversedIgv;
            entry.OtherFees = otherShare;
            entries.Add(Close(entry));

            returned = new Returned(returned.Amount + amount, returned.MercadoPagoFee + mpShare,
                returned.CommissionBase + reversedBase, returned.CommissionIgv + reversedIgv, returned.OtherFees + otherShare);
            snapshots.Add((refund.DateCreated, returned));
        }

        var (chargebackAt, reimbursedAt) = ChargebackDates(payment);
        if (chargebackAt is not { } at) return entries;

        // What refunds dated up to the chargeback had given back (refunds are ordered by date, so this is a prefix).
        var before = Returned.None;
        foreach (var (refundAt, state) in snapshots)
        {
            if (refundAt <= at) before = state;
        }

        var remaining = total - before.Amount;
        if (remaining <= 0m) return entries;

        var chargeback = NewEntry(payment, LedgerEntryKind.Chargeback, at, calendar);
        chargeback.Tickets = -payment.Tickets;
        chargeback.Gross = -remaining;
        if (policy.ReturnMercadoPagoFeeOnChargeback)
        {
            chargeback.MercadoPagoFee = policy.ReturnMercadoPagoFeeOnRefund
                ? mpFee - before.MercadoPagoFee
                : ProRata(mpFee, remaining, total);
            chargeback.OtherFees = policy.ReturnMercadoPagoFeeOnRefund
                ? otherFees - before.OtherFees
                : ProRata(otherFees, remaining, total);
        }

        if (policy.ReturnCommissionOnChargeback)
        {
            (chargeback.CommissionBase, chargeback.CommissionIgv) = policy.ReturnCommissionOnRefund
                ? (saleBase - before.CommissionBase, saleIgv - before.CommissionIgv)
                : SplitWithin(ProRata(applicationFee, remaining, total), saleBase, saleIgv);
        }

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
        IsCredited(entry.ReleaseState, entry.MoneyReleaseDate, asOf);

    /// <summary>The same rule from an entry's two columns (for readers that project them, not whole entries).</summary>
    public static bool IsCredited(ReleaseState state, DateTimeOffset? moneyReleaseDate, DateTimeOffset asOf) =>
        state == ReleaseState.Released
        || (state == ReleaseState.ReleasesOnDate && moneyReleaseDate <= asOf);

    /// <summary>
    /// When the payment became charged_back (the date_last_updated of that change) and, if it did, when the
    /// chargeback was reimbursed to the seller (status_detail reimbursed, or a return to an approved state).
    /// Both come from the status history; a change the history does not show is dated by the payment's
    /// date_last_updated (the version that showed it).
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
        if (chargebackAt is not null && reimbursedAt is null
            && (IsReimbursed(payment.Status, payment.StatusDetail) || payment.Status == PaymentStatus.Approved))
            reimbursedAt = payment.DateLastUpdated;
        return (chargebackAt, reimbursedAt);
    }

    private static bool IsReimbursed(PaymentStatus status, string? detail) =>
        status == PaymentStatus.ChargedBack && string.Equals(detail, ReimbursedDetail, StringComparison.OrdinalIgnoreCase);

    /// <summary>The approved refunds with a positive amount, oldest first (ties by refund id).</summary>
    private static IEnumerable<PaymentRefund> ApprovedRefunds(Payment payment) => payment.Refunds
        .Where(r => string.Equals(r.Status, "approved", StringComparison.OrdinalIgnoreCase) && r.Amount > 0)
        .OrderBy(r => r.DateCreated).ThenBy(r => r.Id);

    /// <summary>
    /// A refund's share of a fee: the remainder when the refund completes the whole amount, otherwise pro-rata and
    /// rounded, but never more than what is still unreturned.
    /// </summary>
    private static decimal Share(decimal fee, decimal refundAmount, decimal total, bool completes, decimal alreadyReturned)
    {
        if (fee <= 0m || total <= 0m) return 0m;
        var unreturned = fee - alreadyReturned;
        return completes ? unreturned : Math.Min(ProRata(fee, refundAmount, total), unreturned);
    }

    /// <summary><c>round2(fee × part / total)</c>: the pro-rata share of a fee.</summary>
    private static decimal ProRata(decimal fee, decimal part, decimal total) =>
        fee <= 0m || total <= 0m ? 0m : Money.Round2(fee * part / total);

    /// <summary>
    /// Splits a returned commission like the sale's (<see cref="Money.SplitIgvInclusive"/>), keeping base and IGV
    /// within what is still unreturned in each column (moving the excess céntimo to the other column).
    /// </summary>
    private static (decimal Base, decimal Igv) SplitWithin(decimal returnedFee, decimal unreturnedBase, decimal unreturnedIgv)
    {
        var (@base, igv) = Money.SplitIgvInclusive(returnedFee);
        if (@base > unreturnedBase) return (unreturnedBase, returnedFee - unreturnedBase);
        if (igv > unreturnedIgv) return (returnedFee - unreturnedIgv, unreturnedIgv);
        return (@base, igv);
    }

    /// <summary>What the refunds so far have given back, per column (positive amounts).</summary>
    private sealed record Returned(decimal Amount, decimal MercadoPagoFee, decimal CommissionBase, decimal CommissionIgv, decimal OtherFees)
    {
        public static Returned None { get; } = new(0m, 0m, 0m, 0m, 0m);
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
