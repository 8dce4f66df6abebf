using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BillingPortal.Sandbox.MercadoPago;

namespace BillingPortal.Tests.Integration.MercadoPago.OAuth;

/// <summary><c>POST /oauth/token</c>, <c>GET /users/me</c> and the OAuth admin routes, over raw HTTP.</summary>
public sealed class SandboxTokenEndpointTests(SandboxOAuthFixture fixture) : IClassFixture<SandboxOAuthFixture>, IDisposable
{
    private const string RealInvalidGrant =
        """{"message":"Error validating grant. Your authorization code or refresh token may be expired or it was already used.","error":"invalid_grant","status":400,"cause":[]}""";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseAddress };

    private MercadoPagoSandboxServer Server => fixture.Server;

    public void Dispose() => _http.Dispose();

    private async Task<(SandboxSeller Seller, string Code, string Verifier)> ConsentAsync()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();
        var (code, verifier) = await driver.AuthorizeAsync(fixture, seller.Id, SandboxOAuthFixture.Callback, _ct);
        return (seller, code, verifier);
    }

    private Dictionary<string, string> CodeRequest(string code, string verifier) => new()
    {
        ["client_id"] = Server.Options.ClientId,
        ["client_secret"] = Server.Options.ClientSecret!,
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = SandboxOAuthFixture.Callback,
        ["code_verifier"] = verifier,
    };

    private Task<HttpResponseMessage> PostJsonAsync(object body, string path = "/oauth/token") => _http.PostAsJsonAsync(path, body, _ct);

    private async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct)).RootElement.Clone();

    private async Task<HttpResponseMessage> MeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request, _ct);
    }

    [Fact]
    public async Task Token_JsonBody_AnswersTheDocumentedShape()
    {
        var (seller, code, verifier) = await ConsentAsync();

        using var response = await PostJsonAsync(CodeRequest(code, verifier));
        var body = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.True(response.Headers.Contains("x-request-id"));
        Assert.Equal(
            ["access_token", "token_type", "expires_in", "scope", "user_id", "refresh_token", "public_key", "live_mode"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Matches($"^APP_USR-{Server.Options.ClientId}-\\d{{6}}-[0-9a-f]{{32}}-{seller.Id}$", body.GetProperty("access_token").GetString());
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(15552000, body.GetProperty("expires_in").GetInt64());
        Assert.Equal("offline_access read write", body.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("user_id").ValueKind);
        Assert.Equal(seller.Id, body.GetProperty("user_id").GetInt64());
        Assert.Matches($"^TG-[0-9a-f]{{24}}-{seller.Id}$", body.GetProperty("refresh_token").GetString());
        Assert.Equal(seller.PublicKey, body.GetProperty("public_key").GetString());
        Assert.True(body.GetProperty("live_mode").GetBoolean());
    }

    [Fact]
    public async Task Token_FormBody_IsAcceptedToo()
    {
        var (seller, code, verifier) = await ConsentAsync();

        using var response = await _http.PostAsync("/oauth/token", new FormUrlEncodedContent(CodeRequest(code, verifier)), _ct);
        var body = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(seller.Id, body.GetProperty("user_id").GetInt64());
        using var me = await MeAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Token_NumericClientIdInJson_IsRead()
    {
        var (_, code, verifier) = await ConsentAsync();
        var json = $$"""{"client_id":{{Server.Options.ClientId}},"client_secret":"{{Server.Options.ClientSecret}}","grant_type":"authorization_code","code":"{{code}}","redirect_uri":"{{SandboxOAuthFixture.Callback}}","code_verifier":"{{verifier}}"}""";

        using var response = await _http.PostAsync("/oauth/token", new StringContent(json, Encoding.UTF8, "application/json"), _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_ParametersInTheQueryString_AreNotRead()
    {
        var (_, code, verifier) = await ConsentAsync();
        var query = string.Join('&', CodeRequest(code, verifier).Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value)));

        using var response = await _http.PostAsync("/oauth/token?" + query, new StringContent("{}", Encoding.UTF8, "application/json"), _ct);
        var body = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        using var retry = await PostJsonAsync(CodeRequest(code, verifier));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task Token_UnknownCode_AnswersTheRealInvalidGrantBody()
    {
        using var response = await PostJsonAsync(CodeRequest("TG-000000000000000000000000-1", new string('a', 43)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RealInvalidGrant, await response.Content.ReadAsStringAsync(_ct));
        Assert.True(response.Headers.Contains("x-request-id"));
    }

    [Theory]
    [InlineData("grant_type", "client_credentials", "unsupported_grant_type")]
    [InlineData("grant_type", "password", "unsupported_grant_type")]
    [InlineData("grant_type", null, "invalid_request")]
    [InlineData("code", null, "invalid_request")]
    [InlineData("redirect_uri", null, "invalid_request")]
    [InlineData("client_secret", null, "invalid_request")]
    [InlineData("client_secret", "not-the-secret", "invalid_client")]
    [InlineData("client_id", "999", "invalid_client")]
    [InlineData("scope", "read", "invalid_request")]
    public async Task Token_BadRequest_AnswersTheOAuthErrorKey(string field, string? value, string error)
    {
        var (_, code, verifier) = await ConsentAsync();
        var request = CodeRequest(code, verifier);
        if (value is null) request.Remove(field);
        else request[field] = value;

        using var response = await PostJsonAsync(request);
        var body = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal(0, body.GetProperty("cause").GetArrayLength());
        using var afterwards = await PostJsonAsync(CodeRequest(code, verifier));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task Token_NotJsonNorForm_IsInvalidRequest()
    {
        using var text = await _http.PostAsync("/oauth/token", new StringContent("grant_type=refresh_token", Encoding.UTF8, "text/plain"), _ct);
        using var broken = await _http.PostAsync("/oauth/token", new StringContent("{\"grant_type\":", Encoding.UTF8, "application/json"), _ct);

        Assert.Equal("invalid_request", (await ReadAsync(text)).GetProperty("error").GetString());
        Assert.Equal("invalid_request", (await ReadAsync(broken)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_ConcurrentRedemptionsOfOneCode_OnlyOneGetsTokens()
    {
        var (seller, code, verifier) = await ConsentAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostJsonAsync(CodeRequest(code, verifier))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(1, await Server.Accounts.CountTokensAsync(seller.Id, "access", _ct));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task UsersMe_ValidToken_AnswersTheSeller()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        var tokens = await Server.Accounts.IssueTokensAsync(seller.Id, Server.Options.ClientId, Server.Options.AccessTokenLifetime, _ct);

        using var response = await MeAsync(tokens.AccessToken);
        var body = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(seller.Id, body.GetProperty("id").GetInt64());
        Assert.Equal(seller.Nickname, body.GetProperty("nickname").GetString());
        Assert.Equal(("Rosa", "Quispe"), (body.GetProperty("first_name").GetString(), body.GetProperty("last_name").GetString()));
        Assert.Equal(seller.Email, body.GetProperty("email").GetString());
        Assert.Equal(("MPE", "PE"), (body.GetProperty("site_id").GetString(), body.GetProperty("country_id").GetString()));
    }

    [Fact]
    public async Task UsersMe_ExpiredRevokedOrUnknownToken_Answers401()
    {
        var expiring = await fixture.NewSellerAsync(_ct);
        var revoking = await fixture.NewSellerAsync(_ct);
        var expired = await Server.Accounts.IssueTokensAsync(expiring.Id, Server.Options.ClientId, TimeSpan.FromMinutes(5), _ct);
        var revoked = await Server.Accounts.IssueTokensAsync(revoking.Id, Server.Options.ClientId, Server.Options.AccessTokenLifetime, _ct);
        using (var before = await MeAsync(expired.AccessToken)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Server.Clock.Advance(TimeSpan.FromMinutes(6));
        await Server.Accounts.RevokeGrantsAsync(revoking.Id, Server.Options.ClientId, _ct);

        using var expiredResponse = await MeAsync(expired.AccessToken);
        using var revokedResponse = await MeAsync(revoked.AccessToken);
        using var unknownResponse = await MeAsync("APP_USR-1-2-3-4");
        using var missing = await _http.GetAsync("/users/me", _ct);

        foreach (var response in new[] { expiredResponse, revokedResponse, unknownResponse, missing })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await ReadAsync(response);
            Assert.Equal(401, body.GetProperty("status").GetInt32());
            Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Admin_SellerUpsertTokensExpiryAndDeauthorization_WorkOverHttp()
    {
        var id = (await fixture.NewSellerAsync(_ct)).Id + 50_000_000;

        using var created = await PostJsonAsync(new Dictionary<string, object>
        {
            ["id"] = id,
            ["nickname"] = "TEATROLIMA",
            ["email"] = "caja@teatro.example.test",
            ["first_name"] = "Teatro",
            ["last_name"] = "Lima",
            ["legal_name"] = "Teatro Lima S.A.",
        }, "/_admin/sellers");
        var read = await ReadAsync(await _http.GetAsync($"/_admin/sellers/{id}", _ct));
        using var issued = await PostJsonAsync(new Dictionary<string, object> { ["seller_id"] = id }, "/_admin/oauth/tokens");
        var tokens = await ReadAsync(issued);
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        using var meBefore = await MeAsync(access);
        var expire = await ReadAsync(await _http.PostAsync($"/_admin/oauth/sellers/{id}/expire-access-tokens", null, _ct));
        using var meExpired = await MeAsync(access);
        var counts = await ReadAsync(await _http.GetAsync($"/_admin/oauth/sellers/{id}", _ct));
        var deauthorized = await ReadAsync(await _http.PostAsync($"/_admin/oauth/sellers/{id}/deauthorize", null, _ct));
        using var refreshAfter = await PostJsonAsync(new Dictionary<string, string>
        {
            ["client_id"] = Server.Options.ClientId,
            ["client_secret"] = Server.Options.ClientSecret!,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
        });
        using var unknownSeller = await PostJsonAsync(new Dictionary<string, object> { ["seller_id"] = 1 }, "/_admin/oauth/tokens");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(("TEATROLIMA", "Teatro Lima S.A.", "MPE"), (read.GetProperty("nickname").GetString(), read.GetProperty("legal_name").GetString(), read.GetProperty("site_id").GetString()));
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(id, tokens.GetProperty("user_id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, meBefore.StatusCode);
        Assert.Equal(1, expire.GetProperty("expired_access_tokens").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, meExpired.StatusCode);
        Assert.Equal((0, 1, 1), (counts.GetProperty("codes").GetInt32(), counts.GetProperty("access_tokens").GetInt32(), counts.GetProperty("refresh_tokens").GetInt32()));
        Assert.Equal(1, deauthorized.GetProperty("revoked_grants").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, refreshAfter.StatusCode);
        Assert.Equal(RealInvalidGrant, await refreshAfter.Content.ReadAsStringAsync(_ct));
        Assert.Equal(HttpStatusCode.NotFound, unknownSeller.StatusCode);
    }

    [Fact]
    public async Task Admin_Application_ShowsTheClientButNeverTheSecret()
    {
        var body = await _http.GetStringAsync("/_admin/oauth/application", _ct);
        var json = JsonDocument.Parse(body).RootElement;

        Assert.Equal(Server.Options.ClientId, json.GetProperty("client_id").GetString());
        Assert.Equal([SandboxOAuthFixture.Callback, SandboxOAuthFixture.OtherCallback], json.GetProperty("redirect_uris").EnumerateArray().Select(e => e.GetString()));
        Assert.True(json.GetProperty("require_pkce").GetBoolean());
        Assert.DoesNotContain(Server.Options.ClientSecret!, body, StringComparison.Ordinal);
    }
}
