using System.Text.Json.Serialization;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>
/// Mercado Pago's error body (§6.1): <c>{"message","error","status","cause":[{"code","description","data"}]}</c>.
/// <c>cause[].code</c> is numeric in payloads but a string in the SDK model: both are read.
/// </summary>
public sealed record MpErrorResponse
{
    public string? Message { get; init; }

    public string? Error { get; init; }

    public int? Status { get; init; }

    public IReadOnlyList<MpErrorCause>? Cause { get; init; }
}

public sealed record MpErrorCause
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; init; }

    public string? Description { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Data { get; init; }
}
