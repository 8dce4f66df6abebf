namespace BillingPortal.Core.Ingestion;

/// <summary>
/// The ingestion API's settings (section <c>Ingestion</c>). Keys come from the environment or user-secrets
/// (<c>Ingestion__ApiKeys__0</c>), never from a committed file.
/// </summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>8 MB: about 20,000 purchase rows, twice the row limit.</summary>
    public const long DefaultMaxBodyBytes = 8 * 1024 * 1024;

    public const long MinMaxBodyBytes = 1024;

    public const long MaxMaxBodyBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The platform's API keys. Any one of them is accepted, so a key can be rotated by adding the new one,
    /// switching the platform over, then removing the old one. Blank entries are ignored; with no key at all
    /// the API is disabled (every request gets 401).
    /// </summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>The largest request body accepted, in bytes (larger bodies get 413).</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>The configured keys that are not blank.</summary>
    public IEnumerable<string> UsableApiKeys => ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k));
}
