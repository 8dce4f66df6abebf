namespace BillingPortal.Core.Statements;

/// <summary>
/// A statement file generated in the background (a large on-demand one, or a monthly one): what was asked, how far the
/// generation got, and where the file is until it expires. Small statements are streamed at once and leave no row.
/// </summary>
public class StatementExport
{
    public Guid Id { get; set; }

    public int OrganizerId { get; set; }

    /// <summary>Who asked (null for the monthly job).</summary>
    public int? RequestedByUserId { get; set; }

    public StatementExportKind Kind { get; set; }

    public DateOnly PeriodFrom { get; set; }

    public DateOnly PeriodTo { get; set; }

    public int? EventId { get; set; }

    public StatementFormat Format { get; set; }

    /// <summary>The CSV separator (<c>,</c> or <c>;</c>); null for PDF and Excel.</summary>
    public string? CsvSeparator { get; set; }

    /// <summary>The statement number: monthly statements are numbered <c>EC-{yyyy}-{MM}-{organizer:D6}</c>.</summary>
    public string? Number { get; set; }

    public StatementExportStatus Status { get; set; }

    public long LinesTotal { get; set; }

    public long LinesWritten { get; set; }

    /// <summary>The name the download gets (organizer, period and format).</summary>
    public required string FileName { get; set; }

    /// <summary>Where the file is, relative to the statements folder; null until completed.</summary>
    public string? StoragePath { get; set; }

    public long? SizeBytes { get; set; }

    /// <summary>SHA-256 of the file (hex).</summary>
    public string? Sha256 { get; set; }

    /// <summary>SHA-256 of the statement's figures (summary, balance, per-event rows and every line): equal on regeneration.</summary>
    public string? FiguresSha256 { get; set; }

    /// <summary>A short Spanish reason when it failed (never a stack trace).</summary>
    public string? Error { get; set; }

    public int Attempts { get; set; }

    /// <summary>A worker owns the export until then (a crashed worker's export is taken again after it).</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When the file is deleted (on-demand exports only; monthly statements are kept).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>0–100.</summary>
    public int Progress => Status == StatementExportStatus.Completed ? 100
        : LinesTotal <= 0 ? 0 : (int)Math.Min(99, LinesWritten * 100 / LinesTotal);
}

public enum StatementExportKind
{
    OnDemand,
    Monthly,
}

public enum StatementFormat
{
    Pdf,
    Xlsx,
    Csv,
}

public enum StatementExportStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Expired,
}
