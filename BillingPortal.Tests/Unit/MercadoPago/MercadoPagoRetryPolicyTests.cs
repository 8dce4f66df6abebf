using System.Net;
using BillingPortal.Core.MercadoPago;
using Polly;

namespace BillingPortal.Tests.Unit.MercadoPago;

/// <summary>Which outcomes the client's pipeline retries (§6.2, §6.3).</summary>
public sealed class MercadoPagoRetryPolicyTests
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("GET", false, HttpStatusCode.InternalServerError, true)]
    [InlineData("GET", false, HttpStatusCode.BadGateway, true)]
    [InlineData("GET", false, HttpStatusCode.TooManyRequests, true)]
    [InlineData("GET", false, HttpStatusCode.RequestTimeout, true)]
    [InlineData("GET", false, HttpStatusCode.BadRequest, false)]
    [InlineData("GET", false, HttpStatusCode.Unauthorized, false)]
    [InlineData("GET", false, HttpStatusCode.NotFound, false)]
    [InlineData("POST", false, HttpStatusCode.InternalServerError, false)]
    [InlineData("POST", false, HttpStatusCode.TooManyRequests, false)]
    [InlineData("POST", true, HttpStatusCode.InternalServerError, true)]
    [InlineData("POST", true, HttpStatusCode.TooManyRequests, true)]
    [InlineData("POST", true, HttpStatusCode.Conflict, false)]
    public void ShouldRetry_ByMethodKeyAndStatus(string method, bool key, HttpStatusCode status, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.mercadopago.com/v1/payments/1/refunds");
        if (key) request.Headers.Add(MercadoPagoApiClient.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        using var response = new HttpResponseMessage(status) { RequestMessage = request };

        Assert.Equal(expected, Decide(request, Outcome.FromResult(response)));
    }

    [Fact]
    public void ShouldRetry_NetworkFailureOfAKeylessPost_NotRetried()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "https://api.mercadopago.com/v1/payments/1");
        using var post = new HttpRequestMessage(HttpMethod.Post, "https://api.mercadopago.com/v1/payments/1/refunds");

        Assert.True(Decide(get, Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused"))));
        Assert.False(Decide(post, Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused"))));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void ShouldRetry_RetryAfterBeyondTheMaximumDelay_NotWaited(int seconds, bool expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.mercadopago.com/v1/payments/search");
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, Decide(request, Outcome.FromResult(response)));
        Assert.Equal(TimeSpan.FromSeconds(seconds), MercadoPagoApiRegistration.RetryAfter(response));
    }

    [Fact]
    public void RetryAfter_OnlyFor429And503()
    {
        using var error = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        error.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
        using var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        unavailable.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));

        Assert.Null(MercadoPagoApiRegistration.RetryAfter(error));
        Assert.Equal(TimeSpan.FromSeconds(3), MercadoPagoApiRegistration.RetryAfter(unavailable));
    }

    private static bool Decide(HttpRequestMessage request, Outcome<HttpResponseMessage> outcome)
    {
        var context = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        try
        {
            context.SetRequestMessage(request);
            return MercadoPagoApiRegistration.ShouldRetry(outcome, context, MaxDelay);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
