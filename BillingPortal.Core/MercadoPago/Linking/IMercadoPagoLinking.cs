using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>
/// Linking an organizer's Mercado Pago account by OAuth (issue #4 §3): start (state + PKCE), complete (the callback),
/// read, disconnect, and the seller-side revocation (<c>mp-connect</c>). Every method scoped to one organizer checks the
/// caller's <see cref="OrganizerAccess"/> (owners only for changes).
/// </summary>
public interface IMercadoPagoLinking
{
    /// <summary>
    /// Creates a consent attempt bound to the organizer and user (random state stored hashed, PKCE S256 verifier stored
    /// encrypted, expiring after <see cref="MercadoPagoOptions.AuthorizationLifetime"/>) and returns the consent URL.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The caller is not an owner (or has no user).</exception>
    Task<Uri> StartAuthorizationAsync(OrganizerAccess access, string redirectUri, CancellationToken cancellationToken);

    /// <summary>
    /// The callback: checks the state (exists, not expired, not used, same user), marks it used, handles <c>error</c>
    /// (denied), exchanges the code with the PKCE verifier, reads <c>/users/me</c>, and stores the link and its
    /// encrypted tokens in one transaction. Never throws for the user's or Mercado Pago's errors: the outcome says.
    /// </summary>
    Task<LinkCompletion> CompleteAuthorizationAsync(int userId, string? code, string? state, string? error, AuditOrigin origin, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a link from tokens already obtained outside the consent flow (the demo links its organizers to the
    /// in-process emulator's sellers at start-up): the same checks, encryption, audit entry and alert resolution as the
    /// callback's. <paramref name="linkedByUserId"/> null means the platform did it. Returns <see cref="LinkOutcome.Linked"/>
    /// or <see cref="LinkOutcome.AccountMismatch"/>.
    /// </summary>
    Task<LinkOutcome> LinkWithTokenAsync(int organizerId, MpOAuthToken token, string? accountNickname, int? linkedByUserId, AuditOrigin origin, CancellationToken cancellationToken);

    /// <summary>The organizer's link as the connection page shows it, or null if it never linked.</summary>
    Task<MercadoPagoLinkView?> GetLinkAsync(OrganizerAccess access, CancellationToken cancellationToken);

    /// <summary>Removes the tokens and marks the link disconnected (owners only); audited.</summary>
    Task DisconnectAsync(OrganizerAccess access, AuditOrigin origin, CancellationToken cancellationToken);

    /// <summary>
    /// An <c>mp-connect</c> notification for a seller: <c>application.deauthorized</c> marks its link revoked, drops the
    /// tokens, audits and raises an alert the owner sees on the connection page. Unknown sellers are ignored.
    /// </summary>
    Task<bool> HandleConnectNotificationAsync(long sellerUserId, string action, CancellationToken cancellationToken);
}

/// <summary>How a callback ended.</summary>
public enum LinkOutcome
{
    Linked,

    /// <summary>The seller pressed «Denegar» (or Mercado Pago sent another <c>error</c>).</summary>
    Denied,

    /// <summary>No such state (tampered, forged or of another installation).</summary>
    InvalidState,

    /// <summary>The state was already used (a replayed callback).</summary>
    StateAlreadyUsed,

    /// <summary>The consent took longer than allowed.</summary>
    StateExpired,

    /// <summary>The callback arrived in another user's session.</summary>
    WrongUser,

    /// <summary>Mercado Pago refused the code (expired, used, PKCE or redirect mismatch).</summary>
    InvalidGrant,

    /// <summary>The account authorized is not the organizer's registered Mercado Pago account, or is linked to another organizer.</summary>
    AccountMismatch,

    /// <summary>Mercado Pago failed or could not be reached; try again.</summary>
    ServiceError,
}

/// <summary>A callback's result: for which organizer, and a Spanish message for the connection page.</summary>
public sealed record LinkCompletion(LinkOutcome Outcome, int? OrganizerId, string Message)
{
    public bool Succeeded => Outcome == LinkOutcome.Linked;
}

/// <summary>What the connection page shows (no token, ever).</summary>
public sealed record MercadoPagoLinkView(
    int OrganizerId,
    MercadoPagoLinkStatus Status,
    long MercadoPagoUserId,
    string? AccountNickname,
    string? PublicKey,
    string? Scopes,
    bool LiveMode,
    DateTimeOffset LinkedAt,
    DateTimeOffset? AccessTokenExpiresAt,
    DateTimeOffset? LastRenewedAt,
    DateTimeOffset? RenewalDueAt,
    int RenewalFailures,
    string? LastErrorCode,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset StatusChangedAt);

/// <summary>
/// A linked seller's access token for calls made on the organizer's behalf (sync, webhooks, refunds), renewed when due,
/// and the renewal itself (issue #4 §5).
/// </summary>
public interface IMercadoPagoTokenService
{
    /// <summary>The organizer's current access token (decrypted in memory only); throws <see cref="MercadoPagoLinkUnavailableException"/> if not linked/active.</summary>
    Task<string> GetAccessTokenAsync(int organizerId, CancellationToken cancellationToken);

    /// <summary>
    /// Renews the organizer's link under a lease on its row (one renewal at a time, across instances), storing the new
    /// tokens atomically. <paramref name="force"/> renews even if not due (a 401 met by a call). On
    /// <c>invalid_grant</c> the link becomes <see cref="MercadoPagoLinkStatus.RequiresReauthorization"/>, the owner sees
    /// it and an admin alert is raised.
    /// </summary>
    Task<TokenRenewalResult> RenewAsync(int organizerId, bool force, CancellationToken cancellationToken);

    /// <summary>Renews every active link due (the job's body); returns how many were renewed, skipped and failed.</summary>
    Task<TokenRenewalSummary> RenewDueAsync(CancellationToken cancellationToken);
}

public enum TokenRenewalResult
{
    Renewed,

    /// <summary>Not due (and not forced).</summary>
    NotDue,

    /// <summary>Another renewal holds the lease; this one did nothing (its caller re-reads the token).</summary>
    AlreadyInProgress,

    /// <summary>invalid_grant: the link now requires re-authorization.</summary>
    ReauthorizationRequired,

    /// <summary>Transient failure (counted; retried by the next run).</summary>
    Failed,

    /// <summary>No active link.</summary>
    NotLinked,
}

public sealed record TokenRenewalSummary(int Renewed, int Skipped, int Failed, int ReauthorizationRequired);

/// <summary>The organizer has no active Mercado Pago link (never linked, disconnected, revoked or needs re-authorization).</summary>
public sealed class MercadoPagoLinkUnavailableException : Exception
{
    public MercadoPagoLinkUnavailableException(int organizerId, MercadoPagoLinkStatus? status)
        : base($"Organizer {organizerId.ToString(CultureInfo.InvariantCulture)} has no active Mercado Pago link (status {status?.ToString() ?? "none"}).")
    {
        OrganizerId = organizerId;
        Status = status;
    }

    public MercadoPagoLinkUnavailableException()
    {
    }

    public MercadoPagoLinkUnavailableException(string message)
        : base(message)
    {
    }

    public MercadoPagoLinkUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public int OrganizerId { get; }

    public MercadoPagoLinkStatus? Status { get; }
}

/// <summary>
/// Calls the API on an organizer's behalf with its token; a call that meets an expired or refused token (401) renews
/// once (forced) and retries once.
/// </summary>
public interface IMercadoPagoSellerApi
{
    Task<T> ExecuteAsync<T>(int organizerId, Func<IMercadoPagoApiClient, string, CancellationToken, Task<T>> call, CancellationToken cancellationToken);
}
