using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>
/// <see cref="IMercadoPagoLinking"/>: the OAuth consent (state + PKCE S256), the callback that stores the link and its
/// encrypted tokens, the connection page's view, disconnecting, and the seller's own revocation (<c>mp-connect</c>).
/// </summary>
public sealed class MercadoPagoLinkingService(
    IDbContextFactory<BillingDbContext> factory,
    IMercadoPagoOAuthClient oauth,
    IMercadoPagoApiClient api,
    ITokenProtector protector,
    IAdminAlerts alerts,
    IOptions<MercadoPagoOptions> options,
    TimeProvider time,
    ILogger<MercadoPagoLinkingService> logger) : IMercadoPagoLinking
{
    /// <summary>Expired consent attempts are kept this long (a late callback then says «venció», not «no válido»), then deleted.</summary>
    public static readonly TimeSpan ExpiredRequestRetention = TimeSpan.FromDays(1);

    internal const string ForbiddenMessage = "Solo los propietarios del organizador pueden conectar o desconectar Mercado Pago.";

    private static readonly string[] LinkAlertKinds = [AlertKinds.ReauthorizationRequired, AlertKinds.LinkRevoked, AlertKinds.RenewalFailing];

    public async Task<Uri> StartAuthorizationAsync(OrganizerAccess access, string redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (!access.IsOwner || access.UserId is not { } userId) throw new UnauthorizedAccessException(ForbiddenMessage);
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out _)) throw new ArgumentException("The redirect URI must be absolute.", nameof(redirectUri));

        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var verifier = Pkce.CreateVerifier();
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var horizon = now - ExpiredRequestRetention;
        await db.MercadoPagoAuthorizationRequests.Where(r => r.ExpiresAt < horizon).ExecuteDeleteAsync(cancellationToken);
        db.MercadoPagoAuthorizationRequests.Add(new MercadoPagoAuthorizationRequest
        {
            StateHash = HashState(state),
            OrganizerId = access.OrganizerId,
            UserId = userId,
            CodeVerifierCiphertext = protector.Protect(verifier, MercadoPagoTokenPurposes.AuthorizationVerifier(access.OrganizerId)),
            RedirectUri = redirectUri,
            CreatedAt = now,
            ExpiresAt = now + options.Value.AuthorizationLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Mercado Pago linking of organizer {OrganizerId} started by user {UserId}", access.OrganizerId, userId);
        return oauth.BuildAuthorizationUrl(state, Pkce.ChallengeS256(verifier), redirectUri);
    }

    public async Task<LinkCompletion> CompleteAuthorizationAsync(int userId, string? code, string? state, string? error, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (string.IsNullOrEmpty(state) || state.Length > 200) return Completion(LinkOutcome.InvalidState, null);

        var now = time.GetUtcNow();
        MercadoPagoAuthorizationRequest? request;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var hash = HashState(state);
            request = await db.MercadoPagoAuthorizationRequests.AsNoTracking().FirstOrDefaultAsync(r => r.StateHash == hash, cancellationToken);
            if (request is null) return Completion(LinkOutcome.InvalidState, null);
            if (request.ConsumedAt is not null) return Completion(LinkOutcome.StateAlreadyUsed, request.OrganizerId);
            if (request.UserId != userId) return Completion(LinkOutcome.WrongUser, request.OrganizerId);
            if (request.ExpiresAt <= now) return Completion(LinkOutcome.StateExpired, request.OrganizerId);

            var id = request.Id;
            var consumed = await db.MercadoPagoAuthorizationRequests
                .Where(r => r.Id == id && r.ConsumedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConsumedAt, now), cancellationToken);
            if (consumed == 0) return Completion(LinkOutcome.StateAlreadyUsed, request.OrganizerId);

            var stillOwner = await db.OrganizerMembers.AnyAsync(m => m.OrganizerId == request.OrganizerId && m.UserId == userId && m.Role == OrganizerRole.Owner, cancellationToken);
            if (!stillOwner) return Completion(LinkOutcome.WrongUser, request.OrganizerId);
        }

        var organizerId = request.OrganizerId;
        if (!string.IsNullOrEmpty(error)) return Completion(LinkOutcome.Denied, organizerId);
        if (string.IsNullOrEmpty(code)) return Completion(LinkOutcome.InvalidGrant, organizerId);

        MpOAuthToken token;
        try
        {
            var verifier = protector.Unprotect(request.CodeVerifierCiphertext, MercadoPagoTokenPurposes.AuthorizationVerifier(organizerId));
            token = await oauth.ExchangeCodeAsync(code, request.RedirectUri, verifier, cancellationToken);
        }
        catch (MercadoPagoApiException e) when (e.Error.Kind == MercadoPagoErrorKind.InvalidGrant)
        {
            logger.LogWarning("Mercado Pago linking of organizer {OrganizerId}: the code was refused (invalid_grant, request {RequestId})", organizerId, e.Error.RequestId);
            return Completion(LinkOutcome.InvalidGrant, organizerId);
        }
        catch (Exception e) when ((e is MercadoPagoApiException or HttpRequestException or TimeoutException or TaskCanceledException or CryptographicException or MercadoPagoMappingException)
                                  && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Mercado Pago linking of organizer {OrganizerId}: the code exchange failed ({ErrorCode}, request {RequestId})",
                organizerId, MercadoPagoTokenService.ErrorCode(e), (e as MercadoPagoApiException)?.Error.RequestId);
            return Completion(LinkOutcome.ServiceError, organizerId);
        }

        if (string.IsNullOrEmpty(token.AccessToken) || string.IsNullOrEmpty(token.RefreshToken) || token.UserId <= 0)
        {
            logger.LogError("Mercado Pago linking of organizer {OrganizerId}: the token answer lacks a token or the user id", organizerId);
            return Completion(LinkOutcome.ServiceError, organizerId);
        }

        var nickname = await ReadNicknameAsync(token.AccessToken, organizerId, cancellationToken);
        try
        {
            var outcome = await StoreLinkAsync(organizerId, userId, token, nickname, origin, cancellationToken);
            if (outcome == LinkOutcome.Linked)
            {
                logger.LogInformation("Mercado Pago linking of organizer {OrganizerId}: {Outcome} to Mercado Pago user {MercadoPagoUserId}", organizerId, outcome, token.UserId);
                return new LinkCompletion(LinkOutcome.Linked, organizerId, nickname is null
                    ? "La cuenta de Mercado Pago quedó conectada."
                    : $"La cuenta de Mercado Pago «{nickname}» quedó conectada.");
            }

            logger.LogWarning("Mercado Pago linking of organizer {OrganizerId}: {Outcome} (Mercado Pago user {MercadoPagoUserId})", organizerId, outcome, token.UserId);
            return Completion(outcome, organizerId);
        }
        catch (DbUpdateException e)
        {
            logger.LogError(e, "Mercado Pago linking of organizer {OrganizerId}: storing the link failed", organizerId);
            return Completion(LinkOutcome.ServiceError, organizerId);
        }
    }

    public async Task<LinkOutcome> LinkWithTokenAsync(int organizerId, MpOAuthToken token, string? accountNickname, int? linkedByUserId, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(origin);
        if (string.IsNullOrEmpty(token.AccessToken) || string.IsNullOrEmpty(token.RefreshToken) || token.UserId <= 0)
            throw new ArgumentException("The token must carry an access token, a refresh token and the user id.", nameof(token));

        var outcome = await StoreLinkAsync(organizerId, linkedByUserId, token, accountNickname, origin, cancellationToken);
        logger.LogInformation("Mercado Pago link of organizer {OrganizerId} stored from an issued token: {Outcome} (Mercado Pago user {MercadoPagoUserId})", organizerId, outcome, token.UserId);
        return outcome;
    }

    public async Task<MercadoPagoLinkView?> GetLinkAsync(OrganizerAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MercadoPagoLinks.AsNoTracking()
            .Where(l => l.OrganizerId == access.OrganizerId)
            .Select(l => new MercadoPagoLinkView(
                l.OrganizerId, l.Status, l.MercadoPagoUserId, l.AccountNickname, l.PublicKey, l.Scopes, l.LiveMode, l.LinkedAt,
                l.AccessTokenExpiresAt, l.LastRenewedAt, l.RenewalDueAt, l.RenewalFailures, l.LastErrorCode, l.LastErrorAt, l.StatusChangedAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task DisconnectAsync(OrganizerAccess access, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(origin);
        if (!access.IsOwner || access.UserId is null) throw new UnauthorizedAccessException(ForbiddenMessage);

        var now = time.GetUtcNow();
        var changed = await WithTransactionAsync(async (db, ct) =>
        {
            var link = await db.MercadoPagoLinks.AsNoTracking()
                .Where(l => l.OrganizerId == access.OrganizerId)
                .Select(l => new { l.Id, l.Status, l.MercadoPagoUserId, l.AccountNickname, HasTokens = l.AccessTokenCiphertext != null || l.RefreshTokenCiphertext != null })
                .FirstOrDefaultAsync(ct);
            if (link is null || (link.Status == MercadoPagoLinkStatus.Disconnected && !link.HasTokens)) return false;

            await db.MercadoPagoLinks.Where(l => l.Id == link.Id).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Status, MercadoPagoLinkStatus.Disconnected)
                .SetProperty(l => l.StatusChangedAt, now)
                .SetProperty(l => l.AccessTokenCiphertext, (string?)null)
                .SetProperty(l => l.RefreshTokenCiphertext, (string?)null)
                .SetProperty(l => l.RenewalDueAt, (DateTimeOffset?)null)
                .SetProperty(l => l.RenewalLeaseId, (Guid?)null)
                .SetProperty(l => l.RenewalLeaseUntil, (DateTimeOffset?)null)
                .SetProperty(l => l.Version, l => l.Version + 1), ct);
            db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.MercadoPagoUnlinked, origin, access.UserId, access.Actor, access.OrganizerId,
                Target(link.MercadoPagoUserId), $"Cuenta de Mercado Pago {Describe(link.AccountNickname, link.MercadoPagoUserId)} desconectada; se eliminaron sus credenciales."));
            await db.SaveChangesAsync(ct);
            await AdminAlerts.ResolveAsync(db, AlertKeys(access.OrganizerId), access.Actor, now, ct);
            return true;
        }, cancellationToken);

        if (changed) logger.LogInformation("Mercado Pago link of organizer {OrganizerId} disconnected by user {UserId}", access.OrganizerId, access.UserId);
    }

    public async Task<bool> HandleConnectNotificationAsync(long sellerUserId, string action, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        if (!string.Equals(action, MercadoPagoNotificationTypes.ApplicationDeauthorized, StringComparison.Ordinal))
        {
            // application.authorized: the link is made by our own callback, which already stored everything.
            return false;
        }

        var now = time.GetUtcNow();
        var revoked = new List<(int OrganizerId, string? Nickname)>();
        List<(int Id, int OrganizerId, string? Nickname)> candidates;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            candidates = (await db.MercadoPagoLinks.AsNoTracking()
                    .Where(l => l.MercadoPagoUserId == sellerUserId && (l.Status == MercadoPagoLinkStatus.Active || l.Status == MercadoPagoLinkStatus.RequiresReauthorization))
                    .Select(l => new { l.Id, l.OrganizerId, l.AccountNickname })
                    .ToListAsync(cancellationToken))
                .Select(l => (l.Id, l.OrganizerId, l.AccountNickname))
                .ToList();
        }

        foreach (var (id, organizerId, nickname) in candidates)
        {
            var changed = await WithTransactionAsync(async (db, ct) =>
            {
                var rows = await db.MercadoPagoLinks
                    .Where(l => l.Id == id && l.MercadoPagoUserId == sellerUserId
                                && (l.Status == MercadoPagoLinkStatus.Active || l.Status == MercadoPagoLinkStatus.RequiresReauthorization))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(l => l.Status, MercadoPagoLinkStatus.Revoked)
                        .SetProperty(l => l.StatusChangedAt, now)
                        .SetProperty(l => l.AccessTokenCiphertext, (string?)null)
                        .SetProperty(l => l.RefreshTokenCiphertext, (string?)null)
                        .SetProperty(l => l.RenewalDueAt, (DateTimeOffset?)null)
                        .SetProperty(l => l.RenewalLeaseId, (Guid?)null)
                        .SetProperty(l => l.RenewalLeaseUntil, (DateTimeOffset?)null)
                        .SetProperty(l => l.Version, l => l.Version + 1), ct);
                if (rows != 1) return false;
                db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.MercadoPagoUnlinked, AuditOrigin.None, null, AuditTrail.PlatformActor, organizerId,
                    Target(sellerUserId), $"Mercado Pago avisó que la cuenta {Describe(nickname, sellerUserId)} revocó el acceso de la aplicación; se eliminaron sus credenciales."));
                await db.SaveChangesAsync(ct);
                return true;
            }, cancellationToken);
            if (changed) revoked.Add((organizerId, nickname));
        }

        foreach (var (organizerId, nickname) in revoked)
        {
            logger.LogWarning("Mercado Pago link of organizer {OrganizerId}: revoked by the seller (mp-connect {Action})", organizerId, action);
            await alerts.RaiseAsync(
                AlertKinds.LinkRevoked,
                AdminAlerts.KeyFor(AlertKinds.LinkRevoked, organizerId),
                AlertSeverity.Warning,
                organizerId,
                "Un vendedor revocó el acceso de Mercado Pago",
                $"La cuenta {Describe(nickname, sellerUserId)} revocó el acceso de la plataforma desde Mercado Pago. " +
                "Un propietario del organizador debe volver a conectarla en la página de Mercado Pago.",
                CancellationToken.None);
        }

        return revoked.Count > 0;
    }

    private async Task<LinkOutcome> StoreLinkAsync(int organizerId, int? userId, MpOAuthToken token, string? nickname, AuditOrigin origin, CancellationToken cancellationToken)
    {
        var renewBefore = options.Value.TokenRenewal.RenewBefore;
        return await WithTransactionAsync(async (db, ct) =>
        {
            var now = time.GetUtcNow();
            var organizer = await db.Organizers.FirstAsync(o => o.Id == organizerId, ct);
            var sellerId = token.UserId;
            if (organizer.MercadoPagoUserId is { } registered && registered != sellerId) return LinkOutcome.AccountMismatch;
            var takenElsewhere =
                await db.MercadoPagoLinks.AnyAsync(l => l.OrganizerId != organizerId && l.MercadoPagoUserId == sellerId && l.Status == MercadoPagoLinkStatus.Active, ct)
                || await db.Organizers.AnyAsync(o => o.Id != organizerId && o.MercadoPagoUserId == sellerId, ct);
            if (takenElsewhere) return LinkOutcome.AccountMismatch;

            organizer.MercadoPagoUserId ??= sellerId;
            var link = await db.MercadoPagoLinks.FirstOrDefaultAsync(l => l.OrganizerId == organizerId, ct);
            if (link is null)
            {
                link = new MercadoPagoLink { OrganizerId = organizerId };
                db.MercadoPagoLinks.Add(link);
            }

            var expiresAt = now + TimeSpan.FromSeconds(token.ExpiresIn is > 0 ? token.ExpiresIn.Value : MercadoPagoTokenService.DefaultExpiresInSeconds);
            link.Status = MercadoPagoLinkStatus.Active;
            link.StatusChangedAt = now;
            link.MercadoPagoUserId = sellerId;
            link.AccountNickname = Cut(nickname, 100);
            link.PublicKey = Cut(token.PublicKey, 200);
            link.Scopes = Cut(token.Scope, 200);
            link.LiveMode = token.LiveMode;
            link.AccessTokenCiphertext = protector.Protect(token.AccessToken!, MercadoPagoTokenPurposes.Access(organizerId));
            link.RefreshTokenCiphertext = protector.Protect(token.RefreshToken!, MercadoPagoTokenPurposes.Refresh(organizerId));
            link.AccessTokenExpiresAt = expiresAt;
            link.RenewalDueAt = MercadoPagoTokenService.RenewalDue(now, expiresAt, renewBefore);
            link.LinkedAt = now;
            link.LinkedByUserId = userId;
            link.LastRenewedAt = null;
            link.RenewalFailures = 0;
            link.LastErrorCode = null;
            link.LastErrorAt = null;
            link.RenewalLeaseId = null;
            link.RenewalLeaseUntil = null;
            link.Version++;

            var actor = userId is null ? AuditTrail.PlatformActor : await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
            db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.MercadoPagoLinked, origin, userId, actor, organizerId,
                Target(sellerId), $"Cuenta de Mercado Pago {Describe(nickname, sellerId)} conectada."));
            await db.SaveChangesAsync(ct);
            await AdminAlerts.ResolveAsync(db, AlertKeys(organizerId), actor ?? AuditTrail.PlatformActor, now, ct);
            return LinkOutcome.Linked;
        }, outcome => outcome == LinkOutcome.Linked, cancellationToken);
    }

    private async Task<string?> ReadNicknameAsync(string accessToken, int organizerId, CancellationToken cancellationToken)
    {
        try
        {
            var user = await api.GetCurrentUserAsync(accessToken, cancellationToken);
            return string.IsNullOrWhiteSpace(user.Nickname) ? null : user.Nickname.Trim();
        }
        catch (Exception e) when (e is MercadoPagoApiException or HttpRequestException or TimeoutException or MercadoPagoMappingException
                                  || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Mercado Pago linking of organizer {OrganizerId}: /users/me failed ({ErrorCode}); the account is stored without its nickname",
                organizerId, MercadoPagoTokenService.ErrorCode(e));
            return null;
        }
    }

    private Task<bool> WithTransactionAsync(Func<BillingDbContext, CancellationToken, Task<bool>> body, CancellationToken cancellationToken) =>
        WithTransactionAsync(body, done => done, cancellationToken);

    private async Task<T> WithTransactionAsync<T>(Func<BillingDbContext, CancellationToken, Task<T>> body, Func<T, bool> commitWhen, CancellationToken cancellationToken)
    {
        await using var outer = await factory.CreateDbContextAsync(cancellationToken);
        return await outer.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await body(db, ct);
            if (commitWhen(result)) await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    private static string[] AlertKeys(int organizerId) => [.. LinkAlertKinds.Select(kind => AdminAlerts.KeyFor(kind, organizerId))];

    private static LinkCompletion Completion(LinkOutcome outcome, int? organizerId) => new(outcome, organizerId, MessageFor(outcome));

    /// <summary>The connection page's message for an outcome (Spanish).</summary>
    public static string MessageFor(LinkOutcome outcome) => outcome switch
    {
        LinkOutcome.Linked => "La cuenta de Mercado Pago quedó conectada.",
        LinkOutcome.Denied => "No se autorizó el acceso en Mercado Pago, así que la cuenta no se conectó. Puede intentarlo de nuevo cuando quiera.",
        LinkOutcome.InvalidState => "El enlace de regreso desde Mercado Pago no es válido. Vuelva a iniciar la conexión desde esta página.",
        LinkOutcome.StateAlreadyUsed => "Este enlace de autorización ya se usó. Si la cuenta no aparece conectada, vuelva a iniciar la conexión.",
        LinkOutcome.StateExpired => "La autorización tardó demasiado y venció. Vuelva a iniciar la conexión.",
        LinkOutcome.WrongUser => "La autorización se inició con otro usuario o usted ya no es propietario del organizador. Iníciela de nuevo con su propia sesión.",
        LinkOutcome.InvalidGrant => "Mercado Pago rechazó el código de autorización (venció o ya se usó). Vuelva a iniciar la conexión.",
        LinkOutcome.AccountMismatch => "La cuenta de Mercado Pago autorizada no corresponde a este organizador: ya tiene registrada otra cuenta, o esa cuenta está conectada a otro organizador. Ingrese a Mercado Pago con la cuenta correcta y vuelva a intentarlo.",
        LinkOutcome.ServiceError => "No se pudo completar la conexión con Mercado Pago en este momento. Intente nuevamente en unos minutos.",
    };

    /// <summary>SHA-256 (lower-case hex) of the state: what is stored and looked up.</summary>
    internal static string HashState(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    private static string Target(long sellerId) => "mercadopago:" + sellerId.ToString(CultureInfo.InvariantCulture);

    private static string Describe(string? nickname, long sellerId) =>
        nickname is null ? sellerId.ToString(CultureInfo.InvariantCulture) : $"«{nickname}» ({sellerId.ToString(CultureInfo.InvariantCulture)})";

    private static string? Cut(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value : value[..max];
}
