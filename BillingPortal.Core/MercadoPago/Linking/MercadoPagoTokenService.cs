using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>
/// <see cref="IMercadoPagoTokenService"/>: hands out a linked seller's access token (decrypted in memory only) and renews
/// it under a lease on the link's row, so that one renewal runs at a time across every instance sharing the database
/// (the refresh token is single use).
/// </summary>
/// <remarks>
/// The lease is taken by one conditional UPDATE (free, or expired per <see cref="TimeProvider"/>) and every write of a
/// renewal's outcome is conditioned on holding it, so a renewal whose lease was lost (or whose link was disconnected,
/// revoked or re-linked meanwhile) writes nothing. Once the refresh token is sent, the call and the storing of its answer
/// are not cancelled: a cancelled store would lose the only valid refresh token. Waiting for another instance's renewal
/// polls the row every <see cref="LeasePollInterval"/> (wall clock), at most for the lease's duration.
/// </remarks>
public sealed class MercadoPagoTokenService(
    IDbContextFactory<BillingDbContext> factory,
    IMercadoPagoOAuthClient oauth,
    ITokenProtector protector,
    IAdminAlerts alerts,
    IOptions<MercadoPagoOptions> options,
    TimeProvider time,
    ILogger<MercadoPagoTokenService> logger) : IMercadoPagoTokenService
{
    /// <summary>An access token this close to its expiry is renewed before it is handed out.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(5);

    /// <summary>Consecutive failed renewals that raise <see cref="AlertKinds.RenewalFailing"/>.</summary>
    public const int FailuresBeforeAlert = 3;

    /// <summary>Mercado Pago's default lifetime (180 days), assumed when <c>expires_in</c> is missing.</summary>
    public const long DefaultExpiresInSeconds = 15_552_000;

    internal static readonly TimeSpan LeasePollInterval = TimeSpan.FromMilliseconds(100);

    private const int MaxTokenAttempts = 4;
    private const string ResolvedByPlatform = Auditing.AuditTrail.PlatformActor;

    private MercadoPagoTokenRenewalOptions Renewal => options.Value.TokenRenewal;

    public async Task<string> GetAccessTokenAsync(int organizerId, CancellationToken cancellationToken) =>
        (await GetTokenAsync(organizerId, cancellationToken)).Token;

    public async Task<TokenRenewalResult> RenewAsync(int organizerId, bool force, CancellationToken cancellationToken) =>
        (await RenewCoreAsync(organizerId, force ? static (_, _) => true : IsDue, cancellationToken)).Result;

    public async Task<TokenRenewalSummary> RenewDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var soon = now + ExpiryMargin;
        List<int> organizers;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            organizers = await db.MercadoPagoLinks.AsNoTracking()
                .Where(l => l.Status == MercadoPagoLinkStatus.Active && l.RefreshTokenCiphertext != null)
                .Where(l => l.RenewalDueAt == null || l.RenewalDueAt <= now || l.AccessTokenExpiresAt == null || l.AccessTokenExpiresAt <= soon)
                .OrderBy(l => l.Id)
                .Select(l => l.OrganizerId)
                .ToListAsync(cancellationToken);
        }

        int renewed = 0, skipped = 0, failed = 0, reauthorization = 0;
        foreach (var organizerId in organizers)
        {
            TokenRenewalResult result;
            try
            {
                result = (await RenewCoreAsync(organizerId, IsDue, cancellationToken)).Result;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Mercado Pago token renewal of organizer {OrganizerId} failed unexpectedly", organizerId);
                result = TokenRenewalResult.Failed;
            }

            switch (result)
            {
                case TokenRenewalResult.Renewed: renewed++; break;
                case TokenRenewalResult.Failed: failed++; break;
                case TokenRenewalResult.ReauthorizationRequired: reauthorization++; break;
                case TokenRenewalResult.NotDue or TokenRenewalResult.AlreadyInProgress or TokenRenewalResult.NotLinked: skipped++; break;
            }
        }

        return new TokenRenewalSummary(renewed, skipped, failed, reauthorization);
    }

    /// <summary>
    /// The token and the link's <see cref="MercadoPagoLink.Version"/> it was read at. Renews first when it is expired or
    /// about to be; waits for another instance's renewal to finish instead of starting a second one.
    /// </summary>
    internal async Task<(string Token, int Version)> GetTokenAsync(int organizerId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var link = await ReadAsync(organizerId, cancellationToken);
            if (link is not { Status: MercadoPagoLinkStatus.Active, AccessTokenCiphertext: not null })
                throw new MercadoPagoLinkUnavailableException(organizerId, link?.Status);

            var now = time.GetUtcNow();
            var usable = link.AccessTokenExpiresAt is not { } expiry || expiry > now;
            if (!IsExpiring(link, now) || attempt >= MaxTokenAttempts)
            {
                if (!usable) logger.LogWarning("Mercado Pago access token of organizer {OrganizerId} is past its expiry and could not be renewed", organizerId);
                return (Open(link.AccessTokenCiphertext, MercadoPagoTokenPurposes.Access(organizerId), organizerId), link.Version);
            }

            if (IsLeased(link, now))
            {
                await WaitForLeaseAsync(organizerId, cancellationToken);
                continue;
            }

            var (result, failure) = await RenewCoreAsync(organizerId, IsExpiring, cancellationToken);
            switch (result)
            {
                case TokenRenewalResult.AlreadyInProgress:
                    await WaitForLeaseAsync(organizerId, cancellationToken);
                    break;
                case TokenRenewalResult.Failed when !usable && failure is not null:
                    ExceptionDispatchInfo.Capture(failure).Throw();
                    break;
                case TokenRenewalResult.Failed:
                    return (Open(link.AccessTokenCiphertext, MercadoPagoTokenPurposes.Access(organizerId), organizerId), link.Version);
                case TokenRenewalResult.Renewed or TokenRenewalResult.NotDue or TokenRenewalResult.ReauthorizationRequired or TokenRenewalResult.NotLinked:
                    break;
            }
        }
    }

    /// <summary>
    /// A call was refused (401) with the token read at <paramref name="version"/>: renews unless the link's tokens already
    /// changed since (another caller renewed), waiting for a renewal in progress elsewhere.
    /// </summary>
    internal async Task<TokenRenewalResult> RenewAfterRefusalAsync(int organizerId, int version, CancellationToken cancellationToken)
    {
        var (result, _) = await RenewCoreAsync(organizerId, (link, _) => link.Version == version, cancellationToken);
        if (result == TokenRenewalResult.AlreadyInProgress) await WaitForLeaseAsync(organizerId, cancellationToken);
        return result;
    }

    private async Task<(TokenRenewalResult Result, Exception? Failure)> RenewCoreAsync(
        int organizerId, Func<MercadoPagoLink, DateTimeOffset, bool> needed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseId = Guid.NewGuid();
        var leaseUntil = now + Renewal.LeaseDuration;
        int linkId;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var current = await db.MercadoPagoLinks.AsNoTracking()
                .Where(l => l.OrganizerId == organizerId)
                .Select(l => new { l.Id, l.Status })
                .FirstOrDefaultAsync(cancellationToken);
            if (current is not { Status: MercadoPagoLinkStatus.Active }) return Outcome(organizerId, TokenRenewalResult.NotLinked);
            linkId = current.Id;

            var acquired = await db.MercadoPagoLinks
                .Where(l => l.Id == linkId && l.Status == MercadoPagoLinkStatus.Active && (l.RenewalLeaseUntil == null || l.RenewalLeaseUntil < now))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.RenewalLeaseId, leaseId)
                    .SetProperty(l => l.RenewalLeaseUntil, leaseUntil), cancellationToken);
            if (acquired == 0)
            {
                var status = await db.MercadoPagoLinks.AsNoTracking().Where(l => l.Id == linkId).Select(l => (MercadoPagoLinkStatus?)l.Status).FirstOrDefaultAsync(cancellationToken);
                return Outcome(organizerId, status == MercadoPagoLinkStatus.Active ? TokenRenewalResult.AlreadyInProgress : TokenRenewalResult.NotLinked);
            }
        }

        var settled = false;
        try
        {
            var link = await ReadAsync(organizerId, cancellationToken);
            if (link is null || link.Id != linkId || link.RenewalLeaseId != leaseId)
            {
                settled = true;
                return Outcome(organizerId, TokenRenewalResult.AlreadyInProgress);
            }

            if (link.Status != MercadoPagoLinkStatus.Active || link.RefreshTokenCiphertext is null)
            {
                settled = await ReleaseAsync(linkId, leaseId);
                return Outcome(organizerId, TokenRenewalResult.NotLinked);
            }

            if (!needed(link, time.GetUtcNow()))
            {
                settled = await ReleaseAsync(linkId, leaseId);
                return Outcome(organizerId, TokenRenewalResult.NotDue);
            }

            MpOAuthToken token;
            try
            {
                var refreshToken = protector.Unprotect(link.RefreshTokenCiphertext, MercadoPagoTokenPurposes.Refresh(organizerId));
                token = await oauth.RefreshAsync(refreshToken, CancellationToken.None);
                CheckAnswer(token, link);
            }
            catch (MercadoPagoApiException e) when (e.Error.Kind == MercadoPagoErrorKind.InvalidGrant)
            {
                settled = true;
                return (await RequireReauthorizationAsync(link, leaseId, e), e);
            }
            catch (Exception e) when (e is MercadoPagoApiException or HttpRequestException or TimeoutException or CryptographicException
                                          or TaskCanceledException or MercadoPagoMappingException)
            {
                settled = true;
                return (await CountFailureAsync(link, leaseId, e), e);
            }

            settled = true;
            return (await StoreAsync(link, leaseId, token), null);
        }
        finally
        {
            if (!settled) await ReleaseAsync(linkId, leaseId);
        }
    }

    private async Task<TokenRenewalResult> StoreAsync(MercadoPagoLink link, Guid leaseId, MpOAuthToken token)
    {
        var now = time.GetUtcNow();
        var expiresAt = now + TimeSpan.FromSeconds(token.ExpiresIn is > 0 ? token.ExpiresIn.Value : DefaultExpiresInSeconds);
        var dueAt = RenewalDue(now, expiresAt, Renewal.RenewBefore);
        var organizerId = link.OrganizerId;
        var access = protector.Protect(token.AccessToken!, MercadoPagoTokenPurposes.Access(organizerId));
        var refresh = protector.Protect(token.RefreshToken!, MercadoPagoTokenPurposes.Refresh(organizerId));
        var scopes = Cut(token.Scope, 200) ?? link.Scopes;
        var publicKey = Cut(token.PublicKey, 200) ?? link.PublicKey;

        var stored = await WithTransactionAsync(async (db, ct) =>
        {
            var rows = await db.MercadoPagoLinks
                .Where(l => l.Id == link.Id && l.RenewalLeaseId == leaseId && l.Status == MercadoPagoLinkStatus.Active)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.AccessTokenCiphertext, access)
                    .SetProperty(l => l.RefreshTokenCiphertext, refresh)
                    .SetProperty(l => l.AccessTokenExpiresAt, expiresAt)
                    .SetProperty(l => l.LastRenewedAt, now)
                    .SetProperty(l => l.RenewalDueAt, dueAt)
                    .SetProperty(l => l.Scopes, scopes)
                    .SetProperty(l => l.PublicKey, publicKey)
                    .SetProperty(l => l.RenewalFailures, 0)
                    .SetProperty(l => l.LastErrorCode, (string?)null)
                    .SetProperty(l => l.LastErrorAt, (DateTimeOffset?)null)
                    .SetProperty(l => l.RenewalLeaseId, (Guid?)null)
                    .SetProperty(l => l.RenewalLeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(l => l.Version, l => l.Version + 1), ct);
            if (rows != 1) return false;
            await AdminAlerts.ResolveAsync(db, [AdminAlerts.KeyFor(AlertKinds.RenewalFailing, organizerId)], ResolvedByPlatform, now, ct);
            return true;
        });

        if (!stored)
        {
            logger.LogError(
                "Mercado Pago token renewal of organizer {OrganizerId}: Mercado Pago renewed the grant but the link changed meanwhile (lease lost, disconnected or re-linked); the new tokens were not stored",
                organizerId);
            return TokenRenewalResult.Failed;
        }

        logger.LogInformation("Mercado Pago token renewal of organizer {OrganizerId}: {Outcome}; expires {ExpiresAt:o}, next renewal due {RenewalDueAt:o}",
            organizerId, TokenRenewalResult.Renewed, expiresAt, dueAt);
        return TokenRenewalResult.Renewed;
    }

    private async Task<TokenRenewalResult> RequireReauthorizationAsync(MercadoPagoLink link, Guid leaseId, MercadoPagoApiException error)
    {
        var now = time.GetUtcNow();
        var organizerId = link.OrganizerId;
        var code = ErrorCode(error);
        var changed = await WithTransactionAsync(async (db, ct) =>
        {
            var rows = await db.MercadoPagoLinks
                .Where(l => l.Id == link.Id && l.RenewalLeaseId == leaseId && l.Status == MercadoPagoLinkStatus.Active)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.Status, MercadoPagoLinkStatus.RequiresReauthorization)
                    .SetProperty(l => l.StatusChangedAt, now)
                    .SetProperty(l => l.AccessTokenCiphertext, (string?)null)
                    .SetProperty(l => l.RefreshTokenCiphertext, (string?)null)
                    .SetProperty(l => l.RenewalDueAt, (DateTimeOffset?)null)
                    .SetProperty(l => l.LastErrorCode, code)
                    .SetProperty(l => l.LastErrorAt, now)
                    .SetProperty(l => l.RenewalLeaseId, (Guid?)null)
                    .SetProperty(l => l.RenewalLeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(l => l.Version, l => l.Version + 1), ct);
            if (rows != 1) return false;
            await AdminAlerts.ResolveAsync(db, [AdminAlerts.KeyFor(AlertKinds.RenewalFailing, organizerId)], ResolvedByPlatform, now, ct);
            return true;
        });
        if (!changed) return Outcome(organizerId, TokenRenewalResult.AlreadyInProgress).Item1;

        logger.LogWarning("Mercado Pago token renewal of organizer {OrganizerId}: {Outcome} (invalid_grant, request {RequestId}); the link requires re-authorization",
            organizerId, TokenRenewalResult.ReauthorizationRequired, error.Error.RequestId);
        await alerts.RaiseAsync(
            AlertKinds.ReauthorizationRequired,
            AdminAlerts.KeyFor(AlertKinds.ReauthorizationRequired, organizerId),
            AlertSeverity.Critical,
            organizerId,
            "Mercado Pago requiere reautorización",
            "Mercado Pago rechazó la renovación del acceso (invalid_grant): el vendedor revocó la aplicación o la autorización venció. " +
            "Un propietario del organizador debe volver a conectar la cuenta en la página de Mercado Pago.",
            CancellationToken.None);
        return TokenRenewalResult.ReauthorizationRequired;
    }

    private async Task<TokenRenewalResult> CountFailureAsync(MercadoPagoLink link, Guid leaseId, Exception error)
    {
        var now = time.GetUtcNow();
        var organizerId = link.OrganizerId;
        var code = ErrorCode(error);
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        var rows = await db.MercadoPagoLinks
            .Where(l => l.Id == link.Id && l.RenewalLeaseId == leaseId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.RenewalFailures, l => l.RenewalFailures + 1)
                .SetProperty(l => l.LastErrorCode, code)
                .SetProperty(l => l.LastErrorAt, now)
                .SetProperty(l => l.RenewalLeaseId, (Guid?)null)
                .SetProperty(l => l.RenewalLeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        var failures = rows == 1 ? link.RenewalFailures + 1 : link.RenewalFailures;
        var requestId = (error as MercadoPagoApiException)?.Error.RequestId;
        if (error is CryptographicException)
        {
            logger.LogError("Mercado Pago token renewal of organizer {OrganizerId}: {Outcome}; the stored refresh token cannot be opened with the configured TokenProtection keys",
                organizerId, TokenRenewalResult.Failed);
        }
        else
        {
            logger.LogWarning("Mercado Pago token renewal of organizer {OrganizerId}: {Outcome} ({ErrorCode}, request {RequestId}, {Failures} consecutive failures)",
                organizerId, TokenRenewalResult.Failed, code, requestId, failures);
        }

        if (rows == 1 && failures >= FailuresBeforeAlert)
        {
            await alerts.RaiseAsync(
                AlertKinds.RenewalFailing,
                AdminAlerts.KeyFor(AlertKinds.RenewalFailing, organizerId),
                AlertSeverity.Warning,
                organizerId,
                "La renovación del acceso a Mercado Pago está fallando",
                $"{failures.ToString(CultureInfo.InvariantCulture)} intentos seguidos de renovar el acceso fallaron (último error: {code}). " +
                "El acceso actual sigue guardado; se reintentará en la próxima ejecución.",
                CancellationToken.None);
        }

        return TokenRenewalResult.Failed;
    }

    /// <summary>Frees the lease if this attempt still holds it.</summary>
    private async Task<bool> ReleaseAsync(int linkId, Guid leaseId)
    {
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        await db.MercadoPagoLinks
            .Where(l => l.Id == linkId && l.RenewalLeaseId == leaseId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.RenewalLeaseId, (Guid?)null)
                .SetProperty(l => l.RenewalLeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        return true;
    }

    /// <summary>Polls the row until no live lease is on it (or the lease's duration has passed on the wall clock).</summary>
    private async Task WaitForLeaseAsync(int organizerId, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Renewal.LeaseDuration)
        {
            await Task.Delay(LeasePollInterval, cancellationToken);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var lease = await db.MercadoPagoLinks.AsNoTracking()
                .Where(l => l.OrganizerId == organizerId)
                .Select(l => new { l.RenewalLeaseId, l.RenewalLeaseUntil })
                .FirstOrDefaultAsync(cancellationToken);
            if (lease?.RenewalLeaseId is null || lease.RenewalLeaseUntil < time.GetUtcNow()) return;
        }
    }

    private async Task<MercadoPagoLink?> ReadAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MercadoPagoLinks.AsNoTracking().FirstOrDefaultAsync(l => l.OrganizerId == organizerId, cancellationToken);
    }

    private async Task<bool> WithTransactionAsync(Func<BillingDbContext, CancellationToken, Task<bool>> body)
    {
        await using var outer = await factory.CreateDbContextAsync(CancellationToken.None);
        return await outer.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var done = await body(db, ct);
            if (done) await transaction.CommitAsync(ct);
            return done;
        }, CancellationToken.None);
    }

    private string Open(string ciphertext, string purpose, int organizerId)
    {
        try
        {
            return protector.Unprotect(ciphertext, purpose);
        }
        catch (CryptographicException)
        {
            logger.LogError("The Mercado Pago access token of organizer {OrganizerId} cannot be opened with the configured TokenProtection keys", organizerId);
            throw;
        }
    }

    private (TokenRenewalResult, Exception?) Outcome(int organizerId, TokenRenewalResult result)
    {
        logger.LogDebug("Mercado Pago token renewal of organizer {OrganizerId}: {Outcome}", organizerId, result);
        return (result, null);
    }

    private static void CheckAnswer(MpOAuthToken token, MercadoPagoLink link)
    {
        if (string.IsNullOrEmpty(token.AccessToken) || string.IsNullOrEmpty(token.RefreshToken))
            throw new MercadoPagoApiException(new MercadoPagoError(MercadoPagoErrorKind.InvalidResponse, null, null, "The token answer has no access or refresh token.", [], null, null));
        if (token.UserId != 0 && token.UserId != link.MercadoPagoUserId)
            throw new MercadoPagoApiException(new MercadoPagoError(MercadoPagoErrorKind.InvalidResponse, null, null, "The renewed token belongs to another Mercado Pago user.", [], null, null));
    }

    /// <summary>Whether the job should renew the link now: its due date passed, or the access token is about to expire.</summary>
    internal static bool IsDue(MercadoPagoLink link, DateTimeOffset now) =>
        link.RenewalDueAt is not { } due || due <= now || IsExpiring(link, now);

    internal static bool IsExpiring(MercadoPagoLink link, DateTimeOffset now) =>
        link.AccessTokenExpiresAt is not { } expiry || expiry - ExpiryMargin <= now;

    private static bool IsLeased(MercadoPagoLink link, DateTimeOffset now) =>
        link.RenewalLeaseId is not null && link.RenewalLeaseUntil is { } until && until >= now;

    /// <summary>
    /// When to renew a token expiring at <paramref name="expiresAt"/>: <paramref name="renewBefore"/> ahead, or half way to
    /// the expiry when the token lives shorter than that (so a short-lived token is not renewed on every run).
    /// </summary>
    public static DateTimeOffset RenewalDue(DateTimeOffset now, DateTimeOffset expiresAt, TimeSpan renewBefore)
    {
        var due = expiresAt - renewBefore;
        return due > now ? due : now + (expiresAt - now) / 2;
    }

    internal static string ErrorCode(Exception error)
    {
        var code = error switch
        {
            MercadoPagoApiException api => api.Error.ErrorKey ?? api.Error.Kind.ToString(),
            CryptographicException => "token_unreadable",
            HttpRequestException => "network",
            TimeoutException or TaskCanceledException => "timeout",
            _ => error.GetType().Name,
        };
        return code.Length <= 64 ? code : code[..64];
    }

    private static string? Cut(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value : value[..max];
}
