using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.OAuth;

/// <summary>
/// The client's pipeline against the emulator when <c>/oauth/token</c> misbehaves: 429s (retried within the budget,
/// honouring Retry-After), 500s and timeouts (never retried: the code or refresh token may have been consumed), no
/// server at all. The faults come from a small middleware in front of the emulator's token endpoint (the emulator's
/// own fault injection belongs to the payments side and covers the whole group).
/// </summary>
public sealed class MercadoPagoOAuthClientResilienceTests(MercadoPagoOAuthClientResilienceTests.FaultySandboxFixture fixture)
    : IClassFixture<MercadoPagoOAuthClientResilienceTests.FaultySandboxFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private MercadoPagoSandboxServer Server => fixture.Server;

    private TokenEndpointFaults Faults => fixture.Faults;

    private async Task<SandboxIssuedTokens> IssueAsync()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        return await Server.Accounts.IssueTokensAsync(seller.Id, Server.Options.ClientId, Server.Options.AccessTokenLifetime, _ct);
    }

    private static async Task<MercadoPagoError> FailsAsync(Func<Task> call) => (await Assert.ThrowsAsync<MercadoPagoApiException>(call)).Error;

    [Fact]
    public async Task RefreshAsync_OneRateLimit_IsRetriedAndSucceeds()
    {
        var issued = await IssueAsync();
        using var services = SandboxOAuthFixture.ClientServices(fixture.Endpoints());
        Faults.Reset(new TokenEndpointFault(429, RetryAfter: TimeSpan.Zero));

        var token = await services.GetRequiredService<IMercadoPagoOAuthClient>().RefreshAsync(issued.RefreshToken, _ct);

        Assert.Equal(issued.SellerId, token.UserId);
        Assert.Equal(2, Faults.Requests);
    }

    [Fact]
    public async Task RefreshAsync_RateLimitedBeyondTheBudget_FailsAndTheTokenIsStillUsable()
    {
        var issued = await IssueAsync();
        using var services = SandboxOAuthFixture.ClientServices(fixture.Endpoints());
        var client = services.GetRequiredService<IMercadoPagoOAuthClient>();
        Faults.Reset(new TokenEndpointFault(429), new TokenEndpointFault(429), new TokenEndpointFault(429));

        var error = await FailsAsync(() => client.RefreshAsync(issued.RefreshToken, _ct));
        var requests = Faults.Requests;
        var later = await client.RefreshAsync(issued.RefreshToken, _ct);

        Assert.Equal(MercadoPagoErrorKind.RateLimited, error.Kind);
        Assert.Equal("local_rate_limited", error.ErrorKey);
        Assert.Equal(429, error.HttpStatus);
        Assert.Equal(3, requests);
        Assert.Equal(issued.SellerId, later.UserId);
    }

    [Fact]
    public async Task RefreshAsync_RetryAfterLongerThanTheMaxDelay_IsNotWaitedFor()
    {
        var issued = await IssueAsync();
        using var services = SandboxOAuthFixture.ClientServices(fixture.Endpoints());
        Faults.Reset(new TokenEndpointFault(429, RetryAfter: TimeSpan.FromSeconds(60)));

        var error = await FailsAsync(() => services.GetRequiredService<IMercadoPagoOAuthClient>().RefreshAsync(issued.RefreshToken, _ct));

        Assert.Equal(MercadoPagoErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Equal(1, Faults.Requests);
    }

    [Fact]
    public async Task RefreshAsync_ServerError_IsNotRetried()
    {
        var issued = await IssueAsync();
        using var services = SandboxOAuthFixture.ClientServices(fixture.Endpoints());
        Faults.Reset(new TokenEndpointFault(500), new TokenEndpointFault(500));

        var error = await FailsAsync(() => services.GetRequiredService<IMercadoPagoOAuthClient>().RefreshAsync(issued.RefreshToken, _ct));

        Assert.Equal(MercadoPagoErrorKind.ServerError, error.Kind);
        Assert.Equal(500, error.HttpStatus);
        Assert.Equal(1, Faults.Requests);
    }

    [Fact]
    public async Task ExchangeCodeAsync_NoAnswerWithinTheAttemptTimeout_IsTimeoutAndNotRetried()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();
        var (code, verifier) = await driver.AuthorizeAsync(fixture, seller.Id, SandboxOAuthFixture.Callback, _ct);
        using var services = SandboxOAuthFixture.ClientServices(fixture.Endpoints(), settings: new Dictionary<string, string?>
        {
            ["MercadoPago:Client:AttemptTimeout"] = "00:00:00.300",
        });
        Faults.Reset(new TokenEndpointFault(0, Delay: TimeSpan.FromSeconds(30)));

        var error = await FailsAsync(() => services.GetRequiredService<IMercadoPagoOAuthClient>().ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct));

        Assert.Equal(MercadoPagoErrorKind.Timeout, error.Kind);
        Assert.Null(error.HttpStatus);
        Assert.Equal(1, Faults.Requests);
    }

    [Fact]
    public async Task RefreshAsync_NothingListening_IsNetwork()
    {
        var issued = await IssueAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var services = SandboxOAuthFixture.ClientServices(fixture.Endpoints(apiBase: new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/")));

        var error = await FailsAsync(() => services.GetRequiredService<IMercadoPagoOAuthClient>().RefreshAsync(issued.RefreshToken, _ct));

        Assert.Equal(MercadoPagoErrorKind.Network, error.Kind);
    }

    [Fact]
    public async Task ExchangeCodeAsync_SendsJsonInTheBodyOnlyWithAcceptJson()
    {
        var seller = await fixture.NewSellerAsync(_ct);
        using var driver = new SandboxConsentDriver();
        var (code, verifier) = await driver.AuthorizeAsync(fixture, seller.Id, SandboxOAuthFixture.Callback, _ct);
        using var services = SandboxOAuthFixture.ClientServices(fixture.Endpoints());
        Faults.Reset();

        await services.GetRequiredService<IMercadoPagoOAuthClient>().ExchangeCodeAsync(code, SandboxOAuthFixture.Callback, verifier, _ct);
        var request = Assert.Single(Faults.Seen);

        Assert.Equal("POST /oauth/token", request.Target);
        Assert.Equal("", request.QueryString);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("application/json", request.Accept);
        Assert.Equal(
            ["client_id", "client_secret", "grant_type", "code", "redirect_uri", "code_verifier"],
            request.Fields.Select(f => f.Key));
        Assert.Equal(
            [Server.Options.ClientId, Server.Options.ClientSecret!, "authorization_code", code, SandboxOAuthFixture.Callback, verifier],
            request.Fields.Select(f => f.Value));
    }

    /// <summary>The emulator with <see cref="TokenEndpointFaults"/> in front of <c>/oauth/token</c>.</summary>
    public sealed class FaultySandboxFixture : SandboxOAuthFixture
    {
        public TokenEndpointFaults Faults { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton(Faults);
            services.AddSingleton<IStartupFilter>(new FaultsStartupFilter(Faults));
        }
    }

    private sealed class FaultsStartupFilter(TokenEndpointFaults faults) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (!await faults.TryAnswerAsync(context)) await nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>What the token endpoint answers instead of the emulator: a status (with Retry-After), or silence for a while.</summary>
public sealed record TokenEndpointFault(int Status, TimeSpan? RetryAfter = null, TimeSpan? Delay = null);

/// <summary>A request that reached <c>/oauth/token</c>, as seen on the wire.</summary>
public sealed record SeenTokenRequest(string Target, string QueryString, string? ContentType, string Accept, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>Planned faults for <c>/oauth/token</c> and the requests that reached it.</summary>
public sealed class TokenEndpointFaults
{
    private readonly ConcurrentQueue<TokenEndpointFault> _planned = new();
    private readonly ConcurrentQueue<SeenTokenRequest> _seen = new();

    public int Requests => _seen.Count;

    public IReadOnlyCollection<SeenTokenRequest> Seen => _seen;

    public void Reset(params TokenEndpointFault[] faults)
    {
        _planned.Clear();
        _seen.Clear();
        foreach (var fault in faults) _planned.Enqueue(fault);
    }

    public async Task<bool> TryAnswerAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals("/oauth/token", StringComparison.OrdinalIgnoreCase)) return false;
        context.Request.EnableBuffering();
        var fields = new List<KeyValuePair<string, string>>();
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            fields.AddRange(document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ToString())));
            context.Request.Body.Position = 0;
        }

        _seen.Enqueue(new SeenTokenRequest(
            $"{context.Request.Method} {context.Request.Path}", context.Request.QueryString.Value ?? "", context.Request.ContentType, context.Request.Headers.Accept.ToString(), fields));
        if (!_planned.TryDequeue(out var fault)) return false;
        if (fault.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }

            return true;
        }

        context.Response.StatusCode = fault.Status;
        context.Response.Headers["x-request-id"] = Guid.NewGuid().ToString();
        if (fault.RetryAfter is { } after) context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var error = fault.Status == 429 ? "local_rate_limited" : "internal_server_error";
        await context.Response.WriteAsJsonAsync(new { message = "try again", error, status = fault.Status, cause = Array.Empty<object>() }, context.RequestAborted);
        return true;
    }
}
