namespace BillingPortal.Core.Caching;

/// <summary>
/// The report cache (configuration section <c>Cache</c>; the Redis second level is <c>ConnectionStrings:Redis</c>).
/// Validated at start-up: every lifetime positive, the local one no longer than the shortest entry lifetime.
/// </summary>
public sealed class ReportCacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>The connection string name of the optional Redis second level (<c>ConnectionStrings:Redis</c>).</summary>
    public const string RedisConnectionStringName = "Redis";

    /// <summary>Off: every read goes to the database and nothing is stored (the same figures, only slower).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long the dashboard's figures (summary, events list, event, dashboard) are kept. Short, because they carry the
    /// balance «as of now» and the events' state: this bounds how stale those can be when no payment changes.
    /// </summary>
    public TimeSpan DashboardTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the bytes of a small (immediate) statement are kept.</summary>
    public TimeSpan StatementTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an entry stays in this process's memory (the first level) before it is read again from Redis.</summary>
    public TimeSpan LocalTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest entry stored (a statement file above this is served but not cached).</summary>
    public int MaxEntryBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Prefix of every Redis key and of the invalidation channel, so several portals can share one Redis.</summary>
    public string RedisInstanceName { get; set; } = "billingportal:";

    internal static string? Validate(ReportCacheOptions o)
    {
        if (o.DashboardTtl <= TimeSpan.Zero) return "Cache:DashboardTtl must be positive.";
        if (o.StatementTtl <= TimeSpan.Zero) return "Cache:StatementTtl must be positive.";
        if (o.LocalTtl <= TimeSpan.Zero) return "Cache:LocalTtl must be positive.";
        if (o.LocalTtl > o.DashboardTtl || o.LocalTtl > o.StatementTtl) return "Cache:LocalTtl must not be longer than Cache:DashboardTtl nor Cache:StatementTtl.";
        if (o.MaxEntryBytes < 1024) return "Cache:MaxEntryBytes must be at least 1024.";
        if (string.IsNullOrWhiteSpace(o.RedisInstanceName)) return "Cache:RedisInstanceName must not be empty.";
        return null;
    }
}
