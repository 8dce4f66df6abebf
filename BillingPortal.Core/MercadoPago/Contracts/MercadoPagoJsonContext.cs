using System.Text.Json.Serialization;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>
/// The System.Text.Json source-generated context for every Mercado Pago contract: snake_case names (the API's
/// convention, §1), nulls written (Mercado Pago writes them too), dates through
/// <see cref="MercadoPagoDateTimeOffsetConverter"/>, numbers also accepted as strings.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(MercadoPagoDateTimeOffsetConverter)])]
[JsonSerializable(typeof(MpPayment))]
[JsonSerializable(typeof(MpPaymentSearchResponse))]
[JsonSerializable(typeof(MpRefund))]
[JsonSerializable(typeof(IReadOnlyList<MpRefund>))]
[JsonSerializable(typeof(MpErrorResponse))]
[JsonSerializable(typeof(MpOAuthToken))]
[JsonSerializable(typeof(MpOAuthTokenRequest))]
[JsonSerializable(typeof(MpUser))]
[JsonSerializable(typeof(MpRefundRequest))]
[JsonSerializable(typeof(MpWebhookNotification))]
public sealed partial class MercadoPagoJsonContext : JsonSerializerContext;
