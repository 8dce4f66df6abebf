using System.Net;
using System.Text.RegularExpressions;
using BillingPortal.Core.Identity;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>The security headers on pages, redirects and APIs, and a CSP Blazor Server and MudBlazor can live with.</summary>
public sealed partial class SecurityHeadersTests(SignedInPortalFactory portal) : IClassFixture<SignedInPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Policy(HttpResponseMessage response) => response.Headers.GetValues("Content-Security-Policy").Single();

    private void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS in Testing (nor over plain HTTP)");
        var policy = Policy(response);
        foreach (var directive in new[]
        {
            "default-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
            "frame-ancestors 'none'", "base-uri 'self'", "object-src 'none'",
        })
        {
            Assert.Contains(directive, policy, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'nonce-[0-9a-f]{32}'(;|$)", policy);
        Assert.Contains($"connect-src 'self' ws://{response.RequestMessage!.RequestUri!.Authority}", policy, StringComparison.Ordinal);
        Assert.Contains($"form-action 'self' {portal.Provider.Issuer.GetLeftPart(UriPartial.Authority)}", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sesion-cerrada", HttpStatusCode.OK)]
    [InlineData("/acceso-denegado", HttpStatusCode.OK)]
    [InlineData("/resumen", HttpStatusCode.Redirect)]
    [InlineData("/no-existe", HttpStatusCode.NotFound)]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/api/v1/summary?from=2026-03-01&to=2026-03-31", HttpStatusCode.Unauthorized)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    public async Task Response_AnyPath_CarriesTheSecurityHeaders(string path, HttpStatusCode status)
    {
        using var browser = portal.CreateBrowser();

        using var response = await browser.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        AssertCommonHeaders(response);
    }

    [Fact]
    public async Task Page_TheOnlyInlineScript_CarriesThisResponsesNonce()
    {
        using var browser = portal.CreateBrowser();

        using var response = await browser.GetAsync("/sesion-cerrada");
        var html = await response.Content.ReadAsStringAsync(Ct);

        var nonce = NonceInPolicy().Match(Policy(response)).Groups["nonce"].Value;
        var inline = InlineScript().Matches(html);
        Assert.NotEmpty(inline);
        Assert.All(inline, m => Assert.Equal(nonce, m.Groups["nonce"].Value));
        using var second = await browser.GetAsync("/sesion-cerrada");
        Assert.NotEqual(nonce, NonceInPolicy().Match(Policy(second)).Groups["nonce"].Value);
    }

    [Fact]
    public async Task SignedInPage_AndSignOutRedirect_CarryTheHeaders()
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.InviteAsync(organizer.Id, "cabeceras@example.pe", OrganizerRole.Owner);
        using var browser = await portal.SignInWithEmailAsync("cabeceras@example.pe");

        using var page = await browser.GetAsync($"/miembros?org={organizer.Id}");
        var token = await browser.AntiforgeryTokenAsync($"/miembros?org={organizer.Id}");
        using var signOut = await browser.PostFormAsync("/cuenta/salir", ("__RequestVerificationToken", token));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertCommonHeaders(page);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        AssertCommonHeaders(signOut);
    }

    [GeneratedRegex("'nonce-(?<nonce>[^']+)'")]
    private static partial Regex NonceInPolicy();

    // An inline script: a <script> element without a src attribute.
    [GeneratedRegex("""<script(?![^>]*\ssrc=)[^>]*?nonce="(?<nonce>[^"]*)"[^>]*>|<script(?![^>]*\s(src|nonce)=)[^>]*>(?<nonce>)""")]
    private static partial Regex InlineScript();
}
