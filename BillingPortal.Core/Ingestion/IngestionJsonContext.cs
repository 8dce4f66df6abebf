using System.Text.Json.Serialization;

namespace BillingPortal.Core.Ingestion;

/// <summary>
/// The ingestion wire format (source-generated): snake_case names, unknown fields and repeated fields rejected
/// (a misspelt <c>commision_rate</c> must not be silently ignored), numbers only as JSON numbers.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IngestionBatch<OrganizerRow>), TypeInfoPropertyName = "OrganizerBatch")]
[JsonSerializable(typeof(IngestionBatch<EventRow>), TypeInfoPropertyName = "EventBatch")]
[JsonSerializable(typeof(IngestionBatch<PurchaseRow>), TypeInfoPropertyName = "PurchaseBatch")]
[JsonSerializable(typeof(IngestionResult))]
[JsonSerializable(typeof(IngestionError))]
[JsonSerializable(typeof(IReadOnlyList<IngestionError>))]
public sealed partial class IngestionJsonContext : JsonSerializerContext;
