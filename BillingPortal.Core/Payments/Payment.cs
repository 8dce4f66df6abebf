namespace BillingPortal.Core.Payments;

/// <summary>
/// The portal's copy of Mercado Pago's record of the money for a purchase (../shared/mercadopago-api.md §3.3):
/// every field the ledger needs, fees by type, refunds and the status history as observed.
/// </summary>
public class Payment
{
    /// <summary>Mercado Pago's payment id (not generated here).</summary>
    public long Id { get; set; }

    public int OrganizerId { get; set; }

    /// <summary>The seller's Mercado Pago user id (<c>collector_id</c>).</summary>
    public long CollectorId { get; set; }

    /// <summary>The purchase matched through <see cref="ExternalReference"/>; null when none matched (an anomaly).</summary>
    public long? PurchaseId { get; set; }

    /// <summary>Denormalised from the purchase, for per-event queries.</summary>
    public int? EventId { get; set; }

    public string? ExternalReference { get; set; }

    public PaymentStatus Status { get; set; }

    public string? StatusDetail { get; set; }

    public string CurrencyId { get; set; } = "PEN";

    public decimal TransactionAmount { get; set; }

    public decimal TransactionAmountRefunded { get; set; }

    /// <summary><c>transaction_details.net_received_amount</c> as Mercado Pago reported it.</summary>
    public decimal NetReceivedAmount { get; set; }

    public decimal TotalPaidAmount { get; set; }

    /// <summary>Σ fee_details of type mercadopago_fee paid by the collector.</summary>
    public decimal MercadoPagoFee { get; set; }

    /// <summary>Σ fee_details of type application_fee paid by the collector (the commission, IGV included).</summary>
    public decimal ApplicationFee { get; set; }

    /// <summary>Σ every other fee_details paid by the collector (financing, shipping, …).</summary>
    public decimal OtherCollectorFees { get; set; }

    /// <summary>Σ fee_details paid by the payer on top: shown, never deducted from the organizer.</summary>
    public decimal PayerFees { get; set; }

    public DateTimeOffset DateCreated { get; set; }

    public DateTimeOffset? DateApproved { get; set; }

    public DateTimeOffset DateLastUpdated { get; set; }

    public DateTimeOffset? MoneyReleaseDate { get; set; }

    /// <summary><c>money_release_status</c>: pending, released, or null when Mercado Pago omits it.</summary>
    public MoneyReleaseStatus? MoneyReleaseStatus { get; set; }

    public string? PaymentMethodId { get; set; }

    public string? PaymentTypeId { get; set; }

    public int Installments { get; set; }

    /// <summary>Tickets in the matched purchase (0 when unmatched).</summary>
    public int Tickets { get; set; }

    public string? PayerEmail { get; set; }

    public string? PayerIdentificationType { get; set; }

    public string? PayerIdentificationNumber { get; set; }

    public string? Description { get; set; }

    public bool LiveMode { get; set; }

    /// <summary>When the portal last stored this version.</summary>
    public DateTimeOffset SyncedAt { get; set; }

    public List<PaymentFee> Fees { get; set; } = [];

    public List<PaymentRefund> Refunds { get; set; } = [];

    public List<PaymentStatusChange> StatusHistory { get; set; } = [];
}

/// <summary>Mercado Pago's payment <c>status</c> values (§3.4).</summary>
public enum PaymentStatus
{
    Pending,
    Approved,
    Authorized,
    InProcess,
    InMediation,
    Rejected,
    Cancelled,
    Refunded,
    ChargedBack,
}

/// <summary>Mercado Pago's <c>money_release_status</c>.</summary>
public enum MoneyReleaseStatus
{
    Pending,
    Released,
}

/// <summary>One <c>fee_details</c> item.</summary>
public class PaymentFee
{
    public long Id { get; set; }

    public long PaymentId { get; set; }

    /// <summary><c>mercadopago_fee</c>, <c>application_fee</c>, <c>financing_fee</c>, …</summary>
    public required string Type { get; set; }

    public decimal Amount { get; set; }

    public FeePayer FeePayer { get; set; }
}

/// <summary>Who pays a fee: the collector (deducted from net) or the payer (on top).</summary>
public enum FeePayer
{
    Collector,
    Payer,
}

/// <summary>One refund of a payment (§4.1); only <c>approved</c> refunds produce ledger entries.</summary>
public class PaymentRefund
{
    /// <summary>Mercado Pago's refund id.</summary>
    public long Id { get; set; }

    public long PaymentId { get; set; }

    public decimal Amount { get; set; }

    /// <summary><c>approved</c>, <c>in_process</c>, <c>rejected</c>, <c>cancelled</c>, <c>authorized</c>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset DateCreated { get; set; }

    public string? SourceType { get; set; }
}

/// <summary>A status the payment was seen in, dated by its <c>date_last_updated</c>.</summary>
public class PaymentStatusChange
{
    public long Id { get; set; }

    public long PaymentId { get; set; }

    public PaymentStatus Status { get; set; }

    public string? StatusDetail { get; set; }

    /// <summary>The payment's <c>date_last_updated</c> in the version that showed this status.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>When the portal recorded it.</summary>
    public DateTimeOffset RecordedAt { get; set; }
}
