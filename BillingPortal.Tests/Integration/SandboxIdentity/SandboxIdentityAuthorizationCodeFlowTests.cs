using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BillingPortal.Sandbox.Identity;
using BillingPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BillingPortal.Tests.Integration.SandboxIdentity;

public sealed class SandboxIdentityAuthorizationCodeFlowTests(SandboxIdentityHostFixture fixture) : IClassFixture<SandboxIdentityHostFixture>
{
    private const string Admin = "demo-admin";
    private const string AndinaViewer = "demo-andina-viewer";

    private readonly CancellationToken _cancellationToken = TestContext.Current.CancellationToken;

    private SandboxIdentityHost Host => fixture.Host;

    [Fact]
    public async Task AuthorizationCodeFlow_DemoAdmin_IdTokenAndUserInfoCarryEmailAndRoles()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host);

        var redirect = await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, Admin, _cancellationToken);
        var code = SandboxIdentityFlow.ReadCode(redirect, request);
        using var tokenResponse = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, code, _cancellationToken);

        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var tokens = await SandboxIdentityFlow.ReadJsonAsync(tokenResponse, _cancellationToken);
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));

        var idToken = await ValidateIdTokenAsync(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(Admin, idToken.Subject);
        Assert.Equal(request.Nonce, idToken.GetClaim("nonce").Value);
        Assert.Equal("admin@billingportal.pe", idToken.GetClaim("email").Value);
        Assert.Equal("Ana Administradora", idToken.GetClaim("name").Value);
        Assert.Equal(["platform-admin"], idToken.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        var idPayload = SandboxIdentityFlow.ReadJwtPayload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(JsonValueKind.True, idPayload.GetProperty("email_verified").ValueKind);

        var accessPayload = SandboxIdentityFlow.ReadJwtPayload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(Admin, accessPayload.GetProperty("sub").GetString());

        var userInfo = await GetUserInfoAsync(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(Admin, userInfo.GetProperty("sub").GetString());
        Assert.Equal("admin@billingportal.pe", userInfo.GetProperty("email").GetString());
        Assert.True(userInfo.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Ana Administradora", userInfo.GetProperty("name").GetString());
        Assert.Equal(["platform-admin"], userInfo.GetProperty("role").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task AuthorizationCodeFlow_OrganizerViewer_HasNoRoleClaim()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host);

        var redirect = await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, AndinaViewer, _cancellationToken);
        using var tokenResponse = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, SandboxIdentityFlow.ReadCode(redirect, request), _cancellationToken);

        var tokens = await SandboxIdentityFlow.ReadJsonAsync(tokenResponse, _cancellationToken);
        var idToken = await ValidateIdTokenAsync(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("jorge.ramos@andina-eventos.example", idToken.GetClaim("email").Value);
        Assert.DoesNotContain(idToken.Claims, c => c.Type == "role");
        var userInfo = await GetUserInfoAsync(tokens.GetProperty("access_token").GetString()!);
        Assert.False(userInfo.TryGetProperty("role", out _), "no role claim for a person without roles");
    }

    [Fact]
    public async Task AuthorizationCodeFlow_AnyEmail_SignsInThatVerifiedEmailWithAStableSubject()
    {
        const string email = "invitada@organizador-nuevo.example";
        var subjects = new List<string>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var browser = Host.CreateBrowser();
            var request = new AuthorizationRequest(Host);

            var redirect = await SandboxIdentityFlow.SignInAsync(browser, request, _cancellationToken, ("email", email));
            using var tokenResponse = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, SandboxIdentityFlow.ReadCode(redirect, request), _cancellationToken);

            var tokens = await SandboxIdentityFlow.ReadJsonAsync(tokenResponse, _cancellationToken);
            var idToken = await ValidateIdTokenAsync(tokens.GetProperty("id_token").GetString()!);
            Assert.Equal(email, idToken.GetClaim("email").Value);
            Assert.Equal("true", idToken.GetClaim("email_verified").Value);
            Assert.DoesNotContain(idToken.Claims, c => c.Type == "role");
            subjects.Add(idToken.Subject);
        }

        Assert.StartsWith("email-", subjects[0], StringComparison.Ordinal);
        Assert.Equal(subjects[0], subjects[1]);
    }

    [Fact]
    public async Task Login_InvalidEmail_ShowsTheLoginPageAgainWithTheRule()
    {
        using var browser = Host.CreateBrowser();
        var form = await SandboxIdentityFlow.OpenLoginPageAsync(browser, new AuthorizationRequest(Host), _cancellationToken);

        using var response = await browser.PostAsync(form.Action, form.Content(("email", "no-es-un-correo")), _cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(_cancellationToken);
        Assert.Contains("Correo electrónico: escribe una dirección válida", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_Always_ListsTheDemoAccountsInSpanishWithoutExternalAssets()
    {
        using var browser = Host.CreateBrowser();
        using var authorize = await browser.GetAsync(new AuthorizationRequest(Host).Uri, _cancellationToken);

        using var page = await browser.GetAsync(authorize.Headers.Location!, _cancellationToken);

        var html = await page.Content.ReadAsStringAsync(_cancellationToken);
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        foreach (var account in SandboxIdentityDefaults.DemoAccounts)
        {
            Assert.Contains($"value=\"{account.Subject}\"", html, StringComparison.Ordinal);
            Assert.Contains(account.Email, html, StringComparison.Ordinal);
        }

        Assert.Contains("Rol: platform-admin", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"email\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Login_PostWithoutAntiforgeryToken_IsRejectedAndOpensNoSession()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host);
        var form = await SandboxIdentityFlow.OpenLoginPageAsync(browser, request, _cancellationToken);

        using var forged = await browser.PostAsync(
            form.Action,
            new FormUrlEncodedContent([new("returnUrl", form.ReturnUrl), new("account", Admin)]),
            _cancellationToken);
        using var authorizeAgain = await browser.GetAsync(request.Uri, _cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.StartsWith("/sandbox/oidc/account/login", authorizeAgain.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ReturnUrlOutsideTheProvider_IsRejected()
    {
        using var browser = Host.CreateBrowser();
        var form = await SandboxIdentityFlow.OpenLoginPageAsync(browser, new AuthorizationRequest(Host), _cancellationToken);
        var evil = form with { ReturnUrl = "https://evil.example/connect/authorize?x=1" };

        using var response = await browser.PostAsync(form.Action, evil.Content(("account", Admin)), _cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_WithSession_IssuesACodeWithoutShowingTheLoginPage()
    {
        using var browser = Host.CreateBrowser();
        await SandboxIdentityFlow.SignInAsAccountAsync(browser, new AuthorizationRequest(Host), Admin, _cancellationToken);
        var second = new AuthorizationRequest(Host);

        using var response = await browser.GetAsync(second.Uri, _cancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(SandboxIdentityFlow.ReadCode(response.Headers.Location!, second)));
    }

    [Fact]
    public async Task Authorize_PromptLoginWithSession_ShowsTheLoginPageAgain()
    {
        using var browser = Host.CreateBrowser();
        await SandboxIdentityFlow.SignInAsAccountAsync(browser, new AuthorizationRequest(Host), Admin, _cancellationToken);
        var request = new AuthorizationRequest(Host) { Prompt = "login" };

        var redirect = await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, AndinaViewer, _cancellationToken);
        using var tokenResponse = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, SandboxIdentityFlow.ReadCode(redirect, request), _cancellationToken);

        var tokens = await SandboxIdentityFlow.ReadJsonAsync(tokenResponse, _cancellationToken);
        Assert.Equal(AndinaViewer, SandboxIdentityFlow.ReadJwtPayload(tokens.GetProperty("id_token").GetString()!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Authorize_PromptNoneWithoutSession_RedirectsLoginRequired()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host) { Prompt = "none" };

        using var response = await browser.GetAsync(request.Uri, _cancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.StartsWith(request.RedirectUri, response.Headers.Location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("login_required", query["error"].ToString());
        Assert.Equal(request.State, query["state"].ToString());
    }

    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_IsRejectedWithoutRedirecting()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host) { RedirectUri = "https://evil.example/signin-oidc" };

        using var response = await browser.GetAsync(request.Uri, _cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync(_cancellationToken);
        Assert.Contains("No se pudo iniciar la solicitud", html, StringComparison.Ordinal);
        Assert.Contains("invalid_request", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("plain")]
    public async Task Authorize_WithoutS256CodeChallenge_IsRejected(string? method)
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host) { CodeChallengeMethod = method };

        using var response = await browser.GetAsync(request.Uri, _cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync(_cancellationToken);
        Assert.Contains("invalid_request", html, StringComparison.Ordinal);
        Assert.Contains("code_challenge", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_WrongCodeVerifier_ReturnsInvalidGrant()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host);
        var code = SandboxIdentityFlow.ReadCode(await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, Admin, _cancellationToken), request);

        using var response = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, code, _cancellationToken, codeVerifier: new AuthorizationRequest(Host).CodeVerifier);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await SandboxIdentityFlow.ReadJsonAsync(response, _cancellationToken)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_ReplayedCode_ReturnsInvalidGrant()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host);
        var code = SandboxIdentityFlow.ReadCode(await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, Admin, _cancellationToken), request);
        using var first = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, code, _cancellationToken);

        using var replay = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, code, _cancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await SandboxIdentityFlow.ReadJsonAsync(replay, _cancellationToken)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_WrongClientSecret_ReturnsInvalidClient()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host);
        var code = SandboxIdentityFlow.ReadCode(await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, Admin, _cancellationToken), request);

        using var response = await SandboxIdentityFlow.PostTokenAsync(Host, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = request.RedirectUri,
            ["code_verifier"] = request.CodeVerifier,
        }, _cancellationToken, clientSecret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await SandboxIdentityFlow.ReadJsonAsync(response, _cancellationToken)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_RefreshTokenGrant_IssuesNewTokensForTheSamePerson()
    {
        using var browser = Host.CreateBrowser();
        var request = new AuthorizationRequest(Host);
        var code = SandboxIdentityFlow.ReadCode(await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, Admin, _cancellationToken), request);
        using var first = await SandboxIdentityFlow.RedeemCodeAsync(Host, request, code, _cancellationToken);
        var firstTokens = await SandboxIdentityFlow.ReadJsonAsync(first, _cancellationToken);

        using var refreshed = await SandboxIdentityFlow.PostTokenAsync(Host, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = firstTokens.GetProperty("refresh_token").GetString()!,
        }, _cancellationToken);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var tokens = await SandboxIdentityFlow.ReadJsonAsync(refreshed, _cancellationToken);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Assert.NotEqual(firstTokens.GetProperty("access_token").GetString(), accessToken);
        var idToken = await ValidateIdTokenAsync(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("admin@billingportal.pe", idToken.GetClaim("email").Value);
        Assert.Equal(["platform-admin"], idToken.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal("admin@billingportal.pe", (await GetUserInfoAsync(accessToken)).GetProperty("email").GetString());
    }

    /// <summary>Validates an id_token as the portal's handler would: signature from the JWKS, issuer, audience, lifetime.</summary>
    private async Task<JsonWebToken> ValidateIdTokenAsync(string idToken)
    {
        using var browser = Host.CreateBrowser();
        var jwks = new JsonWebKeySet(await browser.GetStringAsync(new Uri(Host.Issuer, ".well-known/jwks"), _cancellationToken));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = Host.Issuer.AbsoluteUri,
            ValidAudience = Host.ClientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    private async Task<JsonElement> GetUserInfoAsync(string accessToken)
    {
        using var client = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.Issuer, "connect/userinfo"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(message, _cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SandboxIdentityFlow.ReadJsonAsync(response, _cancellationToken);
    }
}
