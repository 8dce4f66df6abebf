using System.Security.Cryptography;
using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Linking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.Security;

/// <summary>What one rotation pass did.</summary>
/// <param name="LinksReencrypted">Links whose access and/or refresh token now use the active key.</param>
/// <param name="AuthorizationRequestsReencrypted">Consent attempts whose PKCE verifier now uses the active key.</param>
/// <param name="Skipped">Rows changed by someone else meanwhile (a renewal wrote fresh tokens): left alone.</param>
/// <param name="Failed">Rows that could not be opened (their key is no longer configured, or tampered).</param>
public sealed record TokenKeyRotationResult(int LinksReencrypted, int AuthorizationRequestsReencrypted, int Skipped, int Failed);

/// <summary>
/// Re-encrypts every stored secret that is not under the active key (<see cref="ITokenProtector.ActiveKeyId"/>): the
/// Mercado Pago links' access and refresh tokens and the consent attempts' PKCE verifiers, in batches. Each row is
/// written by one conditional UPDATE: a link only if its <see cref="MercadoPagoLink.Version"/> is still the one read
/// (a renewal that stored new tokens meanwhile is never overwritten), a verifier only if it is still the value read.
/// Old keys keep opening what they encrypted as long as they stay configured; remove one only after a pass reports
/// no failures.
/// </summary>
public sealed class TokenKeyRotation(IDbContextFactory<BillingDbContext> factory, ITokenProtector protector, ILogger<TokenKeyRotation> logger)
{
    public const int DefaultBatchSize = 100;

    public async Task<TokenKeyRotationResult> ReencryptAsync(CancellationToken cancellationToken) =>
        await ReencryptAsync(DefaultBatchSize, cancellationToken);

    public async Task<TokenKeyRotationResult> ReencryptAsync(int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var (links, linksSkipped, linksFailed) = await ReencryptLinksAsync(batchSize, cancellationToken);
        var (requests, requestsSkipped, requestsFailed) = await ReencryptRequestsAsync(batchSize, cancellationToken);
        var result = new TokenKeyRotationResult(links, requests, linksSkipped + requestsSkipped, linksFailed + requestsFailed);
        if (result.LinksReencrypted + result.AuthorizationRequestsReencrypted + result.Skipped + result.Failed > 0)
        {
            logger.LogInformation(
                "Token key rotation to {ActiveKeyId}: {Links} links and {Requests} consent attempts re-encrypted, {Skipped} skipped, {Failed} failed",
                protector.ActiveKeyId, result.LinksReencrypted, result.AuthorizationRequestsReencrypted, result.Skipped, result.Failed);
        }

        return result;
    }

    private async Task<(int Done, int Skipped, int Failed)> ReencryptLinksAsync(int batchSize, CancellationToken cancellationToken)
    {
        var prefix = protector.ActiveKeyId + ".";
        int done = 0, skipped = 0, failed = 0, lastId = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var batch = await db.MercadoPagoLinks.AsNoTracking()
                .Where(l => l.Id > lastId)
                .Where(l => (l.AccessTokenCiphertext != null && !l.AccessTokenCiphertext.StartsWith(prefix))
                            || (l.RefreshTokenCiphertext != null && !l.RefreshTokenCiphertext.StartsWith(prefix)))
                .OrderBy(l => l.Id)
                .Take(batchSize)
                .Select(l => new { l.Id, l.OrganizerId, l.Version, l.AccessTokenCiphertext, l.RefreshTokenCiphertext })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0) return (done, skipped, failed);
            lastId = batch[^1].Id;

            foreach (var link in batch)
            {
                string? access, refresh;
                try
                {
                    access = Reencrypt(link.AccessTokenCiphertext, MercadoPagoTokenPurposes.Access(link.OrganizerId));
                    refresh = Reencrypt(link.RefreshTokenCiphertext, MercadoPagoTokenPurposes.Refresh(link.OrganizerId));
                }
                catch (CryptographicException)
                {
                    failed++;
                    logger.LogError("Token key rotation: the tokens of organizer {OrganizerId}'s Mercado Pago link cannot be opened with the configured keys", link.OrganizerId);
                    continue;
                }

                var version = link.Version;
                var rows = await db.MercadoPagoLinks
                    .Where(l => l.Id == link.Id && l.Version == version)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(l => l.AccessTokenCiphertext, access)
                        .SetProperty(l => l.RefreshTokenCiphertext, refresh)
                        .SetProperty(l => l.Version, l => l.Version + 1), cancellationToken);
                if (rows == 1) done++;
                else skipped++;
            }
        }
    }

    private async Task<(int Done, int Skipped, int Failed)> ReencryptRequestsAsync(int batchSize, CancellationToken cancellationToken)
    {
        var prefix = protector.ActiveKeyId + ".";
        int done = 0, skipped = 0, failed = 0;
        long lastId = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var batch = await db.MercadoPagoAuthorizationRequests.AsNoTracking()
                .Where(r => r.Id > lastId && !r.CodeVerifierCiphertext.StartsWith(prefix))
                .OrderBy(r => r.Id)
                .Take(batchSize)
                .Select(r => new { r.Id, r.OrganizerId, r.CodeVerifierCiphertext })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0) return (done, skipped, failed);
            lastId = batch[^1].Id;

            foreach (var request in batch)
            {
                string verifier;
                try
                {
                    verifier = Reencrypt(request.CodeVerifierCiphertext, MercadoPagoTokenPurposes.AuthorizationVerifier(request.OrganizerId))!;
                }
                catch (CryptographicException)
                {
                    failed++;
                    logger.LogWarning("Token key rotation: a consent attempt of organizer {OrganizerId} cannot be opened with the configured keys", request.OrganizerId);
                    continue;
                }

                var old = request.CodeVerifierCiphertext;
                var rows = await db.MercadoPagoAuthorizationRequests
                    .Where(r => r.Id == request.Id && r.CodeVerifierCiphertext == old)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.CodeVerifierCiphertext, verifier), cancellationToken);
                if (rows == 1) done++;
                else skipped++;
            }
        }
    }

    private string? Reencrypt(string? ciphertext, string purpose) =>
        ciphertext is null || !protector.NeedsReencryption(ciphertext)
            ? ciphertext
            : protector.Protect(protector.Unprotect(ciphertext, purpose), purpose);
}
