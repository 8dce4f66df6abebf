using System.Globalization;
using System.Net;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.WebUtilities;

namespace BillingPortal.Tests.Integration.MercadoPago.OAuth;

public sealed class SandboxConsentPageTests(SandboxOAuthFixture fixture) : IClassFixture<SandboxOAuthFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private MercadoPagoSandboxServer Server => fixture.Server;

    private Dictionary<string, string?> ValidParameters(string? state = "estado-123") =>
        SandboxConsentDriver.Parameters(Server.Options.ClientId, SandboxOAuthFixture.Callback, state, Pkce.ChallengeS256(Pkce.CreateVerifier()));

    private Uri Url(Dictionary<string, string?> parameters) => SandboxConsentDriver.ConsentUrl(Server.AuthorizationEndpoint, parameters);

    [Fact]
    public async Task Authorization_ValidRequest_ShowsSellersAndTheFormWithStableHooks()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();
        var parameters = ValidParameters();

        using var response = await driver.GetAsync(Url(parameters), _ct);
        var html = await response.Content.ReadAsStringAsync(_ct);
        var form = SandboxConsentDriver.ConsentForm.Parse(Server.BaseAddress, html);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("data-testid=\"mp-consent-form\"", html, StringComparison.Ordinal);
        Assert.Contains("<select id=\"seller_id\" name=\"seller_id\" data-testid=\"mp-consent-seller\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"decision\" value=\"allow\" data-testid=\"mp-consent-allow\">Permitir</button>", html, StringComparison.Ordinal);
        Assert.Contains("name=\"decision\" value=\"deny\" formnovalidate data-testid=\"mp-consent-deny\">Denegar</button>", html, StringComparison.Ordinal);
        Assert.Contains($"Producciones Andinas {seller.Id} S.A.C. — @PRODUCTORA{seller.Id} (ID {seller.Id})", html, StringComparison.Ordinal);
        Assert.Contains(seller.Id, form.SellerIds);
        Assert.Equal(new Uri(Server.BaseAddress, "/authorization"), form.Action);
        foreach (var (name, value) in parameters) Assert.Equal(value, form.Field(name));
        Assert.False(string.IsNullOrEmpty(form.Field("csrf_token")));
    }

    [Fact]
    public async Task Stylesheet_IsServedBesideThePage()
    {
        using var http = new HttpClient();
        using var page = await http.GetAsync(Url(ValidParameters()), _ct);
        var html = await page.Content.ReadAsStringAsync(_ct);

        using var css = await http.GetAsync(new Uri(Server.BaseAddress, "/_static/consent.css"), _ct);

        Assert.Contains("<link rel=\"stylesheet\" href=\"/_static/consent.css\">", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("button.principal", await css.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorization_UnknownClientId_Answers400PageAndNeverRedirects()
    {
        var parameters = ValidParameters();
        parameters["client_id"] = "1234567890";
        using var driver = new SandboxConsentDriver();

        using var response = await driver.GetAsync(Url(parameters), _ct);
        var html = await response.Content.ReadAsStringAsync(_ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("data-testid=\"mp-consent-error\">La aplicación indicada en client_id no existe.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("response_type", "token", "response_type debe ser «code».")]
    [InlineData("platform_id", "ml", "platform_id debe ser «mp».")]
    [InlineData("redirect_uri", "https://evil.example.test/mercadopago/callback", "redirect_uri no coincide")]
    [InlineData("redirect_uri", "https://portal.example.test/mercadopago/callback/", "redirect_uri no coincide")]
    [InlineData("code_challenge", null, "La aplicación exige PKCE")]
    [InlineData("code_challenge_method", "plain", "code_challenge_method debe ser S256.")]
    [InlineData("code_challenge_method", "S512", "code_challenge_method no es válido")]
    [InlineData("code_challenge", "corto", "no es un desafío S256 válido")]
    public async Task Authorization_InvalidParameter_Answers400Page(string name, string? value, string message)
    {
        var parameters = ValidParameters();
        parameters[name] = value;
        if (name == "code_challenge" && value is null) parameters["code_challenge_method"] = null;
        using var driver = new SandboxConsentDriver();

        using var response = await driver.GetAsync(Url(parameters), _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_RedirectsToTheCallbackWithACodeAndTheState()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();
        const string state = "a b&c=d/é";

        var location = await driver.AllowAsync(Url(ValidParameters(state)), seller.Id, _ct);
        var query = QueryHelpers.ParseQuery(location.Query);

        Assert.Equal(SandboxOAuthFixture.Callback, location.GetLeftPart(UriPartial.Path));
        Assert.Matches($"^TG-[0-9a-f]{{24}}-{seller.Id}$", query["code"].ToString());
        Assert.Equal(state, query["state"].ToString());
        Assert.Equal(["code", "state"], query.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, await Server.Accounts.CountTokensAsync(seller.Id, "code", _ct));
    }

    [Fact]
    public async Task Deny_RedirectsWithAccessDeniedAndTheStateButNoCode()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();
        var form = await driver.OpenAsync(Url(ValidParameters("estado-deny")), _ct);

        var location = await driver.DecideAsync(form, "deny", null, _ct);
        var query = QueryHelpers.ParseQuery(location.Query);

        Assert.Equal(SandboxOAuthFixture.Callback, location.GetLeftPart(UriPartial.Path));
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.Equal(SandboxOAuthEndpoints.AccessDeniedDescription, query["error_description"].ToString());
        Assert.Equal("estado-deny", query["state"].ToString());
        Assert.False(query.ContainsKey("code"));
        Assert.Equal(0, await Server.Accounts.CountTokensAsync(seller.Id, "code", _ct));
    }

    [Fact]
    public async Task Allow_WithoutState_RedirectsWithOnlyTheCode()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();

        var location = await driver.AllowAsync(Url(ValidParameters(state: null)), seller.Id, _ct);

        Assert.Equal(["code"], QueryHelpers.ParseQuery(location.Query).Keys);
    }

    [Fact]
    public async Task Post_AlteredParameter_IsRefusedByTheCsrfToken()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();
        var form = await driver.OpenAsync(Url(ValidParameters("original")), _ct);

        using var altered = await driver.PostAsync(form.With("state", "forged"), "allow", seller.Id, _ct);
        using var noToken = await driver.PostAsync(form.With("csrf_token", "1." + new string('A', 43)), "allow", seller.Id, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, altered.StatusCode);
        Assert.Null(altered.Headers.Location);
        Assert.Contains("La página de autorización caducó", await altered.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(0, await Server.Accounts.CountTokensAsync(seller.Id, "code", _ct));
    }

    [Fact]
    public async Task Post_FromAnotherBrowser_IsRefused()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var victim = new SandboxConsentDriver();
        using var attacker = new SandboxConsentDriver();
        var form = await attacker.OpenAsync(Url(ValidParameters()), _ct);

        using var response = await victim.PostAsync(form, "allow", seller.Id, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await Server.Accounts.CountTokensAsync(seller.Id, "code", _ct));
    }

    [Fact]
    public async Task Allow_UnknownSeller_ShowsThePageAgainWithAnError()
    {
        using var driver = new SandboxConsentDriver();
        var form = await driver.OpenAsync(Url(ValidParameters()), _ct);

        using var response = await driver.PostAsync(form, "allow", 42, _ct);
        var html = await response.Content.ReadAsStringAsync(_ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Elige una de las cuentas de Mercado Pago de la lista.", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"mp-consent-allow\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorization_NoRegisteredUrls_AcceptsOnlyTheEmulatorsOwnOrigin()
    {
        var directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "mp-oauth-" + Guid.NewGuid().ToString("N"));
        await using var mp = await MercadoPagoSandboxServer.StartAsync(directory, o => o.RedirectUris = [], cancellationToken: _ct);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Uri For(string redirect) => SandboxConsentDriver.ConsentUrl(mp.AuthorizationEndpoint,
            SandboxConsentDriver.Parameters(mp.Options.ClientId, redirect, "s", Pkce.ChallengeS256(Pkce.CreateVerifier())));

        using var own = await http.GetAsync(For(new Uri(mp.BaseAddress, "/callback?x=1").AbsoluteUri), _ct);
        using var otherPort = await http.GetAsync(For($"http://127.0.0.1:{(mp.BaseAddress.Port == 1 ? 2 : 1).ToString(CultureInfo.InvariantCulture)}/callback"), _ct);
        using var relative = await http.GetAsync(For("/callback"), _ct);
        using var fragment = await http.GetAsync(For(new Uri(mp.BaseAddress, "/callback#f").AbsoluteUri), _ct);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherPort.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, relative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, fragment.StatusCode);
    }
}
