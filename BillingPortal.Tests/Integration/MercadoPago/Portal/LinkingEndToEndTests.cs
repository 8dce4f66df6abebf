using System.Net;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.MercadoPago.Portal;

/// <summary>
/// Linking through the portal end to end, without JavaScript: the owner's «Conectar» form, the emulator's consent page
/// driven like a browser, the callback, and what the connection page says afterwards; the refusals (tampered state,
/// replayed callback, denial, a viewer) and the disconnection.
/// </summary>
public sealed class LinkingEndToEndTests(MercadoPagoPortalFactory portal) : IClassFixture<MercadoPagoPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(PortalBrowser Browser, int OrganizerId)> OwnerAsync()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"duena{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Owner);
        return (await portal.SignInWithEmailAsync(email), organizer.Id);
    }

    [Fact]
    public async Task Connect_OwnerAllowsOnTheConsentPage_PageShowsConectadoWithTheAccount()
    {
        var (browser, organizerId) = await OwnerAsync();
        using var _ = browser;
        var seller = await portal.AddSellerAsync();

        var consent = await LinkingFlow.StartAsync(browser, organizerId);

        Assert.StartsWith(new Uri(portal.ServerAddress, "/sandbox/mercadopago/authorization").AbsoluteUri, consent.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(consent.Query);
        Assert.Equal(portal.Sandbox.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("mp", query["platform_id"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(new Uri(portal.ServerAddress, "/mercadopago/callback").AbsoluteUri, query["redirect_uri"]);

        var callback = await LinkingFlow.ConsentAsync(browser, consent, SandboxConsentRequest.Allow, seller.Id);
        var landing = await LinkingFlow.CallbackAsync(browser, callback);

        Assert.Equal($"/mercadopago?org={organizerId}&resultado=conectado", landing);
        var (status, html) = await browser.GetPageAsync(landing);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Active", LinkingFlow.StatusOf(html));
        Assert.Equal("Conectado", LinkingFlow.TextOf(html, "mercadopago-status"));
        Assert.Equal(seller.Nickname, LinkingFlow.TextOf(html, "mercadopago-account-nickname"));
        Assert.Equal(seller.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), LinkingFlow.TextOf(html, "mercadopago-account-id"));
        Assert.Contains("quedó conectada", LinkingFlow.OutcomeOf(html), StringComparison.Ordinal);
        var link = await portal.LinkOfAsync(organizerId);
        Assert.Equal(MercadoPagoLinkStatus.Active, link!.Status);
        Assert.Equal(seller.Id, link.MercadoPagoUserId);
        Assert.DoesNotContain("APP_USR-", link.AccessTokenCiphertext, StringComparison.Ordinal);
        Assert.DoesNotContain("APP_USR-", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_TamperedState_IsRefusedWithAMessageAndNothingIsLinked()
    {
        var (browser, organizerId) = await OwnerAsync();
        using var _ = browser;
        var seller = await portal.AddSellerAsync();
        var callback = await LinkingFlow.ConsentAsync(browser, await LinkingFlow.StartAsync(browser, organizerId), SandboxConsentRequest.Allow, seller.Id);
        var query = QueryHelpers.ParseQuery(callback.Query);
        var tampered = QueryHelpers.AddQueryString(callback.GetLeftPart(UriPartial.Path), new Dictionary<string, string?>
        {
            ["code"] = query["code"],
            ["state"] = query["state"].ToString()[..^2] + "xx",
        });

        var landing = await LinkingFlow.CallbackAsync(browser, new Uri(tampered));

        Assert.Equal("/mercadopago?resultado=estado-invalido", landing);
        var (_, html) = await browser.GetPageAsync(landing);
        Assert.Contains("no corresponde a ningún intento de conexión", LinkingFlow.OutcomeOf(html), StringComparison.Ordinal);
        Assert.Null(await portal.LinkOfAsync(organizerId));
    }

    [Fact]
    public async Task Callback_Replayed_IsRefusedTheSecondTime()
    {
        var (browser, organizerId) = await OwnerAsync();
        using var _ = browser;
        var seller = await portal.AddSellerAsync();
        var callback = await LinkingFlow.ConsentAsync(browser, await LinkingFlow.StartAsync(browser, organizerId), SandboxConsentRequest.Allow, seller.Id);
        Assert.EndsWith("resultado=conectado", await LinkingFlow.CallbackAsync(browser, callback), StringComparison.Ordinal);

        var replay = await LinkingFlow.CallbackAsync(browser, callback);

        Assert.Equal($"/mercadopago?org={organizerId}&resultado=estado-usado", replay);
        var (_, html) = await browser.GetPageAsync(replay);
        Assert.Contains("ya se usó", LinkingFlow.OutcomeOf(html), StringComparison.Ordinal);
        Assert.Equal("Active", LinkingFlow.StatusOf(html));
        Assert.Equal(1, await portal.Accounts.CountTokensAsync(seller.Id, "access", Ct));
    }

    [Fact]
    public async Task Consent_Denied_ComesBackWithTheDenialMessage()
    {
        var (browser, organizerId) = await OwnerAsync();
        using var _ = browser;

        var callback = await LinkingFlow.ConsentAsync(browser, await LinkingFlow.StartAsync(browser, organizerId), SandboxConsentRequest.Deny, null);
        var landing = await LinkingFlow.CallbackAsync(browser, callback);

        Assert.Equal("access_denied", QueryHelpers.ParseQuery(callback.Query)["error"]);
        Assert.Equal($"/mercadopago?org={organizerId}&resultado=denegado", landing);
        var (_, html) = await browser.GetPageAsync(landing);
        Assert.Contains("La autorización se denegó en Mercado Pago", LinkingFlow.OutcomeOf(html), StringComparison.Ordinal);
        Assert.Equal("None", LinkingFlow.StatusOf(html));
        Assert.Null(await portal.LinkOfAsync(organizerId));
    }

    [Fact]
    public async Task Connect_Viewer_IsForbiddenAndSeesNoButton()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"lector{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Viewer);
        using var viewer = await portal.SignInWithEmailAsync(email);

        var (status, html) = await viewer.GetPageAsync($"/mercadopago?org={organizer.Id}");
        using var connect = await LinkingFlow.PostAsync(viewer, "/mercadopago/conectar", organizer.Id);
        using var disconnect = await LinkingFlow.PostAsync(viewer, "/mercadopago/desconectar", organizer.Id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"mercadopago-read-only\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("mercadopago-connect-form", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, connect.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, disconnect.StatusCode);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.MercadoPagoAuthorizationRequests.AnyAsync(r => r.OrganizerId == organizer.Id, Ct));
    }

    [Fact]
    public async Task Connect_OrganizerTheUserDoesNotBelongTo_IsNotFound()
    {
        var (browser, _) = await OwnerAsync();
        using var _ = browser;
        var other = await portal.AddOrganizerAsync();

        using var response = await LinkingFlow.PostAsync(browser, "/mercadopago/conectar", other.Id);
        var (pageStatus, _) = await browser.GetPageAsync($"/mercadopago?org={other.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pageStatus);
    }

    [Fact]
    public async Task Connect_WithoutAntiforgeryToken_IsRefused()
    {
        var (browser, organizerId) = await OwnerAsync();
        using var _ = browser;

        using var response = await browser.PostFormAsync("/mercadopago/conectar", ("organizerId", organizerId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Disconnect_Owner_RemovesTheTokensAndThePageSaysDesconectado()
    {
        var (browser, organizerId) = await OwnerAsync();
        using var _ = browser;
        var seller = await portal.AddSellerAsync();
        await LinkingFlow.LinkAsync(browser, organizerId, seller.Id);
        var (_, linked) = await browser.GetPageAsync($"/mercadopago?org={organizerId}");
        Assert.Contains("data-testid=\"mercadopago-disconnect-form\"", linked, StringComparison.Ordinal);

        using var response = await LinkingFlow.PostAsync(browser, "/mercadopago/desconectar", organizerId);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/mercadopago?org={organizerId}&resultado=desconectado", response.Headers.Location!.OriginalString);
        var (_, html) = await browser.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Disconnected", LinkingFlow.StatusOf(html));
        Assert.Equal("Desconectado", LinkingFlow.TextOf(html, "mercadopago-status"));
        Assert.Contains("se desconectó", LinkingFlow.OutcomeOf(html), StringComparison.Ordinal);
        var link = await portal.LinkOfAsync(organizerId);
        Assert.Null(link!.AccessTokenCiphertext);
        Assert.Null(link.RefreshTokenCiphertext);
        await using var db = portal.CreateDbContext();
        var audit = await db.AuditLog.Where(a => a.OrganizerId == organizerId).Select(a => new { a.Action, a.UserAgent }).ToListAsync(Ct);
        Assert.Contains(audit, a => a.Action == AuditAction.MercadoPagoLinked && a.UserAgent == PortalBrowser.UserAgent);
        Assert.Contains(audit, a => a.Action == AuditAction.MercadoPagoUnlinked && a.UserAgent == PortalBrowser.UserAgent);
    }

    [Fact]
    public async Task Callback_NotSignedIn_GoesToSignInFirst()
    {
        using var anonymous = portal.CreateBrowser();

        using var response = await anonymous.GetAsync("/mercadopago/callback?code=TG-x&state=abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/cuenta/ingresar?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
