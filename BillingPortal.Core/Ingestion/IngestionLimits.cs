namespace BillingPortal.Core.Ingestion;

/// <summary>The fixed limits of the ingestion API (the body size limit is configurable: <see cref="IngestionOptions.MaxBodyBytes"/>).</summary>
public static class IngestionLimits
{
    /// <summary>Rows per request; a request with more is rejected whole.</summary>
    public const int MaxRowsPerRequest = 10_000;

    public const int MaxExternalIdLength = 64;

    public const int MaxTicketsPerPurchase = 1_000;

    public const decimal MaxPurchaseAmount = 1_000_000m;

    /// <summary>How far in the future a purchase's <c>created_at</c> may be (clock skew between the systems).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Ids per <c>IN (...)</c> query when loading existing rows: far below SQLite's parameter limit (32,766; 999 on old
    /// builds) and SQL Server's (2,100).
    /// </summary>
    public const int LookupChunkSize = 500;

    /// <summary>The commission rate of a new organizer's plan when the row does not give one.</summary>
    public const decimal DefaultCommissionRate = 0.05m;
}
