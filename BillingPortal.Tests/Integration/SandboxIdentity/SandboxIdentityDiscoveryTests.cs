using System.Net;
using System.Text.Json;

namespace BillingPortal.Tests.Integration.SandboxIdentity;

public sealed class SandboxIdentityDiscoveryTests(SandboxIdentityHostFixture fixture) : IClassFixture<SandboxIdentityHostFixture>
{
    private readonly CancellationToken _cancellationToken = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discovery_UnderPrefix_ListsEndpointsUnderIssuer()
    {
        var host = fixture.Host;
        using var browser = host.CreateBrowser();

        using var response = await browser.GetAsync(new Uri(host.Issuer, ".well-known/openid-configuration"), _cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await SandboxIdentityFlow.ReadJsonAsync(response, _cancellationToken);
        var issuer = host.Issuer.AbsoluteUri;
        Assert.EndsWith("/sandbox/oidc/", issuer, StringComparison.Ordinal);
        Assert.Equal(issuer, document.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "connect/authorize", document.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(issuer + "connect/token", document.GetProperty("token_endpoint").GetString());
        Assert.Equal(issuer + "connect/userinfo", document.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(issuer + "connect/endsession", document.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(issuer + ".well-known/jwks", document.GetProperty("jwks_uri").GetString());
        Assert.Equal(["S256"], Strings(document, "code_challenge_methods_supported"));
        Assert.Equal(["code"], Strings(document, "response_types_supported"));
        Assert.Superset(new HashSet<string> { "authorization_code", "refresh_token" }, Strings(document, "grant_types_supported").ToHashSet());
        Assert.Superset(new HashSet<string> { "openid", "profile", "email", "roles", "offline_access" }, Strings(document, "scopes_supported").ToHashSet());
        Assert.Superset(new HashSet<string> { "sub", "name", "email", "email_verified", "role" }, Strings(document, "claims_supported").ToHashSet());
    }

    [Fact]
    public async Task Jwks_UnderPrefix_PublishesAnRsaSigningKey()
    {
        var host = fixture.Host;
        using var browser = host.CreateBrowser();

        using var response = await browser.GetAsync(new Uri(host.Issuer, ".well-known/jwks"), _cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = (await SandboxIdentityFlow.ReadJsonAsync(response, _cancellationToken)).GetProperty("keys").EnumerateArray().ToList();
        var key = Assert.Single(keys, k => k.GetProperty("use").GetString() == "sig");
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private exponent is never published");
    }

    [Theory]
    [InlineData(".well-known/openid-configuration")]
    [InlineData(".well-known/jwks")]
    [InlineData("connect/token")]
    public async Task Endpoint_OutsidePrefix_IsNotServed(string path)
    {
        using var browser = fixture.Host.CreateBrowser();

        using var response = await browser.GetAsync(new Uri(fixture.Host.BaseAddress, path), _cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string[] Strings(JsonElement document, string property) =>
        [.. document.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
}
