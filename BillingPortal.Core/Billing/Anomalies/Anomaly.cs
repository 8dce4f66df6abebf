namespace BillingPortal.Core.Billing.Anomalies;

/// <summary>
/// Something in Mercado Pago's data that does not add up, recorded for the admins' review and never
/// papered over (../shared/domain.md): a net that differs from the fees, a commission that differs from the plan,
/// a foreign currency, a payment with no purchase, a purchase whose amount differs.
/// </summary>
public class Anomaly
{
    public long Id { get; set; }

    public int? OrganizerId { get; set; }

    public long? PaymentId { get; set; }

    public AnomalyKind Kind { get; set; }

    public decimal? Expected { get; set; }

    public decimal? Actual { get; set; }

    /// <summary>A human explanation (Spanish), never personal data.</summary>
    public required string Detail { get; set; }

    public DateTimeOffset DetectedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>The kinds of anomaly the ledger and sync detect.</summary>
public enum AnomalyKind
{
    /// <summary>net_received_amount ≠ transaction_amount − Σ collector fees by more than S/ 0.01.</summary>
    NetMismatch,

    /// <summary>application_fee differs from the plan's expected commission by more than S/ 0.01.</summary>
    CommissionMismatch,

    /// <summary>A currency other than PEN: never summed with soles.</summary>
    ForeignCurrency,

    /// <summary>A payment whose external_reference matches no purchase.</summary>
    UnmatchedPayment,

    /// <summary>A payment whose amount differs from its purchase's amount.</summary>
    AmountMismatch,
}
