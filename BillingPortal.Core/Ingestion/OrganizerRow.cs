namespace BillingPortal.Core.Ingestion;

/// <summary>
/// An organizer as the ticketing platform sends it (snake_case on the wire). Every property is nullable so that a
/// missing field is reported as a row error, not as unreadable JSON.
/// </summary>
public sealed record OrganizerRow
{
    /// <summary>The platform's id (≤ 64 characters).</summary>
    public string? Id { get; init; }

    /// <summary><c>RUC</c> or <c>DNI</c>.</summary>
    public string? TaxIdType { get; init; }

    public string? TaxId { get; init; }

    /// <summary>Razón social (company) or full name (person), ≤ 200 characters.</summary>
    public string? LegalName { get; init; }

    public string? ContactEmail { get; init; }

    /// <summary>IANA time zone id; omitted: America/Lima for a new organizer, unchanged for an existing one.</summary>
    public string? TimeZone { get; init; }

    /// <summary>0..1, ≤ 4 decimals; omitted: 5% for a new organizer, unchanged for an existing one.</summary>
    public decimal? CommissionRate { get; init; }

    /// <summary>≥ 0, ≤ 2 decimals (before IGV); omitted: 0.00 for a new organizer, unchanged for an existing one.</summary>
    public decimal? CommissionFixedPerTicket { get; init; }
}
