namespace BillingPortal.Core.Ingestion;

/// <summary>The body of every ingestion request: <c>{ "items": [ ... ] }</c>.</summary>
public sealed record IngestionBatch<TRow>
    where TRow : class
{
    /// <summary>The rows, at most <see cref="IngestionLimits.MaxRowsPerRequest"/>.</summary>
    public IReadOnlyList<TRow?>? Items { get; init; }
}
