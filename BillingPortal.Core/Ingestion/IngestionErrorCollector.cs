namespace BillingPortal.Core.Ingestion;

/// <summary>Collects errors in the order found and returns them sorted by row.</summary>
internal sealed class IngestionErrorCollector
{
    private readonly List<IngestionError> _errors = [];

    public int Count => _errors.Count;

    public void Add(int? row, string? id, string field, string rule, string message) =>
        _errors.Add(new IngestionError(row, id, field, rule, message));

    public void AddRange(IEnumerable<IngestionError> errors) => _errors.AddRange(errors);

    /// <summary>Request-level errors first, then by row; within a row, in the order the fields were checked.</summary>
    public IReadOnlyList<IngestionError> ToList() => [.. _errors.OrderBy(e => e.Row ?? -1)];
}
