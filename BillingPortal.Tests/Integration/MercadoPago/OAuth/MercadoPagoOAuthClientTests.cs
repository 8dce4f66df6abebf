using System.Net;
using System.Net.Http.Headers;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.OAuth;

/// <summary>Our <see cref="MercadoPagoOAuthClient"/>, wired by <c>AddMercadoPago</c>, against the emulator over HTTP.</summary>
public sealed class MercadoPagoOAuthClientTests : IClassFixture<SandboxOAuthFixture>, IDisposable
{
    private const string InvalidGrantMessage = "Error validating grant. Your authorization code or refresh token may be expired or it was already used.";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly SandboxOAuthFixture _fixture;
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ServiceProvider _services;
    private readonly SandboxConsentDriver _driver = new();

    public MercadoPagoOAuthClientTests(SandboxOAuthFixture fixture)
    {
        _fixture = fixture;
        _services = SandboxOAuthFixture.ClientServices(fixture.Endpoints(), _logs);
    }

    private MercadoPagoSandboxServer Server => _fixture.Server;

    private IMercadoPagoOAuthClient Client => _services.GetRequiredService<IMercadoPagoOAuthClient>();

    public void Dispose()
    {
        _driver.Dispose();
        _services.Dispose();
        _logs.Dispose();
    }

    private async Task<(SandboxSeller Seller, string Code, string Verifier)> ConsentAsync(string redirectUri = SandboxOAuthFixture.Callback)
    {
        var seller = await _fixture.NewSellerAsync(_ct);
        var (code, verifier) = await _driver.AuthorizeAsync(_fixture, seller.Id, redirectUri, _ct);
        return (seller, code, verifier);
    }

    private static async Task<MercadoPagoError> FailsAsync(Func<Task> call) => (await Assert.ThrowsAsync<MercadoPagoApiException>(call)).Error;

