using System.Net;
using BillingPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace BillingPortal.Tests.Integration.SandboxIdentity;

public sealed class SandboxIdentityEndSessionTests(SandboxIdentityHostFixture fixture) : IClassFixture<SandboxIdentityHostFixture>
{
    private readonly CancellationToken _cancellationToken = TestContext.Current.CancellationToken;

    [Fact]
    public async Task EndSession_RegisteredPostLogoutUri_RedirectsThereAndEndsTheSession()
    {
        var host = fixture.Host;
        using var browser = host.CreateBrowser();
        var request = new AuthorizationRequest(host);
        var code = SandboxIdentityFlow.ReadCode(await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, "demo-admin", _cancellationToken), request);
        using var tokenResponse = await SandboxIdentityFlow.RedeemCodeAsync(host, request, code, _cancellationToken);
        var idToken = (await SandboxIdentityFlow.ReadJsonAsync(tokenResponse, _cancellationToken)).GetProperty("id_token").GetString()!;

        using var response = await browser.GetAsync(EndSessionUri(host, host.PostLogoutRedirectUri.AbsoluteUri, idToken, "estado-1"), _cancellationToken);
        using var authorizeAgain = await browser.GetAsync(new AuthorizationRequest(host).Uri, _cancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(host.PostLogoutRedirectUri.AbsoluteUri, location.GetLeftPart(UriPartial.Path));
        Assert.Equal("estado-1", QueryHelpers.ParseQuery(location.Query)["state"].ToString());
        Assert.StartsWith("/sandbox/oidc/account/login", authorizeAgain.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndSession_UnregisteredPostLogoutUri_IsRejectedWithoutRedirecting()
    {
        var host = fixture.Host;
        using var browser = host.CreateBrowser();

        using var response = await browser.GetAsync(EndSessionUri(host, "https://evil.example/signout-callback-oidc", idTokenHint: null, "estado-2"), _cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(_cancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndSession_WithoutPostLogoutUri_ShowsTheSignedOutPage()
    {
        var host = fixture.Host;
        using var browser = host.CreateBrowser();

        using var response = await browser.GetAsync(new Uri(host.Issuer, "connect/endsession"), _cancellationToken);
        using var page = await browser.GetAsync(response.Headers.Location!, _cancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Sesión cerrada", await page.Content.ReadAsStringAsync(_cancellationToken), StringComparison.Ordinal);
    }

    private static Uri EndSessionUri(SandboxIdentityHost host, string postLogoutRedirectUri, string? idTokenHint, string state)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = host.ClientId,
            ["post_logout_redirect_uri"] = postLogoutRedirectUri,
            ["state"] = state,
        };
        if (idTokenHint is not null)
        {
            query["id_token_hint"] = idTokenHint;
        }

        return new Uri(QueryHelpers.AddQueryString(new Uri(host.Issuer, "connect/endsession").AbsoluteUri, query));
    }
}
