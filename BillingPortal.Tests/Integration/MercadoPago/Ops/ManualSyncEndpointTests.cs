using System.Globalization;
using System.Net;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Integration.Auth;
using BillingPortal.Tests.Integration.MercadoPago.Portal;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.Ops;

/// <summary>
/// «Sincronizar ahora» over real HTTP (the portal with the emulator in-process, a signed-in owner, a real link):
/// accepted, it redirects with <c>resultado=sync-iniciada</c> and a manual run by that user brings the seller's payments;
/// a second click within five minutes is refused with the time left, in clear Spanish; viewers, strangers, unlinked
/// organizers and forms without the antiforgery token get nothing.
/// </summary>
public sealed class ManualSyncEndpointTests(MercadoPagoPortalFactory portal) : IClassFixture<MercadoPagoPortalFactory>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(PortalBrowser Browser, int OrganizerId, long SellerId, int UserId)> LinkedOwnerAsync()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"duena{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Owner);
        var browser = await portal.SignInWithEmailAsync(email);
        var seller = await portal.AddSellerAsync();
        Assert.EndsWith("resultado=conectado", await LinkingFlow.LinkAsync(browser, organizer.Id, seller.Id), StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        return (browser, organizer.Id, seller.Id, userId);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Guard);
        while (true)
        {
            var value = await read();
            if (done(value) || timeout.IsCancellationRequested) return value;
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task SyncNow_Owner_RedirectsAndAManualRunByThatUserBringsThePayments()
    {
        var (browser, organizerId, sellerId, userId) = await LinkedOwnerAsync();
        using var _ = browser;

        var sale = await portal.Services.GetRequiredService<SandboxPayments>().CreateSaleAsync(
            new SandboxSaleRequest
            {
                SellerId = sellerId,
                Amount = 120.00m,
                ExternalReference = "ord_manual_" + organizerId.ToString(CultureInfo.InvariantCulture),
                DateCreated = DateTimeOffset.UtcNow.AddMinutes(-1), // approved a few seconds later, still before the run
            },
            Ct);

        using var response = await LinkingFlow.PostAsync(browser, "/mercadopago/sincronizar", organizerId);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/mercadopago?org={organizerId}&resultado=sync-iniciada", response.Headers.Location!.OriginalString);
        var run = await EventuallyAsync(
            async () =>
            {
                await using var db = portal.CreateDbContext();
                return await db.MercadoPagoSyncRuns.AsNoTracking().Where(r => r.OrganizerId == organizerId && r.Kind == SyncRunKind.Manual).SingleOrDefaultAsync(Ct);
            },
            r => r is { Status: not SyncRunStatus.Running });
        Assert.NotNull(run);
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(userId, run.TriggeredByUserId);
        // The run read the sale (new, or unchanged if its webhook was faster).
        Assert.True(run.PaymentsSeen >= 1, $"the manual run read {run.PaymentsSeen} payments (window {run.WindowFrom:O}..{run.WindowTo:O}, sale updated {sale.DateLastUpdated:O})");
        await using (var db = portal.CreateDbContext())
        {
            Assert.True(await db.Payments.AnyAsync(p => p.Id == sale.Id && p.OrganizerId == organizerId, Ct));
        }

        var (_, html) = await browser.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Sincronización iniciada: los pagos nuevos aparecerán en unos momentos, sin recargar la página.", LinkingFlow.OutcomeOf(html));
        Assert.Contains("data-kind=\"Manual\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncNow_AgainWithinFiveMinutes_IsRefusedWithTheTimeLeft()
    {
        var (browser, organizerId, _, _) = await LinkedOwnerAsync();
        using var _ = browser;
        using (var first = await LinkingFlow.PostAsync(browser, "/mercadopago/sincronizar", organizerId))
        {
            Assert.EndsWith("resultado=sync-iniciada", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var second = await LinkingFlow.PostAsync(browser, "/mercadopago/sincronizar", organizerId);

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var location = second.Headers.Location!.OriginalString;
        Assert.StartsWith($"/mercadopago?org={organizerId}&resultado=sync-limitada&espera=", location, StringComparison.Ordinal);
        var seconds = int.Parse(QueryHelpers.ParseQuery(new Uri(portal.ServerAddress, location).Query)["espera"]!, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 240, 300);
        var (_, html) = await browser.GetPageAsync(location);
        Assert.Equal("Ya sincronizaste hace poco. Podrás hacerlo de nuevo en 5 min.", LinkingFlow.OutcomeOf(html));
        Assert.Contains("data-testid=\"sync-now-wait\"", html, StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        Assert.True(await EventuallyAsync(() => db.MercadoPagoSyncRuns.CountAsync(r => r.OrganizerId == organizerId && r.Kind == SyncRunKind.Manual, Ct), n => n >= 1) == 1);
    }

    [Fact]
    public async Task SyncNow_NotLinked_RedirectsWithConnectFirst()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"sinconexion{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Owner);
        using var browser = await portal.SignInWithEmailAsync(email);

        using var response = await LinkingFlow.PostAsync(browser, "/mercadopago/sincronizar", organizer.Id);

        Assert.Equal($"/mercadopago?org={organizer.Id}&resultado=sync-sin-conexion", response.Headers.Location!.OriginalString);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.MercadoPagoSyncRuns.AnyAsync(r => r.OrganizerId == organizer.Id, Ct));
    }

    [Fact]
    public async Task SyncNow_ViewerStrangerOrNoAntiforgery_GetsNothing()
    {
        var (owner, organizerId, _, _) = await LinkedOwnerAsync();
        using var _ = owner;
        var viewerEmail = $"lector{organizerId}@example.pe";
        await portal.InviteAsync(organizerId, viewerEmail, OrganizerRole.Viewer);
        using var viewer = await portal.SignInWithEmailAsync(viewerEmail);
        var other = await portal.AddOrganizerAsync();

        using var asViewer = await LinkingFlow.PostAsync(viewer, "/mercadopago/sincronizar", organizerId);
        using var asStranger = await LinkingFlow.PostAsync(owner, "/mercadopago/sincronizar", other.Id);
        using var noToken = await owner.PostFormAsync("/mercadopago/sincronizar", ("organizerId", organizerId.ToString(CultureInfo.InvariantCulture)));
        var (_, viewerPage) = await viewer.GetPageAsync($"/mercadopago?org={organizerId}");

        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asStranger.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("data-testid=\"sync-card\"", viewerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sync-now-form\"", viewerPage, StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.MercadoPagoSyncRuns.AnyAsync(r => r.OrganizerId == organizerId && r.Kind == SyncRunKind.Manual, Ct));
        Assert.Null(await db.MercadoPagoSyncStates.Where(s => s.OrganizerId == organizerId).Select(s => s.LastManualSyncAt).SingleOrDefaultAsync(Ct));
    }
}
