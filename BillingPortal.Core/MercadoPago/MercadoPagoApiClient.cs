using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// The typed client of Mercado Pago's REST API (§3, §4, <c>/users/me</c>) with a seller's access token. Requests go
/// through the named HttpClient <see cref="HttpClientName"/> and its resilience pipeline (see
/// <see cref="MercadoPagoApiRegistration"/>); URIs are built from <see cref="IMercadoPagoEndpoints.ApiBase"/> on every
/// call. The token travels only in the <c>Authorization</c> header, never in a URI or a log.
/// </summary>
/// <remarks>
/// Failures are <see cref="MercadoPagoApiException"/>: the error body parsed by <see cref="MercadoPagoErrorParser"/>;
/// a per-try or total timeout is <see cref="MercadoPagoErrorKind.Timeout"/>, an open circuit
/// <see cref="MercadoPagoErrorKind.CircuitOpen"/>, a connection failure <see cref="MercadoPagoErrorKind.Network"/>, an
/// unreadable success body <see cref="MercadoPagoErrorKind.InvalidResponse"/>. The caller's own cancellation is
/// rethrown as is.
/// </remarks>
public sealed class MercadoPagoApiClient(IHttpClientFactory httpClientFactory, IMercadoPagoEndpoints endpoints, ILogger<MercadoPagoApiClient> logger) : IMercadoPagoApiClient
{
    /// <summary>The named HttpClient (and resilience pipeline) of the API.</summary>
    public const string HttpClientName = "MercadoPago.Api";

    /// <summary>The header that makes a POST safe to retry (§6.3).</summary>
    public const string IdempotencyKeyHeader = "X-Idempotency-Key";

    /// <summary>The route template of a request, for logs (never the URI with its query or ids).</summary>
    public static readonly HttpRequestOptionsKey<string> PathTemplate = new("MercadoPago.PathTemplate");

