using System.Text.Json.Serialization;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary><c>POST /oauth/token</c>'s answer (§2.4), the same shape for both grants.</summary>
public sealed record MpOAuthToken
{
    public string? AccessToken { get; init; }

    /// <summary>Only <c>bearer</c>.</summary>
    public string? TokenType { get; init; }

    /// <summary>Seconds; 15552000 (180 days) by default.</summary>
    public long? ExpiresIn { get; init; }

    /// <summary>Space separated, e.g. <c>offline_access read write</c>.</summary>
    public string? Scope { get; init; }

    /// <summary>The linked seller = the <c>collector_id</c> of its payments (a number; also read from a string).</summary>
    public long UserId { get; init; }

    public string? RefreshToken { get; init; }

    public string? PublicKey { get; init; }

    public bool LiveMode { get; init; }

    /// <summary>Fields added later by Mercado Pago.</summary>
    [JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Never print a token: only the non-secret fields.</summary>
    public override string ToString() =>
        $"MpOAuthToken {{ UserId = {UserId}, Scope = {Scope}, ExpiresIn = {ExpiresIn}, LiveMode = {LiveMode} }}";
}

/// <summary>The body of a <c>POST /oauth/token</c> request (JSON, as the SDKs send it, §2.3); absent fields are not written (unknown parameters cause errors).</summary>
public sealed record MpOAuthTokenRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientSecret { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GrantType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RedirectUri { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CodeVerifier { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RefreshToken { get; init; }

    /// <summary>Never print a secret.</summary>
    public override string ToString() => $"MpOAuthTokenRequest {{ ClientId = {ClientId}, GrantType = {GrantType} }}";
}

/// <summary><c>GET /users/me</c>: the token's account (the fields the portal shows).</summary>
public sealed record MpUser
{
    public long Id { get; init; }

    public string? Nickname { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Email { get; init; }

    /// <summary><c>MPE</c> for Peru.</summary>
    public string? SiteId { get; init; }

    /// <summary><c>PE</c>.</summary>
    public string? CountryId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? AdditionalProperties { get; set; }
}

/// <summary><c>POST /v1/payments/{id}/refunds</c>' body: an amount for a partial refund, nothing for a full one (§4.1).</summary>
public sealed record MpRefundRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Amount { get; init; }
}

/// <summary>A webhook notification's body (§5.2).</summary>
public sealed record MpWebhookNotification
{
    /// <summary>The notification id (a number for payments, a hex string for other topics): de-duplication key.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }

    public bool LiveMode { get; init; }

    /// <summary><c>payment</c>, <c>mp-connect</c>, …</summary>
    public string? Type { get; init; }

    public DateTimeOffset? DateCreated { get; init; }

    /// <summary>The seller the event is about.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? UserId { get; init; }

    public string? ApiVersion { get; init; }

    /// <summary><c>payment.created</c>, <c>payment.updated</c>, <c>application.authorized</c>, <c>application.deauthorized</c>.</summary>
    public string? Action { get; init; }

    public MpWebhookData? Data { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ApplicationId { get; init; }

    public long? Version { get; init; }
}

/// <summary>The resource a notification is about: <c>data.id</c> (a string on the wire).</summary>
public sealed record MpWebhookData
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }
}

/// <summary>Webhook topics and actions used by the portal (§2.7, §5).</summary>
public static class MercadoPagoNotificationTypes
{
    public const string Payment = "payment";
    public const string MpConnect = "mp-connect";
    public const string PaymentCreated = "payment.created";
    public const string PaymentUpdated = "payment.updated";
    public const string ApplicationAuthorized = "application.authorized";
    public const string ApplicationDeauthorized = "application.deauthorized";
}
