using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.MercadoPago;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BillingPortal.Demo;

/// <summary>
/// Demo mode with the in-process Mercado Pago emulator only: at start-up (after the seed and the demo invitations) every
/// demo organizer that never linked is linked to its emulated seller (the seller id is the organizer's
/// <c>MercadoPagoUserId</c>), so the demo's data arrives through the emulator from the first minute. The tokens are issued
/// by the emulator directly (what a consent would end with) and stored through <see cref="IMercadoPagoLinking.LinkWithTokenAsync"/>,
/// the callback's own write path (encrypted, audited as the platform). The first organizer (Pacífico Sur, whose owner is
/// carmen.flores@…) stays unlinked so that «Conectar Mercado Pago» can be shown. A new link's sync cursor starts at
/// start-up time: the seed wrote into the portal the same payments the emulator holds, so the first sync does not
/// download them again. Organizers with any link row (even disconnected) are left alone.
/// </summary>
public sealed partial class DemoMercadoPagoLinks(
    IOptions<DemoOptions> demo,
    MercadoPagoMode mode,
    IDbContextFactory<BillingDbContext> factory,
    SandboxAccounts accounts,
    IOptions<MercadoPagoSandboxOptions> sandbox,
    IMercadoPagoLinking linking,
    TimeProvider time,
    ILogger<DemoMercadoPagoLinks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!demo.Value.Enabled || !mode.UsesSandbox) return;
        await LinkAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Links the demo organizers that never linked (all but the first); returns how many were linked.</summary>
    public async Task<int> LinkAsync(CancellationToken cancellationToken)
    {
        List<(int Id, long SellerId)> candidates;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var first = await db.Organizers.OrderBy(o => o.Id).Select(o => (int?)o.Id).FirstOrDefaultAsync(cancellationToken);
            candidates = (await db.Organizers.AsNoTracking()
                    .Where(o => o.Id != first && o.MercadoPagoUserId != null && !db.MercadoPagoLinks.Any(l => l.OrganizerId == o.Id))
                    .OrderBy(o => o.Id)
                    .Select(o => new { o.Id, SellerId = o.MercadoPagoUserId!.Value })
                    .ToListAsync(cancellationToken))
                .Select(o => (o.Id, o.SellerId))
                .ToList();
        }

        var linked = 0;
        var settings = sandbox.Value;
        foreach (var (organizerId, sellerId) in candidates)
        {
            var seller = await accounts.GetSellerAsync(sellerId, cancellationToken);
            if (seller is null)
            {
                LogNoSeller(logger, organizerId, sellerId);
                continue;
            }

            var issued = await accounts.IssueTokensAsync(sellerId, settings.ClientId, settings.AccessTokenLifetime, cancellationToken);
            var now = time.GetUtcNow();
            var token = new MpOAuthToken
            {
                AccessToken = issued.AccessToken,
                RefreshToken = issued.RefreshToken,
                TokenType = "bearer",
                ExpiresIn = (long)Math.Max(1, (issued.ExpiresAt - now).TotalSeconds),
                Scope = issued.Scope,
                UserId = sellerId,
                PublicKey = string.IsNullOrEmpty(seller.PublicKey) ? SandboxAccounts.PublicKeyFor(sellerId) : seller.PublicKey,
                LiveMode = true, // what the emulator's token endpoint answers, as the real one does for production credentials
            };
            var outcome = await linking.LinkWithTokenAsync(organizerId, token, seller.Nickname, null, AuditOrigin.None, cancellationToken);
            if (outcome != LinkOutcome.Linked)
            {
                LogNotLinked(logger, organizerId, sellerId, outcome);
                continue;
            }

            await StartCursorAsync(organizerId, now, cancellationToken);
            linked++;
        }

        if (linked > 0) LogLinked(logger, linked);
        return linked;
    }

    /// <summary>The sync state of a new demo link: everything up to now is already in the portal (the seed wrote it).</summary>
    private async Task StartCursorAsync(int organizerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.MercadoPagoSyncStates.AnyAsync(s => s.OrganizerId == organizerId, cancellationToken)) return;
        db.MercadoPagoSyncStates.Add(new MercadoPagoSyncState { OrganizerId = organizerId, Cursor = now, InitialSyncCompletedAt = now });
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo mode: {Linked} demo organizer(s) linked to their emulated Mercado Pago sellers (the first organizer stays unlinked)")]
    private static partial void LogLinked(ILogger logger, int linked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode: organizer {OrganizerId} not linked: the emulator has no seller {SellerId}")]
    private static partial void LogNoSeller(ILogger logger, int organizerId, long sellerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode: organizer {OrganizerId} not linked to seller {SellerId}: {Outcome}")]
    private static partial void LogNotLinked(ILogger logger, int organizerId, long sellerId, LinkOutcome outcome);
}
