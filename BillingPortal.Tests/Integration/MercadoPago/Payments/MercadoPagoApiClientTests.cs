using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.Payments;

/// <summary>Our typed client and its resilience pipeline against the emulator over HTTP, with injected faults.</summary>
public sealed class MercadoPagoApiClientTests : IAsyncLifetime
{
    private SandboxPaymentsKit _mp = null!;
    private MpPayment _sale = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _mp = await SandboxPaymentsKit.StartAsync(null, Ct);
        _sale = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 150m, TimeSpan.FromDays(3), Ct, "ord_c");
    }

    public async ValueTask DisposeAsync() => await _mp.DisposeAsync();

    [Fact]
    public async Task GetPaymentAsync_Exists_ReadsIt()
    {
        await using var services = _mp.Client(_ => { });

        var payment = await Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct);

        Assert.NotNull(payment);
        Assert.Equal(_sale.Id, payment.Id);
        Assert.Equal("ord_c", payment.ExternalReference);
        Assert.Equal(2, payment.FeeDetails!.Count);
    }

    [Fact]
    public async Task GetPaymentAsync_MissingOrAnotherSellers_Null()
    {
        await using var services = _mp.Client(_ => { });

        Assert.Null(await Api(services).GetPaymentAsync(_mp.TokenA, 42, Ct));
        Assert.Null(await Api(services).GetPaymentAsync(_mp.TokenB, _sale.Id, Ct));
    }

    [Fact]
    public async Task SearchPaymentsAsync_Now30Days_ReadsTheEnvelope()
    {
        await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 90m, TimeSpan.FromDays(45), Ct);
        await using var services = _mp.Client(_ => { });

        var page = await Api(services).SearchPaymentsAsync(_mp.TokenA, new MpPaymentSearch { BeginDate = "NOW-30DAYS", EndDate = "NOW", Sort = "date_created", Criteria = "desc", Limit = 10 }, Ct);

        Assert.Equal(1, page.Paging.Total);
        Assert.Equal(10, page.Paging.Limit);
        Assert.Equal(_sale.Id, Assert.Single(page.Results).Id);
    }

    [Fact]
    public async Task SearchPaymentsAsync_RangeOverAYear_BadRequestWithCause9062()
    {
        await using var services = _mp.Client(_ => { });

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).SearchPaymentsAsync(_mp.TokenA,
            new MpPaymentSearch { BeginDate = MpPaymentSearch.FormatDate(_mp.Server.Clock.GetUtcNow().AddDays(-400)), EndDate = "NOW" }, Ct));

        Assert.Equal(MercadoPagoErrorKind.BadRequest, error.Error.Kind);
        Assert.True(error.Error.HasCause("9062"));
        Assert.NotNull(error.Error.RequestId);
        Assert.Contains("365 días", MercadoPagoErrorMessages.Spanish(error.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRefundAsync_SameKeyTwice_OneRefund()
    {
        await using var services = _mp.Client(_ => { });
        var key = Guid.NewGuid().ToString();

        var first = await Api(services).CreateRefundAsync(_mp.TokenA, _sale.Id, 30m, key, Ct);
        var again = await Api(services).CreateRefundAsync(_mp.TokenA, _sale.Id, 30m, key, Ct);
        var full = await Api(services).CreateRefundAsync(_mp.TokenA, _sale.Id, null, Guid.NewGuid().ToString(), Ct);
        var refunds = await Api(services).ListRefundsAsync(_mp.TokenA, _sale.Id, Ct);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(30m, first.Amount);
        Assert.Equal(120m, full.Amount);
        Assert.Equal("collector", first.Source!.Type);
        Assert.Equal([first.Id, full.Id], refunds.Select(r => r.Id));
    }

    [Fact]
    public async Task CreateRefundAsync_OverTheRemainder_BadRequest2063()
    {
        await using var services = _mp.Client(_ => { });

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).CreateRefundAsync(_mp.TokenA, _sale.Id, 151m, Guid.NewGuid().ToString(), Ct));

        Assert.Equal(MercadoPagoErrorKind.BadRequest, error.Error.Kind);
        Assert.Equal("2063", error.Error.CauseCode);
    }

    [Fact]
    public async Task Client_429sWithRetryAfterWithinBudget_Succeeds()
    {
        var fault = await _mp.FaultAsync(new { kind = "rate_limit", count = 3, retry_after_seconds = 0, path = "/v1/payments" }, Ct);
        await using var services = _mp.Client(o => o.MaxRetries = 3);

        var payment = await Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct);

        Assert.Equal(_sale.Id, payment!.Id);
        Assert.Equal(3, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_429sBeyondBudget_RateLimited()
    {
        var fault = await _mp.FaultAsync(new { kind = "rate_limit", count = 10, retry_after_seconds = 0, path = "/v1/payments" }, Ct);
        await using var services = _mp.Client(o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));

        Assert.Equal(MercadoPagoErrorKind.RateLimited, error.Error.Kind);
        Assert.Equal(429, error.Error.HttpStatus);
        Assert.Equal(TimeSpan.Zero, error.Error.RetryAfter);
        Assert.Equal(3, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_RetryAfterLongerThanTheMaxDelay_NotWaitedAndReturnedToTheCaller()
    {
        var fault = await _mp.FaultAsync(new { kind = "rate_limit", count = 1, retry_after_seconds = 30, path = "/v1/payments" }, Ct);
        await using var services = _mp.Client(o => o.MaxRetries = 3);

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));

        Assert.Equal(MercadoPagoErrorKind.RateLimited, error.Error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), error.Error.RetryAfter);
        Assert.Equal(1, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
        Assert.Contains("30 segundos", MercadoPagoErrorMessages.Spanish(error.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_500sWithinBudget_Succeeds()
    {
        var fault = await _mp.FaultAsync(new { kind = "server_error", count = 2 }, Ct);
        await using var services = _mp.Client(o => o.MaxRetries = 2);

        var page = await Api(services).SearchPaymentsAsync(_mp.TokenA, new MpPaymentSearch(), Ct);

        Assert.Equal(1, page.Paging.Total);
        Assert.Equal(0, (await _mp.FaultStateAsync(fault, Ct))["remaining"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_500sBeyondBudget_ServerError()
    {
        var fault = await _mp.FaultAsync(new { kind = "server_error", count = 5 }, Ct);
        await using var services = _mp.Client(o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).SearchPaymentsAsync(_mp.TokenA, new MpPaymentSearch(), Ct));

        Assert.Equal(MercadoPagoErrorKind.ServerError, error.Error.Kind);
        Assert.Equal(500, error.Error.HttpStatus);
        Assert.Equal(3, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_AttemptTimeoutWithinBudget_SucceedsOnTheNextTry()
    {
        var fault = await _mp.FaultAsync(new { kind = "timeout", count = 1, hold_ms = 20_000 }, Ct);
        await using var services = _mp.Client(o =>
        {
            o.MaxRetries = 2;
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
        });

        var payment = await Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct);

        Assert.Equal(_sale.Id, payment!.Id);
        Assert.Equal(1, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_TimeoutsBeyondBudget_Timeout()
    {
        await _mp.FaultAsync(new { kind = "timeout", count = 3, hold_ms = 20_000 }, Ct);
        await using var services = _mp.Client(o =>
        {
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        });

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));

        Assert.Equal(MercadoPagoErrorKind.Timeout, error.Error.Kind);
        Assert.Null(error.Error.HttpStatus);
    }

    [Fact]
    public async Task Client_TotalTimeout_Timeout()
    {
        await _mp.FaultAsync(new { kind = "timeout", count = 1, hold_ms = 20_000 }, Ct);
        await using var services = _mp.Client(o =>
        {
            o.MaxRetries = 3;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromMilliseconds(300);
        });

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));

        Assert.Equal(MercadoPagoErrorKind.Timeout, error.Error.Kind);
    }

    [Fact]
    public async Task Pipeline_PostWithoutIdempotencyKey_IsNotRetried()
    {
        var fault = await _mp.FaultAsync(new { kind = "server_error", count = 2, path = "/refunds" }, Ct);
        await using var services = _mp.Client(o => o.MaxRetries = 3);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(MercadoPagoApiClient.HttpClientName);
        using var keyless = new HttpRequestMessage(HttpMethod.Post, new Uri(_mp.Server.BaseAddress, $"v1/payments/{_sale.Id}/refunds")) { Content = new StringContent("{}") };
        keyless.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _mp.TokenA);

        using var response = await http.SendAsync(keyless, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
        using var keyed = new HttpRequestMessage(HttpMethod.Post, new Uri(_mp.Server.BaseAddress, $"v1/payments/{_sale.Id}/refunds")) { Content = new StringContent("{}") };
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _mp.TokenA);
        keyed.Headers.Add(MercadoPagoApiClient.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        using var retried = await http.SendAsync(keyed, Ct);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(2, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_RepeatedFailures_OpenTheCircuitAndStopCallingMercadoPago()
    {
        var fault = await _mp.FaultAsync(new { kind = "server_error", rate = 1.0 }, Ct);
        await using var services = _mp.Client(o =>
        {
            o.MaxRetries = 0;
            o.CircuitBreakerMinimumThroughput = 2;
            o.CircuitBreakerFailureRatio = 0.5;
            o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30);
        });

        var first = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));
        var second = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));
        var third = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));

        Assert.Equal(MercadoPagoErrorKind.ServerError, first.Error.Kind);
        Assert.Equal(MercadoPagoErrorKind.ServerError, second.Error.Kind);
        Assert.Equal(MercadoPagoErrorKind.CircuitOpen, third.Error.Kind);
        Assert.Equal(2, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Client_ExpiredOrRevokedToken_Unauthorized()
    {
        await using var services = _mp.Client(_ => { });
        await _mp.Server.Accounts.ExpireAccessTokensAsync(SandboxPaymentsKit.SellerA, Ct);
        await _mp.Server.Accounts.RevokeGrantsAsync(SandboxPaymentsKit.SellerB, _mp.Server.Options.ClientId, Ct);

        var expired = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));
        var revoked = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).SearchPaymentsAsync(_mp.TokenB, new MpPaymentSearch(), Ct));

        Assert.Equal(MercadoPagoErrorKind.Unauthorized, expired.Error.Kind);
        Assert.Equal(MercadoPagoErrorKind.Unauthorized, revoked.Error.Kind);
        Assert.Equal(401, revoked.Error.HttpStatus);
    }

    [Theory]
    [InlineData("revoked_token")]
    [InlineData("expired_token")]
    public async Task Client_TokenFault_UnauthorizedAndNotRetried(string kind)
    {
        var fault = await _mp.FaultAsync(new { kind, count = 1 }, Ct);
        await using var services = _mp.Client(o => o.MaxRetries = 3);

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));

        Assert.Equal(MercadoPagoErrorKind.Unauthorized, error.Error.Kind);
        Assert.Equal(1, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
        Assert.NotNull(await Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct));
    }

    [Fact]
    public async Task Client_NothingListening_Network()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var services = SandboxPaymentsKit.ClientFor(new Uri($"http://127.0.0.1:{port}/"), o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => Api(services).GetPaymentAsync(_mp.TokenA, 1, Ct));

        Assert.Equal(MercadoPagoErrorKind.Network, error.Error.Kind);
    }

    [Fact]
    public async Task Client_Logs_EachAttemptWithTemplateStatusAndRequestIdButNeverTheToken()
    {
        await _mp.FaultAsync(new { kind = "server_error", count = 1 }, Ct);
        var logs = new ConcurrentQueue<string>();
        await using var services = _mp.Client(o => o.MaxRetries = 2, logs);

        await Api(services).GetPaymentAsync(_mp.TokenA, _sale.Id, Ct);
        await Api(services).CreateRefundAsync(_mp.TokenA, _sale.Id, 1m, Guid.NewGuid().ToString(), Ct);

        var attempts = logs.Where(l => l.Contains("PathTemplate=/v1/payments/{id};", StringComparison.Ordinal) && l.Contains("Attempt=", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Contains(attempts, l => l.Contains("Status=500", StringComparison.Ordinal) && l.Contains("Attempt=1", StringComparison.Ordinal));
        Assert.Contains(attempts, l => l.Contains("Status=200", StringComparison.Ordinal) && l.Contains("Attempt=2", StringComparison.Ordinal));
        Assert.All(attempts, l => Assert.Matches("RequestId=[0-9a-f-]{36}", l));
        Assert.DoesNotContain(logs, l => l.Contains(_mp.TokenA, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(_sale.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("Bearer", StringComparison.OrdinalIgnoreCase));
    }

    private static IMercadoPagoApiClient Api(IServiceProvider services) => services.GetRequiredService<IMercadoPagoApiClient>();
}