    private async Task<HttpStatusCode> MeStatusAsync(string accessToken)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseAddress, "users/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, _ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task ExchangeCodeAsync_AfterConsentThroughOurUrl_ReturnsTheChosenSellersTokens()
    {
        var seller = await _fixture.NewSellerAsync(_ct);
        var verifier = Pkce.CreateVerifier();
        var state = "organizer-7:" + Guid.NewGuid().ToString("N");

        var consentUrl = Client.BuildAuthorizationUrl(state, Pkce.ChallengeS256(verifier), SandboxOAuthFixture.Callback);
        var callback = await _driver.AllowAsync(consentUrl, seller.Id, _ct);
        var query = QueryHelpers.ParseQuery(callback.Query);
        var token = await Client.ExchangeCodeAsync(query["code"].ToString(), SandboxOAuthFixture.Callback, verifier, _ct);

        Assert.Equal(state, query["state"].ToString());
        Assert.Equal(seller.Id, token.UserId);
        Assert.Equal("bearer", token.TokenType);
        Assert.Equal(15552000, token.ExpiresIn);
        Assert.Equal("offline_access read write", token.Scope);
        Assert.Equal(seller.PublicKey, token.PublicKey);
        Assert.True(token.LiveMode);
        Assert.StartsWith("TG-", token.RefreshToken, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(token.AccessToken!));
        Assert.DoesNotContain(token.AccessToken!, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BuildAuthorizationUrl_EscapesEveryParameterOnTheConsentEndpoint()
    {
        const string state = "a+b c&d=e/é?";
        const string redirect = "https://portal.example.test/mercadopago/callback?x=1&y=2";
        var challenge = Pkce.ChallengeS256(Pkce.CreateVerifier());

        var url = Client.BuildAuthorizationUrl(state, challenge, redirect);
        var query = QueryHelpers.ParseQuery(url.Query);

        Assert.Equal(Server.AuthorizationEndpoint.AbsoluteUri, url.GetLeftPart(UriPartial.Path));
        Assert.Equal(
            ["client_id", "response_type", "platform_id", "state", "redirect_uri", "code_challenge", "code_challenge_method"],
            query.Keys);
        Assert.Equal(Server.Options.ClientId, query["client_id"].ToString());
        Assert.Equal(("code", "mp", "S256"), (query["response_type"].ToString(), query["platform_id"].ToString(), query["code_challenge_method"].ToString()));
        Assert.Equal(state, query["state"].ToString());
        Assert.Equal(redirect, query["redirect_uri"].ToString());
        Assert.Equal(challenge, query["code_challenge"].ToString());
        Assert.DoesNotContain("+", url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeCodeAsync_CodeUsedTwice_SecondIsInvalidGrantWithTheRealMessage()
    {
        var (_, code, verifier) = await ConsentAsync();
        await Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct);

        var error = await FailsAsync(() => Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct));

        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, error.Kind);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("invalid_grant", error.ErrorKey);
        Assert.Equal(InvalidGrantMessage, error.Message);
        Assert.Empty(error.Causes);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task ExchangeCodeAsync_AfterTenMinutes_IsInvalidGrant()
    {
        var (_, fresh, freshVerifier) = await ConsentAsync();
        var (_, stale, staleVerifier) = await ConsentAsync();
        Server.Clock.Advance(TimeSpan.FromMinutes(9));
        await Client.ExchangeCodeAsync(fresh, SandboxOAuthFixture.Callback, freshVerifier, _ct);
        Server.Clock.Advance(TimeSpan.FromMinutes(2));

        var error = await FailsAsync(() => Client.ExchangeCodeAsync(stale, SandboxOAuthFixture.Callback, staleVerifier, _ct));

        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, error.Kind);
    }

    [Fact]
    public async Task ExchangeCodeAsync_OtherRegisteredRedirectUri_IsInvalidGrant()
    {
        var (_, code, verifier) = await ConsentAsync(SandboxOAuthFixture.Callback);

        var error = await FailsAsync(() => Client.ExchangeCodeAsync(code, SandboxOAuthFixture.OtherCallback, verifier, _ct));

        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, error.Kind);
        await Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct);
    }

    [Fact]
    public async Task ExchangeCodeAsync_WrongVerifier_IsInvalidGrant()
    {
        var (seller, code, _) = await ConsentAsync();

        var error = await FailsAsync(() => Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, Pkce.CreateVerifier(), _ct));

        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, error.Kind);
        Assert.Equal(0, await Server.Accounts.CountTokensAsync(seller.Id, "access", _ct));
    }

    [Fact]
    public async Task ExchangeCodeAsync_WrongClientSecret_IsInvalidClient()
    {
        var (_, code, verifier) = await ConsentAsync();
        using var services = SandboxOAuthFixture.ClientServices(_fixture.Endpoints(clientSecret: "not-the-secret"));
        var client = services.GetRequiredService<IMercadoPagoOAuthClient>();

        var error = await FailsAsync(() => client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct));

        Assert.Equal(MercadoPagoErrorKind.InvalidClient, error.Kind);
        Assert.Equal("invalid_client", error.ErrorKey);
        await Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct);
    }

    [Fact]
    public async Task RefreshAsync_RotatesAndTheOldRefreshTokenThenFails()
    {
        var (seller, code, verifier) = await ConsentAsync();
        var first = await Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct);

        var second = await Client.RefreshAsync(first.RefreshToken!, _ct);
        var replay = await FailsAsync(() => Client.RefreshAsync(first.RefreshToken!, _ct));
        var third = await Client.RefreshAsync(second.RefreshToken!, _ct);
        var codeAgain = await FailsAsync(() => Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct));

        Assert.Equal(seller.Id, second.UserId);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, replay.Kind);
        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, codeAgain.Kind);
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(first.AccessToken!));
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(third.AccessToken!));
    }

    [Fact]
    public async Task RefreshAsync_TwoConcurrentWithTheSameToken_ExactlyOneSucceeds()
    {
        var seller = await _fixture.NewSellerAsync(_ct);
        var issued = await Server.Accounts.IssueTokensAsync(seller.Id, Server.Options.ClientId, Server.Options.AccessTokenLifetime, _ct);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            try
            {
                return (Token: await Client.RefreshAsync(issued.RefreshToken, _ct), Error: (MercadoPagoError?)null);
            }
            catch (MercadoPagoApiException ex)
            {
                return (Token: (MpOAuthToken?)null, Error: ex.Error);
            }
        }));

        Assert.Single(attempts, a => a.Token is not null);
        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, Assert.Single(attempts, a => a.Error is not null).Error!.Kind);
        Assert.Equal(2, await Server.Accounts.CountTokensAsync(seller.Id, "refresh", _ct));
    }

    [Fact]
    public async Task RefreshAsync_AfterDeauthorization_IsInvalidGrant()
    {
        var seller = await _fixture.NewSellerAsync(_ct);
        var issued = await Server.Accounts.IssueTokensAsync(seller.Id, Server.Options.ClientId, Server.Options.AccessTokenLifetime, _ct);
        await Server.Accounts.RevokeGrantsAsync(seller.Id, Server.Options.ClientId, _ct);

        var error = await FailsAsync(() => Client.RefreshAsync(issued.RefreshToken, _ct));

        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, error.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(issued.AccessToken));
    }

    [Fact]
    public async Task Logs_CarryTheRequestIdButNeverATokenCodeVerifierOrSecret()
    {
        var (_, code, verifier) = await ConsentAsync();
        var token = await Client.ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct);
        var refreshed = await Client.RefreshAsync(token.RefreshToken!, _ct);
        var failure = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Client.RefreshAsync(token.RefreshToken!, _ct));

        var logs = string.Join('\n', _logs.Lines);

        Assert.Contains("authorization_code: HTTP 200", logs, StringComparison.Ordinal);
        Assert.Contains($"refresh_token failed: InvalidGrant (HTTP 400, error invalid_grant, request {failure.Error.RequestId})", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { code, verifier, token.AccessToken!, token.RefreshToken!, refreshed.AccessToken!, refreshed.RefreshToken!, Server.Options.ClientSecret! })
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token.RefreshToken!, failure.Message, StringComparison.Ordinal);
    }
}
