using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BillingPortal.Core.MercadoPago;

/// <summary>Registers <see cref="IMercadoPagoOAuthClient"/> and its resilience pipeline.</summary>
public static class MercadoPagoOAuthRegistration
{
    /// <summary>The resilience pipeline's name (its telemetry and logs carry it).</summary>
    public const string PipelineName = "mercadopago-oauth";

    /// <summary>
    /// The typed client <see cref="MercadoPagoOAuthClient"/> (IHttpClientFactory) behind a pipeline built from
    /// <see cref="MercadoPagoClientOptions"/> (reloaded when the configuration changes): a total timeout
    /// (<c>TotalTimeout</c>), then retries of <b>429 only</b> (<c>MaxRetries</c>, exponential backoff with jitter from
    /// <c>RetryBaseDelay</c>, a <c>Retry-After</c> honoured when it is at most <c>RetryMaxDelay</c>; a longer one is not
    /// waited for and the 429 is returned), then a per-try timeout (<c>AttemptTimeout</c>).
    /// </summary>
    /// <remarks>
    /// Nothing else is retried, not even a connection failure or a timeout: the server may have consumed the single-use
    /// code or refresh token already, and a replay would then burn the grant (invalid_grant) or, for a refresh,
    /// lose the new refresh token the first answer carried. A 429 is safe: Mercado Pago refused the request.
    /// </remarks>
    public static IServiceCollection AddMercadoPagoOAuthClient(this IServiceCollection services)
    {
        // Clients
        services.AddHttpClient<IMercadoPagoOAuthClient, MercadoPagoOAuthClient>(http =>
            {
                // The pipeline's timeouts govern; HttpClient's own 100 s would cut a longer configured budget.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("BillingPortal/1.0");
            })
            .AddResilienceHandler(PipelineName, static (pipeline, context) =>
            {
                context.EnableReloads<MercadoPagoOptions>();
                var client = context.ServiceProvider.GetRequiredService<IOptionsMonitor<MercadoPagoOptions>>().CurrentValue.Client;
                pipeline.AddTimeout(client.TotalTimeout);
                if (client.MaxRetries > 0) pipeline.AddRetry(RateLimitRetry(client));
                pipeline.AddTimeout(client.AttemptTimeout);
            });
        return services;
    }

    internal static HttpRetryStrategyOptions RateLimitRetry(MercadoPagoClientOptions client) => new()
    {
        MaxRetryAttempts = client.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = client.RetryBaseDelay,
        MaxDelay = client.RetryMaxDelay,
        ShouldRetryAfterHeader = false,
        ShouldHandle = args => ValueTask.FromResult(
            args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
            && (MercadoPagoErrorParser.RetryAfter(response) ?? TimeSpan.Zero) <= client.RetryMaxDelay),
        DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { } response ? MercadoPagoErrorParser.RetryAfter(response) : null),
    };
}
