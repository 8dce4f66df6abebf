using System.Text.Json.Serialization;

namespace BillingPortal.Core.Ingestion;

/// <summary>What an accepted request did: every received row is exactly one of created, updated or unchanged.</summary>
public sealed record IngestionResult(
    [property: JsonPropertyName("received")] int Received,
    [property: JsonPropertyName("created")] int Created,
    [property: JsonPropertyName("updated")] int Updated,
    [property: JsonPropertyName("unchanged")] int Unchanged);

/// <summary>The outcome of an ingestion call: a result when accepted, otherwise the errors (and nothing was written).</summary>
public sealed record IngestionOutcome
{
    private IngestionOutcome(IngestionResult? result, IReadOnlyList<IngestionError> errors)
    {
        Result = result;
        Errors = errors;
    }

    public IngestionResult? Result { get; }

    public IReadOnlyList<IngestionError> Errors { get; }

    public bool Succeeded => Result is not null;

    public static IngestionOutcome Accepted(IngestionResult result) => new(result, []);

    public static IngestionOutcome Rejected(IReadOnlyList<IngestionError> errors) => new(null, errors);
}
