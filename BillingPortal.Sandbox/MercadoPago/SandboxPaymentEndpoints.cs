using System.Text;
using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary><c>/v1/payments/search</c>, <c>/v1/payments/{id}</c>, refunds (owned by the sandbox payments work).</summary>
public static class SandboxPaymentEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/v1/payments/search", SearchAsync);
        group.MapGet("/v1/payments/{id}", GetAsync);
        group.MapPost("/v1/payments/{id}/refunds", CreateRefundAsync);
        group.MapGet("/v1/payments/{id}/refunds", ListRefundsAsync);
        group.MapGet("/v1/payments/{id}/refunds/{refundId}", GetRefundAsync);
    }

    /// <summary>Services of the payments side: webhook sender (<see cref="ISandboxNotifier"/>), fault injection, live mode.</summary>
    public static IServiceCollection AddSandboxPayments(this IServiceCollection services)
    {
        // Webhooks: the outbox (the notifier both sides use) and its sender
        services.TryAddSingleton<SandboxWebhookOutbox>();
        services.TryAddSingleton<ISandboxNotifier>(sp => sp.GetRequiredService<SandboxWebhookOutbox>());
        services.AddHttpClient(SandboxWebhookSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHostedService<SandboxWebhookSender>();

        // Payments, faults, live mode
        services.TryAddSingleton<SandboxPayments>();
        services.TryAddSingleton<SandboxFaults>();
        services.TryAddSingleton<SandboxLiveModeSwitch>();
        services.AddHostedService<SandboxLiveModeService>();
        return services;
    }

    /// <summary>
    /// Checks <c>Authorization: Bearer</c>: the seller whose token it is, or the error to answer (no header: 403 as in
    /// §3.1; unknown, expired or revoked token: 401).
    /// </summary>
    public static async Task<(long SellerId, IResult? Error)> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var header = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (0, SandboxErrors.Error(403, "forbidden", "Unauthorized access",
                ("pa_unauthorized_result_from_policies", "At least one policy returned UNAUTHORIZED.")));
        }

        var accounts = http.RequestServices.GetRequiredService<SandboxAccounts>();
        var check = await accounts.CheckAccessTokenAsync(header["Bearer ".Length..].Trim(), cancellationToken);
        return check.State == SandboxTokenState.Valid ? (check.SellerId, null) : (0, SandboxErrors.Unauthorized());
    }

    private static async Task<IResult> SearchAsync(HttpContext http, MercadoPagoSandboxStore store, SandboxClock clock, IOptions<MercadoPagoSandboxOptions> options, CancellationToken cancellationToken)
    {
        var (seller, error) = await AuthenticateAsync(http, cancellationToken);
        if (error is not null) return error;
        var problem = SandboxSearchParameters.TryParse(http.Request.Query, seller, clock.GetUtcNow(), options.Value, out var query);
        if (problem is not null) return SandboxErrors.Error(400, "bad_request", problem.Message, (problem.Code, problem.Message));

        // "collector.id" can only name the token's own account; anything else matches nothing.
        if (http.Request.Query.TryGetValue("collector.id", out var collector) && collector.ToString() != seller.ToString(CultureInfo.InvariantCulture))
            return new RawJsonResult(Envelope(new SandboxPaymentPage(0, query.Limit, query.Offset, [])));
        var page = await store.SearchAsync(query, cancellationToken);
        return new RawJsonResult(Envelope(page));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id, MercadoPagoSandboxStore store, CancellationToken cancellationToken)
    {
        var (seller, error) = await AuthenticateAsync(http, cancellationToken);
        if (error is not null) return error;
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId)) return SandboxErrors.NotFound();
        var json = await store.GetJsonAsync(paymentId, seller, cancellationToken);
        return json is null ? SandboxErrors.NotFound() : new RawJsonResult([json]);
    }

    private static async Task<IResult> CreateRefundAsync(HttpContext http, string id, SandboxPayments payments, CancellationToken cancellationToken)
    {
        var (seller, error) = await AuthenticateAsync(http, cancellationToken);
        if (error is not null) return error;
        var key = http.Request.Headers["X-Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key))
            return SandboxErrors.Error(400, "bad_request", "Header X-Idempotency-Key can't be null", ("4292", "Header X-Idempotency-Key can't be null"));
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId)) return SandboxErrors.NotFound();

        decimal? amount;
        try
        {
            amount = await ReadRefundAmountAsync(http.Request, cancellationToken);
        }
        catch (SandboxProblemException problem)
        {
            return problem.ToResult();
        }

        try
        {
            var result = await payments.RefundAsync(paymentId, seller, amount, key.Trim(), cancellationToken);
            return new RawJsonResult([result.Json], StatusCodes.Status201Created);
        }
        catch (SandboxProblemException problem)
        {
            return problem.ToResult();
        }
    }

    private static async Task<IResult> ListRefundsAsync(HttpContext http, string id, MercadoPagoSandboxStore store, CancellationToken cancellationToken)
    {
        var (seller, error) = await AuthenticateAsync(http, cancellationToken);
        if (error is not null) return error;
        var payment = await OwnPaymentAsync(store, id, seller, cancellationToken);
        if (payment is null) return SandboxErrors.NotFound();
        var refunds = payment.Refunds ?? [];
        return new RawJsonResult([JsonSerializer.SerializeToUtf8Bytes(refunds, MercadoPagoJsonContext.Default.IReadOnlyListMpRefund)]);
    }

    private static async Task<IResult> GetRefundAsync(HttpContext http, string id, string refundId, MercadoPagoSandboxStore store, CancellationToken cancellationToken)
    {
        var (seller, error) = await AuthenticateAsync(http, cancellationToken);
        if (error is not null) return error;
        var payment = await OwnPaymentAsync(store, id, seller, cancellationToken);
        var refund = payment?.Refunds?.FirstOrDefault(r => r.Id.ToString(CultureInfo.InvariantCulture) == refundId);
        return refund is null
            ? SandboxErrors.NotFound(payment is null ? "Payment not found" : "Refund not found")
            : new RawJsonResult([JsonSerializer.SerializeToUtf8Bytes(refund, MercadoPagoJsonContext.Default.MpRefund)]);
    }

    private static async Task<MpPayment?> OwnPaymentAsync(MercadoPagoSandboxStore store, string id, long seller, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId)) return null;
        var json = await store.GetJsonAsync(paymentId, seller, cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpPayment);
    }

    /// <summary>The refund body: empty or <c>{}</c> (full refund) or <c>{"amount": x}</c> (a number or a numeric string).</summary>
    internal static async Task<decimal?> ReadRefundAmountAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new SandboxProblemException("The body must be a JSON object");
            if (!document.RootElement.TryGetProperty("amount", out var amount) || amount.ValueKind == JsonValueKind.Null) return null;
            var value = amount.ValueKind switch
            {
                JsonValueKind.Number when amount.TryGetDecimal(out var number) => number,
                JsonValueKind.String when decimal.TryParse(amount.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => throw new SandboxProblemException("amount must be a number"),
            };
            if (value <= 0 || decimal.Round(value, 2) != value) throw new SandboxProblemException("amount must be a positive number with at most two decimals");
            return value;
        }
        catch (JsonException)
        {
            throw new SandboxProblemException("The body is not valid JSON");
        }
    }

    /// <summary>The §3.2 envelope around the stored JSON documents, written without re-serializing them.</summary>
    internal static IReadOnlyList<byte[]> Envelope(SandboxPaymentPage page)
    {
        var parts = new List<byte[]>((page.Results.Count * 2) + 2)
        {
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"paging\":{{\"total\":{page.Total},\"limit\":{page.Limit},\"offset\":{page.Offset}}},\"results\":[")),
        };
        for (var i = 0; i < page.Results.Count; i++)
        {
            if (i > 0) parts.Add(Comma);
            parts.Add(page.Results[i]);
        }

        parts.Add(Close);
        return parts;
    }

    private static readonly byte[] Comma = ","u8.ToArray();
    private static readonly byte[] Close = "]}"u8.ToArray();

    /// <summary>Writes JSON byte chunks as they are (stored documents are already the API's JSON).</summary>
    internal sealed class RawJsonResult(IReadOnlyList<byte[]> parts, int status = StatusCodes.Status200OK) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            if (!response.Headers.ContainsKey("x-request-id")) response.Headers["x-request-id"] = Guid.NewGuid().ToString();
            response.ContentLength = parts.Sum(p => (long)p.Length);
            foreach (var part in parts) await response.Body.WriteAsync(part, httpContext.RequestAborted);
        }
    }
}
