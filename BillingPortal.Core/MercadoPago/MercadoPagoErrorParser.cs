using System.Net;
using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago;

/// <summary>Turns a failed Mercado Pago response into a <see cref="MercadoPagoError"/> (§6.1, §2.6).</summary>
public static class MercadoPagoErrorParser
{
    /// <summary>Reads the error body (tolerantly: a non-JSON body still yields the status) and the headers.</summary>
    public static async Task<MercadoPagoError> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        MpErrorResponse? body = null;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (bytes.Length > 0 && bytes.Length < 64 * 1024) body = JsonSerializer.Deserialize(bytes, MercadoPagoJsonContext.Default.MpErrorResponse);
        }
        catch (JsonException)
        {
            // Not Mercado Pago's shape (a proxy's HTML page…): the status still says what happened.
        }

        var status = (int)response.StatusCode;
        return new MercadoPagoError(
            KindOf(response.StatusCode, body),
            status,
            body?.Error,
            body?.Message,
            body?.Cause ?? [],
            RequestId(response),
            RetryAfter(response));
    }

    /// <summary>The request id Mercado Pago answers with (<c>x-request-id</c>), for logs and support.</summary>
    public static string? RequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary><c>Retry-After</c> as seconds or as a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static MercadoPagoErrorKind KindOf(HttpStatusCode status, MpErrorResponse? body)
    {
        var key = body?.Error;
        if (string.Equals(key, "invalid_grant", StringComparison.Ordinal)) return MercadoPagoErrorKind.InvalidGrant;
        if (string.Equals(key, "invalid_client", StringComparison.Ordinal) || string.Equals(key, "unauthorized_client", StringComparison.Ordinal))
            return MercadoPagoErrorKind.InvalidClient;
        if (string.Equals(key, "local_rate_limited", StringComparison.Ordinal)) return MercadoPagoErrorKind.RateLimited;
        var causes = body?.Cause ?? [];
        return (int)status switch
        {
            401 => MercadoPagoErrorKind.Unauthorized,
            403 when causes.Any(c => c.Code is "4" or "3002" or "pa_unauthorized_result_from_policies") => MercadoPagoErrorKind.Unauthorized,
            403 => MercadoPagoErrorKind.Forbidden,
            404 => MercadoPagoErrorKind.NotFound,
            409 => MercadoPagoErrorKind.Conflict,
            429 => MercadoPagoErrorKind.RateLimited,
            >= 500 => MercadoPagoErrorKind.ServerError,
            _ => MercadoPagoErrorKind.BadRequest,
        };
    }
}