    public async Task<MpPayment?> GetPaymentAsync(string accessToken, long paymentId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, "v1/payments/" + paymentId.ToString(CultureInfo.InvariantCulture), "/v1/payments/{id}", accessToken);
        return await SendAsync(request, MercadoPagoJsonContext.Default.MpPayment, notFoundIsNull: true, cancellationToken);
    }

    public async Task<MpPaymentSearchResponse> SearchPaymentsAsync(string accessToken, MpPaymentSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        using var request = Request(HttpMethod.Get, "v1/payments/search" + Query(search), "/v1/payments/search", accessToken);
        return (await SendAsync(request, MercadoPagoJsonContext.Default.MpPaymentSearchResponse, notFoundIsNull: false, cancellationToken))!;
    }

    public async Task<MpRefund> CreateRefundAsync(string accessToken, long paymentId, decimal? amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        using var request = Request(HttpMethod.Post, $"v1/payments/{paymentId.ToString(CultureInfo.InvariantCulture)}/refunds", "/v1/payments/{id}/refunds", accessToken);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new MpRefundRequest { Amount = amount }, MercadoPagoJsonContext.Default.MpRefundRequest));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return (await SendAsync(request, MercadoPagoJsonContext.Default.MpRefund, notFoundIsNull: false, cancellationToken))!;
    }

    public async Task<IReadOnlyList<MpRefund>> ListRefundsAsync(string accessToken, long paymentId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"v1/payments/{paymentId.ToString(CultureInfo.InvariantCulture)}/refunds", "/v1/payments/{id}/refunds", accessToken);
        return (await SendAsync(request, MercadoPagoJsonContext.Default.IReadOnlyListMpRefund, notFoundIsNull: false, cancellationToken))!;
    }

    public async Task<MpUser> GetCurrentUserAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, "users/me", "/users/me", accessToken);
        return (await SendAsync(request, MercadoPagoJsonContext.Default.MpUser, notFoundIsNull: false, cancellationToken))!;
    }

    /// <summary>The query string of a search (§3.2); null members are left out.</summary>
    public static string Query(MpPaymentSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var parts = new List<string>(9);
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add(name + "=" + Uri.EscapeDataString(value));
        }

        Add("sort", search.Sort);
        Add("criteria", search.Criteria);
        Add("range", search.Range);
        Add("begin_date", search.BeginDate);
        Add("end_date", search.EndDate);
        Add("external_reference", search.ExternalReference);
        Add("status", search.Status);
        Add("limit", search.Limit?.ToString(CultureInfo.InvariantCulture));
        Add("offset", search.Offset?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private HttpRequestMessage Request(HttpMethod method, string relative, string template, string accessToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        var request = new HttpRequestMessage(method, new Uri(endpoints.ApiBase, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Options.Set(PathTemplate, template);
        return request;
    }

    private async Task<T?> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, bool notFoundIsNull, CancellationToken cancellationToken)
        where T : class
    {
        var template = request.Options.TryGetValue(PathTemplate, out var t) ? t : "?";
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (Failure(e) is { } kind)
        {
            logger.LogWarning("Mercado Pago {Method} {PathTemplate} failed: {Kind} after {ElapsedMs} ms",
                request.Method.Method, template, kind, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw new MercadoPagoApiException(new MercadoPagoError(kind, null, null, null, [], null, null), e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    return JsonSerializer.Deserialize(body, type)
                           ?? throw new MercadoPagoApiException(Invalid(response, "empty body"));
                }
                catch (JsonException e)
                {
                    throw new MercadoPagoApiException(Invalid(response, "unreadable body"), e);
                }
            }

            var error = await MercadoPagoErrorParser.ParseAsync(response, cancellationToken);
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
            logger.LogWarning("Mercado Pago {Method} {PathTemplate} answered {Status} {ErrorKey} cause {CauseCode} (request {RequestId})",
                request.Method.Method, template, (int)response.StatusCode, error.ErrorKey, error.CauseCode, error.RequestId);
            throw new MercadoPagoApiException(error);
        }
    }

    private static MercadoPagoError Invalid(HttpResponseMessage response, string what) =>
        new(MercadoPagoErrorKind.InvalidResponse, (int)response.StatusCode, null, what, [], MercadoPagoErrorParser.RequestId(response), null);

    /// <summary>How a transport-level failure reads to the portal (null: not ours to translate).</summary>
    internal static MercadoPagoErrorKind? Failure(Exception exception) => exception switch
    {
        TimeoutRejectedException => MercadoPagoErrorKind.Timeout,
        BrokenCircuitException => MercadoPagoErrorKind.CircuitOpen,
        HttpRequestException => MercadoPagoErrorKind.Network,

        // HttpClient's own timeout (the pipeline normally answers first).
        OperationCanceledException => MercadoPagoErrorKind.Timeout,
        _ => null,
    };
}

/// <summary>
/// Logs each attempt of a Mercado Pago call (inside the resilience pipeline, so retries show up): method, path
/// template, status, attempt, Mercado Pago's <c>x-request-id</c> and elapsed time. Never a header value, a URI query or
/// a body.
/// </summary>
public sealed class MercadoPagoLoggingHandler(ILogger<MercadoPagoLoggingHandler> logger) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<int> Attempt = new("MercadoPago.Attempt");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var attempt = (request.Options.TryGetValue(Attempt, out var previous) ? previous : 0) + 1;
        request.Options.Set(Attempt, attempt);
        var template = request.Options.TryGetValue(MercadoPagoApiClient.PathTemplate, out var t) ? t : request.RequestUri?.AbsolutePath ?? "?";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            logger.LogInformation("Mercado Pago {Method} {PathTemplate} → {Status} (attempt {Attempt}, request {RequestId}, {ElapsedMs} ms)",
                request.Method.Method, template, (int)response.StatusCode, attempt, MercadoPagoErrorParser.RequestId(response),
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogInformation("Mercado Pago {Method} {PathTemplate} → {Failure} (attempt {Attempt}, {ElapsedMs} ms)",
                request.Method.Method, template, e.GetType().Name, attempt, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
