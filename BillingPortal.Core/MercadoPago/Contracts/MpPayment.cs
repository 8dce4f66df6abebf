using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>
/// A Mercado Pago payment exactly as <c>GET /v1/payments/{id}</c> and <c>/v1/payments/search</c> return it
/// (../shared/mercadopago-api.md §3.3, examples §3.6 and §3.7). Serialized with <see cref="MercadoPagoJsonContext"/>:
/// snake_case names, nulls written as Mercado Pago writes them, dates as <c>yyyy-MM-ddTHH:mm:ss.fffzzz</c>.
/// </summary>
/// <remarks>
/// Reading is tolerant (the API is loosely typed in places): ids that arrive as numbers or strings, a refund
/// <c>source</c> as object or array, <c>labels</c> or <c>label</c>, item quantities and prices as strings or numbers.
/// Fields Mercado Pago adds later are kept in <see cref="AdditionalProperties"/> so nothing is lost on a round trip.
/// Members after <see cref="PointOfInteraction"/> are documented but absent from the §3.6 sample: they are written
/// only when set.
/// </remarks>
public sealed record MpPayment
{
    public long Id { get; init; }

    public DateTimeOffset DateCreated { get; init; }

    /// <summary>Null until the payment is approved.</summary>
    public DateTimeOffset? DateApproved { get; init; }

    public DateTimeOffset? DateLastUpdated { get; init; }

    /// <summary>When a pending payment (e.g. a PagoEfectivo CIP) expires.</summary>
    public DateTimeOffset? DateOfExpiration { get; init; }

    /// <summary>When the funds become available to the collector.</summary>
    public DateTimeOffset? MoneyReleaseDate { get; init; }

    /// <summary><c>pending</c> or <c>released</c>; null on some payloads.</summary>
    public string? MoneyReleaseStatus { get; init; }

    /// <summary>Null or <c>payment_in_flow</c> (installments released over months).</summary>
    public string? MoneyReleaseSchema { get; init; }

