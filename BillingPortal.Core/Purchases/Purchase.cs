using BillingPortal.Core.Events;

namespace BillingPortal.Core.Purchases;

/// <summary>
/// A ticket order on the ticketing platform. Its <see cref="ExternalId"/> is sent to Mercado Pago as the
/// payment's <c>external_reference</c>, which is how payments are matched to purchases.
/// </summary>
public class Purchase
{
    public long Id { get; set; }

    /// <summary>The platform's order id (= Mercado Pago <c>external_reference</c>), unique.</summary>
    public required string ExternalId { get; set; }

    /// <summary>Denormalised from the event so every query can scope by organizer without a join.</summary>
    public int OrganizerId { get; set; }

    public int EventId { get; set; }

    public Event? Event { get; set; }

    public required string BuyerEmail { get; set; }

    public string? BuyerName { get; set; }

    public string? BuyerDocument { get; set; }

    public int Tickets { get; set; }

    /// <summary>The order amount in PEN (what the buyer was asked to pay).</summary>
    public decimal Amount { get; set; }

    public string Currency { get; set; } = "PEN";

    public PurchaseStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the platform saw the order paid; null while unpaid.</summary>
    public DateTimeOffset? PaymentDate { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The platform's view of an order.</summary>
public enum PurchaseStatus
{
    Pending,
    Paid,
    Cancelled,
    Refunded,
}
