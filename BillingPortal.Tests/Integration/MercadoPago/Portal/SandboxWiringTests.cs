using System.Net;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.MercadoPago;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.MercadoPago.Portal;

/// <summary>
/// The emulator inside the portal: where the portal looks for Mercado Pago (its own address plus the prefix, the emulator's
/// application), the emulator's webhooks pointed at the portal's receiver with a shared secret, and the portal's
/// pipeline (status code pages, CSP) leaving the emulator's JSON and pages alone.
/// </summary>
public sealed class SandboxWiringTests(MercadoPagoPortalFactory portal) : IClassFixture<MercadoPagoPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Endpoints_InProcessSandbox_AreTheServersOwnAddressUnderThePrefixWithTheSandboxApplication()
    {
        var endpoints = portal.Services.GetRequiredService<IMercadoPagoEndpoints>();

        Assert.IsType<InProcessMercadoPagoEndpoints>(endpoints);
        Assert.Equal(new Uri(portal.ServerAddress, "/sandbox/mercadopago/"), endpoints.ApiBase);
        Assert.Equal(new Uri(portal.ServerAddress, "/sandbox/mercadopago/authorization"), endpoints.AuthorizationEndpoint);
        Assert.Equal((portal.Sandbox.ClientId, portal.Sandbox.ClientSecret!), endpoints.Application);
        Assert.Equal(48, portal.Sandbox.ClientSecret!.Length);
    }

    [Fact]
    public void Webhooks_InProcessSandbox_GoToTheReceiverSignedWithTheSecretThePortalVerifies()
    {
        var options = portal.Services.GetRequiredService<IOptionsMonitor<MercadoPagoOptions>>().CurrentValue;

        Assert.Equal(new Uri(portal.ServerAddress, "/api/webhooks/mercadopago").AbsoluteUri, portal.Sandbox.Webhooks.Url);
        Assert.False(string.IsNullOrEmpty(portal.Sandbox.Webhooks.Secret));
        Assert.Equal(portal.Sandbox.Webhooks.Secret, options.Webhooks.Secret);
        Assert.True(portal.Services.GetRequiredService<MercadoPagoMode>().UsesSandbox);
    }

    [Fact]
    public async Task Pipeline_SandboxErrors_KeepTheirOwnJsonInsteadOfThePortalsErrorPages()
    {
        using var client = portal.CreateHttpClient();

        using var unauthorized = await client.GetAsync("/sandbox/mercadopago/users/me", Ct);
        using var missing = await client.GetAsync("/sandbox/mercadopago/v1/no-such-resource", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("application/json", unauthorized.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", await unauthorized.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.DoesNotContain("<html", await missing.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pipeline_ConsentPageAndItsStylesheet_AreServedUnderThePortalsPolicy()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"duena{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Owner);
        using var browser = await portal.SignInWithEmailAsync(email);
        await portal.AddSellerAsync();
        var consent = await LinkingFlow.StartAsync(browser, organizer.Id);

        using var page = await browser.GetAsync(consent.AbsoluteUri);
        using var css = await browser.GetAsync("/sandbox/mercadopago/_static/consent.css");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"mp-consent-form\"", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>The portal with a real Mercado Pago application configured (a client id): no emulator anywhere.</summary>
public sealed class ConfiguredMercadoPagoPortalFactory : BillingPortalFactory
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["MercadoPago:ClientId"] = "4934588586838432";
        settings["MercadoPago:ClientSecret"] = "configured-outside-the-repository";
        settings["MercadoPago:Webhooks:Secret"] = "webhook-secret-from-the-environment";
    }
}

/// <summary>With a real application configured, nothing of the emulator is mapped and the CSP lets the form reach Mercado Pago.</summary>
public sealed class ConfiguredMercadoPagoTests(ConfiguredMercadoPagoPortalFactory portal) : IClassFixture<ConfiguredMercadoPagoPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Production_ClientIdConfigured_MapsNoSandboxAndUsesTheRealHosts()
    {
        using var client = portal.CreateHttpClient();

        using var admin = await client.GetAsync("/sandbox/mercadopago/_admin/oauth/application", Ct);
        using var token = await client.PostAsync("/sandbox/mercadopago/oauth/token", new StringContent("{}"), Ct);
        using var home = await client.GetAsync("/health/live", Ct);

        Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
        Assert.True(token.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest, token.StatusCode.ToString());
        Assert.DoesNotContain("access_token", await token.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var endpoints = portal.Services.GetRequiredService<IMercadoPagoEndpoints>();
        Assert.IsType<ConfiguredMercadoPagoEndpoints>(endpoints);
        Assert.Equal(new Uri("https://auth.mercadopago.com.pe/authorization"), endpoints.AuthorizationEndpoint);
        Assert.Equal(new Uri("https://api.mercadopago.com/"), endpoints.ApiBase);
        Assert.Equal("webhook-secret-from-the-environment", portal.Services.GetRequiredService<IOptionsMonitor<MercadoPagoOptions>>().CurrentValue.Webhooks.Secret);
        Assert.Contains("form-action 'self' https://auth.mercadopago.com.pe", home.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}

/// <summary>Neither a client id nor the sandbox (Testing, not demo): linking says it is not configured.</summary>
public sealed class UnconfiguredMercadoPagoTests(SignedInPortalFactory portal) : IClassFixture<SignedInPortalFactory>
{
    [Fact]
    public async Task Connect_MercadoPagoNotConfigured_ComesBackToThePageThatSaysSo()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"duena{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Owner);
        using var browser = await portal.SignInWithEmailAsync(email);

        using var response = await LinkingFlow.PostAsync(browser, "/mercadopago/conectar", organizer.Id);
        var (_, html) = await browser.GetPageAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/mercadopago?org={organizer.Id}&resultado=no-configurado", response.Headers.Location!.OriginalString);
        Assert.Contains("data-testid=\"mercadopago-not-configured\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("mercadopago-connect-form", html, StringComparison.Ordinal);
    }
}
