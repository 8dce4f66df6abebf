namespace BillingPortal.Core.Statements;

/// <summary>Statement generation settings (configuration section <c>Statements</c>).</summary>
public sealed class StatementOptions
{
    public const string SectionName = "Statements";

    /// <summary>Where generated files go: absolute, or relative to the data folder (<c>Database:DataDirectory</c>).</summary>
    public string Directory { get; set; } = "statements";

    /// <summary>Statements with more lines than this are generated in the background; smaller ones download at once.</summary>
    public int BackgroundThresholdLines { get; set; } = 20_000;

    /// <summary>How long an on-demand file is kept.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>How long a worker owns an export before another may take it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts before an export is marked failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The largest PDF, in lines (a PDF of a million lines is 25,000 pages: Excel or CSV are the formats for that).</summary>
    public int MaxPdfLines { get; set; } = 100_000;

    /// <summary>The absolute folder, resolved against the data folder.</summary>
    public string ResolvedDirectory { get; set; } = "";
}
