using BillingPortal.Core.Payments;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// One stored line of the ledger (../shared/domain.md, "The ledger"), produced by <see cref="LedgerEngine"/> from a
/// payment. Amounts are signed effects on the organizer's money: a sale has a positive gross and negative fees;
/// a refund has a negative gross and (when returned) positive fees. <c>Net</c> is always the sum of the columns.
/// </summary>
public class LedgerEntry
{
    public long Id { get; set; }

    public int OrganizerId { get; set; }

    public long PaymentId { get; set; }

    public int? EventId { get; set; }

    public LedgerEntryKind Kind { get; set; }

    /// <summary>The Mercado Pago refund id for refund entries; null otherwise.</summary>
    public long? RefundId { get; set; }

    /// <summary>When it happened (UTC).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The accounting date of <see cref="OccurredAt"/> in the organizer's time zone.</summary>
    public DateOnly LocalDate { get; set; }

    public int Tickets { get; set; }

    public decimal Gross { get; set; }

    public decimal MercadoPagoFee { get; set; }

    public decimal CommissionBase { get; set; }

    public decimal CommissionIgv { get; set; }

    public decimal OtherFees { get; set; }

    public decimal Net { get; set; }

    public string Currency { get; set; } = "PEN";

    public string? PaymentMethodId { get; set; }

    public string? PaymentTypeId { get; set; }

    /// <summary>The payment's status when this entry was computed (entries are recomputed on every change).</summary>
    public PaymentStatus PaymentStatus { get; set; }

    /// <summary>The payment's <c>money_release_date</c>.</summary>
    public DateTimeOffset? MoneyReleaseDate { get; set; }

    /// <summary>The accounting date of <see cref="MoneyReleaseDate"/> (for grouping upcoming releases).</summary>
    public DateOnly? ReleaseLocalDate { get; set; }

    /// <summary>How the payment's money is released; see <see cref="ReleaseState"/>.</summary>
    public ReleaseState ReleaseState { get; set; }
}

/// <summary>The kinds of ledger line.</summary>
public enum LedgerEntryKind
{
    Sale,
    Refund,
    Chargeback,
    ChargebackReversal,
}

/// <summary>
/// Where a payment's money stands, independent of "now": credited once <c>money_release_status = released</c>;
/// when that field is absent, credited once <c>money_release_date</c> has passed while still approved
/// (<see cref="ReleasesOnDate"/>); held while a dispute is open (<c>in_mediation</c>); otherwise pending.
/// </summary>
public enum ReleaseState
{
    /// <summary>Not released yet (money_release_status = pending, or no usable release date).</summary>
    Pending,

    /// <summary>money_release_status is absent: credited once MoneyReleaseDate ≤ as-of.</summary>
    ReleasesOnDate,

    /// <summary>money_release_status = released.</summary>
    Released,

    /// <summary>in_mediation: a dispute is open; the money is held, never credited.</summary>
    Held,
}
