using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago;

/// <summary>What went wrong talking to Mercado Pago, in terms the portal acts on.</summary>
public enum MercadoPagoErrorKind
{
    /// <summary>OAuth: the code or refresh token is invalid, expired, used or revoked (re-authorization needed).</summary>
    InvalidGrant,

    /// <summary>OAuth: bad client id or secret (a configuration problem).</summary>
    InvalidClient,

    /// <summary>The access token is missing, invalid, expired or revoked (401, or 403 code 4 / 3002 / policies).</summary>
    Unauthorized,

    /// <summary>Not allowed for this token (403).</summary>
    Forbidden,

    NotFound,

    /// <summary>A request Mercado Pago refused (400/422): see the causes (e.g. 9062, 1000, 2063, 4292).</summary>
    BadRequest,

    /// <summary>409: idempotency conflict.</summary>
    Conflict,

    /// <summary>429 (also <c>local_rate_limited</c> from /oauth/token); <see cref="MercadoPagoError.RetryAfter"/> when sent.</summary>
    RateLimited,

    /// <summary>5xx.</summary>
    ServerError,

    /// <summary>No answer within the per-try or total timeout.</summary>
    Timeout,

    /// <summary>The client's circuit breaker is open after repeated failures.</summary>
    CircuitOpen,

    /// <summary>Connection refused, reset, DNS…</summary>
    Network,

    /// <summary>The body was not what the API documents.</summary>
    InvalidResponse,
}

/// <summary>
/// A Mercado Pago failure, parsed from the error body (§6.1: message, error, status, cause[]) and the response
/// (status, <c>x-request-id</c>, <c>Retry-After</c>). Never carries a token or a request body.
/// </summary>
public sealed record MercadoPagoError(
    MercadoPagoErrorKind Kind,
    int? HttpStatus,
    string? ErrorKey,
    string? Message,
    IReadOnlyList<MpErrorCause> Causes,
    string? RequestId,
    TimeSpan? RetryAfter)
{
    /// <summary>The first cause's code (e.g. <c>2000</c>, <c>9062</c>), if any.</summary>
    public string? CauseCode => Causes.Count > 0 ? Causes[0].Code : null;

    /// <summary>Whether some cause has this code.</summary>
    public bool HasCause(string code) => Causes.Any(c => string.Equals(c.Code, code, StringComparison.Ordinal));
}

/// <summary>Thrown by the typed clients when Mercado Pago (or the way to it) fails; <see cref="Error"/> says how.</summary>
public sealed class MercadoPagoApiException : Exception
{
    public MercadoPagoApiException(MercadoPagoError error, Exception? inner = null)
        : base(Describe(error), inner)
    {
        Error = error;
    }

    public MercadoPagoApiException()
        : this(new MercadoPagoError(MercadoPagoErrorKind.InvalidResponse, null, null, null, [], null, null))
    {
    }

    public MercadoPagoApiException(string message)
        : base(message)
    {
        Error = new MercadoPagoError(MercadoPagoErrorKind.InvalidResponse, null, null, message, [], null, null);
    }

    public MercadoPagoApiException(string message, Exception inner)
        : base(message, inner)
    {
        Error = new MercadoPagoError(MercadoPagoErrorKind.InvalidResponse, null, null, message, [], null, null);
    }

    public MercadoPagoError Error { get; }

    private static string Describe(MercadoPagoError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"Mercado Pago: {error.Kind} (HTTP {error.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-"}, error {error.ErrorKey ?? "-"}, cause {error.CauseCode ?? "-"}, request {error.RequestId ?? "-"})";
    }
}
