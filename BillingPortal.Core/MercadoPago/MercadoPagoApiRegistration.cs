using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BillingPortal.Core.MercadoPago;

/// <summary>Registers <see cref="IMercadoPagoApiClient"/> and its resilience pipeline (owned by the API client's work).</summary>
/// <remarks>
/// The named HttpClient <see cref="MercadoPagoApiClient.HttpClientName"/> runs, outermost first: a total timeout
/// (<see cref="MercadoPagoClientOptions.TotalTimeout"/>), retries, a circuit breaker, a per-try timeout
/// (<see cref="MercadoPagoClientOptions.AttemptTimeout"/>) and <see cref="MercadoPagoLoggingHandler"/> (one line per
/// attempt). Retries (<see cref="MercadoPagoClientOptions.MaxRetries"/>, exponential from
/// <see cref="MercadoPagoClientOptions.RetryBaseDelay"/> with jitter, each at most
/// <see cref="MercadoPagoClientOptions.RetryMaxDelay"/>) happen on 408, 429, 5xx, per-try timeouts and connection
/// failures, as Mercado Pago's SDKs do (§6.2); a <c>Retry-After</c> is waited exactly, and one longer than
/// <see cref="MercadoPagoClientOptions.RetryMaxDelay"/> is not waited at all (the 429 goes back to the caller with its
/// <see cref="MercadoPagoError.RetryAfter"/>, since retrying sooner would only be refused again). A POST is retried only
/// when it carries <c>X-Idempotency-Key</c> (§6.3). The options are read from <see cref="IOptions{MercadoPagoOptions}"/>
/// when the pipeline is built. The factory's own request logging is removed: it would log URIs with their queries.
/// </remarks>
public static class MercadoPagoApiRegistration
{
    public static IServiceCollection AddMercadoPagoApiClient(this IServiceCollection services)
    {
        // Client
        services.TryAddSingleton<IMercadoPagoApiClient, MercadoPagoApiClient>();
        services.TryAddTransient<MercadoPagoLoggingHandler>();

        // HTTP and resilience
        var http = services.AddHttpClient(MercadoPagoApiClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        http.AddResilienceHandler("mercadopago-api", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<MercadoPagoOptions>>().Value.Client;
            AddStrategies(pipeline, options);
        });
        http.AddHttpMessageHandler<MercadoPagoLoggingHandler>();
        return services;
    }

    /// <summary>The pipeline's strategies for <paramref name="options"/> (total timeout, retry, circuit breaker, per-try timeout).</summary>
    public static void AddStrategies(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, MercadoPagoClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(options);
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options.RetryMaxDelay)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "circuit",
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = Math.Max(2, options.CircuitBreakerMinimumThroughput),
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
        });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }

    /// <summary>
    /// Whether an outcome is retried: transient (408, 429, 5xx, timeout, connection failure), the request safe to repeat
    /// (not a POST without <c>X-Idempotency-Key</c>) and any <c>Retry-After</c> within <paramref name="maxDelay"/>.
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxDelay)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome)) return false;
        var request = context.GetRequestMessage();
        if (request is not null && request.Method == HttpMethod.Post && !request.Headers.Contains(MercadoPagoApiClient.IdempotencyKeyHeader)) return false;
        return RetryAfter(outcome.Result) is not { } wait || wait <= maxDelay;
    }

    /// <summary>A 429's or 503's <c>Retry-After</c> (seconds or a date), or null to use the backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response is null || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return null;
        return MercadoPagoErrorParser.RetryAfter(response);
    }
}
