namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>Where an organizer's Mercado Pago link stands.</summary>
public enum MercadoPagoLinkStatus
{
    /// <summary>Linked; tokens stored and renewed by the renewal job.</summary>
    Active,

    /// <summary>Renewal met <c>invalid_grant</c> (or the token was refused): the owner must authorize again. «Requiere reautorización».</summary>
    RequiresReauthorization,

    /// <summary>The seller revoked the application in Mercado Pago (<c>mp-connect</c> <c>application.deauthorized</c>).</summary>
    Revoked,

    /// <summary>An owner disconnected it in the portal; tokens removed.</summary>
    Disconnected,
}

/// <summary>
/// An organizer's link to its Mercado Pago seller account (one row per organizer, kept across re-links): the account,
/// the OAuth grant's facts and the tokens, encrypted at rest (<see cref="Security.ITokenProtector"/>). Renewals take a
/// lease on the row (<see cref="RenewalLeaseId"/>, <see cref="RenewalLeaseUntil"/>) so that only one runs at a time,
/// across instances: the refresh token is single use.
/// </summary>
public class MercadoPagoLink
{
    public int Id { get; set; }

    public int OrganizerId { get; set; }

    public MercadoPagoLinkStatus Status { get; set; }

    /// <summary>The seller's Mercado Pago user id (= <c>collector_id</c> of its payments, OAuth <c>user_id</c>).</summary>
    public long MercadoPagoUserId { get; set; }

    /// <summary>The account's nickname from <c>/users/me</c>, shown on the connection page.</summary>
    public string? AccountNickname { get; set; }

    public string? PublicKey { get; set; }

    /// <summary>Granted scopes, space separated.</summary>
    public string? Scopes { get; set; }

    public bool LiveMode { get; set; }

    /// <summary>The access token, encrypted (<c>keyId.payload</c>); null once disconnected or revoked.</summary>
    public string? AccessTokenCiphertext { get; set; }

    /// <summary>The refresh token, encrypted; null once disconnected or revoked.</summary>
    public string? RefreshTokenCiphertext { get; set; }

    /// <summary>When the access token expires (issue time + <c>expires_in</c>).</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }

    public DateTimeOffset LinkedAt { get; set; }

    public int? LinkedByUserId { get; set; }

    /// <summary>The last successful renewal.</summary>
    public DateTimeOffset? LastRenewedAt { get; set; }

    /// <summary>When the renewal job will renew it (expiry − RenewBefore).</summary>
    public DateTimeOffset? RenewalDueAt { get; set; }

    /// <summary>Consecutive failed renewals (reset by a success).</summary>
    public int RenewalFailures { get; set; }

    /// <summary>The last failure's Mercado Pago error key or kind (never a token), e.g. <c>invalid_grant</c>.</summary>
    public string? LastErrorCode { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }

    public DateTimeOffset StatusChangedAt { get; set; }

    /// <summary>The instance/attempt holding the renewal lease.</summary>
    public Guid? RenewalLeaseId { get; set; }

    public DateTimeOffset? RenewalLeaseUntil { get; set; }

    /// <summary>Optimistic concurrency: bumped on every write of the tokens.</summary>
    public int Version { get; set; }
}

/// <summary>
/// A consent attempt in progress: the <c>state</c> sent to Mercado Pago (stored as a SHA-256 hash), bound to the
/// organizer and user that started it, the PKCE verifier (encrypted), the redirect URI, an expiry and single use.
/// </summary>
public class MercadoPagoAuthorizationRequest
{
    public long Id { get; set; }

    /// <summary>SHA-256 (hex) of the state value; the value itself is only in the consent URL.</summary>
    public required string StateHash { get; set; }

    public int OrganizerId { get; set; }

    public int UserId { get; set; }

    /// <summary>The PKCE code verifier, encrypted.</summary>
    public required string CodeVerifierCiphertext { get; set; }

    public required string RedirectUri { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set when the callback used it (success or failure): a replay finds it consumed.</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}