    /// <summary><c>regular_payment</c>, <c>money_transfer</c>, …</summary>
    public string? OperationType { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? IssuerId { get; init; }

    /// <summary><c>visa</c>, <c>master</c>, <c>amex</c>, <c>diners</c>, <c>pagoefectivo_atm</c>, …</summary>
    public string? PaymentMethodId { get; init; }

    /// <summary><c>credit_card</c>, <c>debit_card</c>, <c>atm</c>, <c>digital_wallet</c>, …</summary>
    public string? PaymentTypeId { get; init; }

    /// <summary>See <see cref="MercadoPagoStatuses"/> (§3.4).</summary>
    public string? Status { get; init; }

    public string? StatusDetail { get; init; }

    public string? CurrencyId { get; init; }

    public string? Description { get; init; }

    public bool LiveMode { get; init; }

    /// <summary>Deprecated by Mercado Pago; still present (null).</summary>
    public long? SponsorId { get; init; }

    public string? AuthorizationCode { get; init; }

    /// <summary>The seller (organizer) user id = the OAuth <c>user_id</c>.</summary>
    public long? CollectorId { get; init; }

    /// <summary>The marketplace (platform) user id.</summary>
    public long? MarketplaceOwner { get; init; }

    /// <summary>Email and identification are returned only for approved, refunded and charged_back payments.</summary>
    public MpPayer? Payer { get; init; }

    /// <summary>Free key/value pairs set at creation (snake_cased keys).</summary>
    public JsonObject? Metadata { get; init; }

    public MpAdditionalInfo? AdditionalInfo { get; init; }

    /// <summary><c>{ "id": "...", "type": "mercadopago" }</c> or <c>{}</c>.</summary>
    public MpOrder? Order { get; init; }

    /// <summary>The integrator's reference: the portal's purchase id.</summary>
    public string? ExternalReference { get; init; }

    /// <summary>The gross price charged.</summary>
    public decimal TransactionAmount { get; init; }

    /// <summary>Cumulative approved refunds.</summary>
    public decimal? TransactionAmountRefunded { get; init; }

    public decimal? CouponAmount { get; init; }

    public decimal? ShippingAmount { get; init; }

    public decimal? TaxesAmount { get; init; }

    public int? Installments { get; init; }

    public MpTransactionDetails? TransactionDetails { get; init; }

    /// <summary>Fees by type and payer (§3.5): <c>net_received_amount = transaction_amount − Σ collector fees</c>.</summary>
    public IReadOnlyList<MpFeeDetail>? FeeDetails { get; init; }

    /// <summary>Newer fee breakdown; empty in most payloads.</summary>
    public IReadOnlyList<MpChargeDetail>? ChargesDetails { get; init; }

    public bool? Captured { get; init; }

    public bool? BinaryMode { get; init; }

    public string? CallForAuthorizeId { get; init; }

    public string? StatementDescriptor { get; init; }

    /// <summary>Card payments only.</summary>
    public MpCard? Card { get; init; }

    public string? NotificationUrl { get; init; }

    /// <summary>Refunds (§4.1); those labelled <c>hidden</c> are not returned.</summary>
    public IReadOnlyList<MpRefund>? Refunds { get; init; }

    /// <summary><c>aggregator</c> or <c>gateway</c>.</summary>
    public string? ProcessingMode { get; init; }

    public string? MerchantAccountId { get; init; }

    public IReadOnlyList<JsonElement>? AcquirerReconciliation { get; init; }

    public MpPointOfInteraction? PointOfInteraction { get; init; }

    // Documented in the reference or the SDKs but absent from the §3.6 sample: written only when set.

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MpPaymentMethod? PaymentMethod { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CallbackUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IntegratorId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PlatformId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CorporationId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? StoreId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? PosId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CounterCurrency { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeductionSchema { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? DifferentialPricingId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BuildVersion { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FinancingGroup { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CouponCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? NetAmount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<JsonElement>? Taxes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonPropertyName("three_ds_info")]
    public JsonElement? ThreeDsInfo { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MerchantNumber { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PaymentMethodOptionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? InternalMetadata { get; init; }

    /// <summary>Any field this contract does not model yet, kept verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The buyer as Mercado Pago reports it.</summary>
public sealed record MpPayer
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }

    public string? Email { get; init; }

    /// <summary><c>customer</c>, <c>guest</c>, <c>registered</c> or null.</summary>
    public string? Type { get; init; }

    public string? EntityType { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? OperatorId { get; init; }

    public MpIdentification? Identification { get; init; }

    public MpPhone? Phone { get; init; }
}

/// <summary>A document: <c>DNI</c> (8 digits) or <c>RUC</c> (11 digits) in Peru.</summary>
public sealed record MpIdentification
{
    public string? Type { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Number { get; init; }
}

public sealed record MpPhone
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? AreaCode { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Number { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Extension { get; init; }
}

/// <summary><c>additional_info</c>: the items sold and extra buyer data.</summary>
public sealed record MpAdditionalInfo
{
    public IReadOnlyList<MpItem>? Items { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Payer { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Shipments { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IpAddress { get; init; }
}

/// <summary>An item line. Mercado Pago returns quantity and unit price as strings here (§3.6); numbers are accepted too.</summary>
public sealed record MpItem
{
    public string? Id { get; init; }

    public string? Title { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PictureUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CategoryId { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public int? Quantity { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public decimal? UnitPrice { get; init; }
}

/// <summary><c>order</c>: the merchant order, or an empty object.</summary>
public sealed record MpOrder
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }
}

/// <summary><c>transaction_details</c>: what the collector receives and how the buyer paid.</summary>
public sealed record MpTransactionDetails
{
    /// <summary>What the collector receives: transaction_amount − Σ fees paid by the collector.</summary>
    public decimal? NetReceivedAmount { get; init; }

    /// <summary>What the buyer paid, fees paid by the payer included.</summary>
    public decimal? TotalPaidAmount { get; init; }

    public decimal? OverpaidAmount { get; init; }

    public decimal? InstallmentAmount { get; init; }

    public string? ExternalResourceUrl { get; init; }

    public string? FinancialInstitution { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PaymentMethodReferenceId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PayableDeferralPeriod { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? AcquirerReference { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? TransactionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BankTransferId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MpBarcode? Barcode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DigitableLine { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VerificationCode { get; init; }
}

public sealed record MpBarcode
{
    public string? Content { get; init; }
}

/// <summary>One <c>fee_details</c> item (§3.5).</summary>
public sealed record MpFeeDetail
{
    /// <summary>See <see cref="MercadoPagoFeeTypes"/>.</summary>
    public string? Type { get; init; }

    public decimal Amount { get; init; }

    /// <summary><c>collector</c> (deducted from the net) or <c>payer</c> (paid on top).</summary>
    public string? FeePayer { get; init; }
}

/// <summary>One <c>charges_details</c> item (newer fee breakdown; shape from the official Node SDK).</summary>
public sealed record MpChargeDetail
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Type { get; init; }

    public MpChargeAccounts? Accounts { get; init; }

    public long? ClientId { get; init; }

    public DateTimeOffset? DateCreated { get; init; }

    public DateTimeOffset? LastUpdated { get; init; }

    public MpChargeAmounts? Amounts { get; init; }

    public JsonObject? Metadata { get; init; }

    public JsonElement? ReserveId { get; init; }

    public IReadOnlyList<JsonElement>? RefundCharges { get; init; }
}

public sealed record MpChargeAccounts
{
    public string? From { get; init; }

    public string? To { get; init; }
}

public sealed record MpChargeAmounts
{
    public decimal? Original { get; init; }

    public decimal? Refunded { get; init; }
}

/// <summary>The card used (first six and last four digits only).</summary>
public sealed record MpCard
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }

    public string? FirstSixDigits { get; init; }

    public string? LastFourDigits { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Bin { get; init; }

    public int? ExpirationMonth { get; init; }

    public int? ExpirationYear { get; init; }

    public DateTimeOffset? DateCreated { get; init; }

    public DateTimeOffset? DateLastUpdated { get; init; }

    public MpCardholder? Cardholder { get; init; }
}

public sealed record MpCardholder
{
    public string? Name { get; init; }

    public MpIdentification? Identification { get; init; }
}

/// <summary><c>point_of_interaction</c>: where the payment came from.</summary>
public sealed record MpPointOfInteraction
{
    public string? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SubType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LinkedTo { get; init; }

    public MpBusinessInfo? BusinessInfo { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? ApplicationData { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? TransactionData { get; init; }
}

public sealed record MpBusinessInfo
{
    public string? Unit { get; init; }

    public string? SubUnit { get; init; }
}

/// <summary><c>payment_method</c> (SDK field): id, type, issuer and routing data.</summary>
public sealed record MpPaymentMethod
{
    public string? Id { get; init; }

    public string? Type { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? IssuerId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; init; }
}
