namespace BillingPortal.Core.Ingestion;

/// <summary>A purchase (ticket order) as the ticketing platform sends it (snake_case on the wire).</summary>
public sealed record PurchaseRow
{
    /// <summary>The platform's order id, sent to Mercado Pago as <c>external_reference</c>.</summary>
    public string? Id { get; init; }

    /// <summary>The platform id of an event that already exists in the portal.</summary>
    public string? EventId { get; init; }

    public string? BuyerEmail { get; init; }

    public string? BuyerName { get; init; }

    public string? BuyerDocument { get; init; }

    public int? Tickets { get; init; }

    /// <summary>PEN, ≥ 0, ≤ 2 decimals, ≤ 1,000,000.</summary>
    public decimal? Amount { get; init; }

    /// <summary><c>PEN</c> only.</summary>
    public string? Currency { get; init; }

    /// <summary><c>pending</c>, <c>paid</c>, <c>cancelled</c> or <c>refunded</c>.</summary>
    public string? Status { get; init; }

    /// <summary>ISO-8601 with an offset; at most 5 minutes in the future.</summary>
    public string? CreatedAt { get; init; }

    /// <summary>ISO-8601 with an offset, not before <see cref="CreatedAt"/>; required when the status is <c>paid</c>.</summary>
    public string? PaymentDate { get; init; }
}
