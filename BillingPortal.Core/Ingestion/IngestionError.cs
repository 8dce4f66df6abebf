using System.Text.Json.Serialization;

namespace BillingPortal.Core.Ingestion;

/// <summary>
/// One broken rule. <see cref="Row"/> is the 0-based index in <c>items</c> (null for a request-level error),
/// <see cref="Field"/> the snake_case field name, <see cref="Rule"/> a stable code from <see cref="IngestionRules"/>,
/// <see cref="Message"/> a Spanish explanation for people.
/// </summary>
public sealed record IngestionError(
    [property: JsonPropertyName("row"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Row,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("message")] string Message);
