namespace BillingPortal.Core.Ingestion;

/// <summary>An event as the ticketing platform sends it (snake_case on the wire).</summary>
public sealed record EventRow
{
    public string? Id { get; init; }

    /// <summary>The platform id of an organizer that already exists in the portal.</summary>
    public string? OrganizerId { get; init; }

    public string? Name { get; init; }

    public string? Venue { get; init; }

    public string? City { get; init; }

    /// <summary>ISO-8601 with an offset (<c>2026-03-01T20:00:00-05:00</c>); kept as text so a missing offset can be rejected.</summary>
    public string? StartsAt { get; init; }

    public int? Capacity { get; init; }

    /// <summary><c>scheduled</c>, <c>finished</c> or <c>cancelled</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Omitted: false for a new event, unchanged for an existing one.</summary>
    public bool? PayoutsFrozen { get; init; }
}
