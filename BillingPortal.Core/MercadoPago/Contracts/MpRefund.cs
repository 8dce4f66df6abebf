using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>
/// A refund of a payment (../shared/mercadopago-api.md §4.1), as found in <c>refunds[]</c> and returned by
/// <c>/v1/payments/{id}/refunds</c>. Only <c>approved</c> refunds move money.
/// </summary>
public sealed record MpRefund
{
    public long Id { get; init; }

    public long PaymentId { get; init; }

    public decimal Amount { get; init; }

    public JsonObject? Metadata { get; init; }

    /// <summary>Who refunded. The reference types it as an array; real payloads show an object: both are read.</summary>
    [JsonConverter(typeof(RefundSourceConverter))]
    public MpRefundSource? Source { get; init; }

    public DateTimeOffset DateCreated { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? UniqueSequenceNumber { get; init; }

    /// <summary><c>standard</c>.</summary>
    public string? RefundMode { get; init; }

    public decimal? AdjustmentAmount { get; init; }

    /// <summary><c>approved</c>, <c>in_process</c>, <c>rejected</c>, <c>cancelled</c>, <c>authorized</c>.</summary>
    public string? Status { get; init; }

    public string? Reason { get; init; }

    /// <summary>Real payloads are believed to use <c>labels</c> (UNCONFIRMED); see also <see cref="Label"/>.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>The reference's name for <see cref="Labels"/>; read when present, written only when set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Label { get; init; }

    public decimal? AmountRefundedToPayer { get; init; }

    public IReadOnlyList<JsonElement>? PartitionDetails { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The origin of a refund: <c>type</c> is <c>collector</c>, <c>operator</c>, <c>admin</c>, <c>bpp</c> or <c>marketplace</c>.</summary>
public sealed record MpRefundSource
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Type { get; init; }
}
