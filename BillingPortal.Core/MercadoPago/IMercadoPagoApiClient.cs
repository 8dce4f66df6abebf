using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// The REST API (§3, §4) with a seller's access token: payments, their search, refunds and the token's user. Every call
/// goes through the resilience pipeline; failures are <see cref="MercadoPagoApiException"/>.
/// </summary>
public interface IMercadoPagoApiClient
{
    /// <summary><c>GET /v1/payments/{id}</c>; null on 404 (cause 2000).</summary>
    Task<MpPayment?> GetPaymentAsync(string accessToken, long paymentId, CancellationToken cancellationToken);

    /// <summary><c>GET /v1/payments/search</c> (§3.2).</summary>
    Task<MpPaymentSearchResponse> SearchPaymentsAsync(string accessToken, MpPaymentSearch search, CancellationToken cancellationToken);

    /// <summary><c>POST /v1/payments/{id}/refunds</c> (null amount: full refund) with the required <c>X-Idempotency-Key</c>.</summary>
    Task<MpRefund> CreateRefundAsync(string accessToken, long paymentId, decimal? amount, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary><c>GET /v1/payments/{id}/refunds</c>.</summary>
    Task<IReadOnlyList<MpRefund>> ListRefundsAsync(string accessToken, long paymentId, CancellationToken cancellationToken);

    /// <summary><c>GET /users/me</c>: the account the token belongs to.</summary>
    Task<MpUser> GetCurrentUserAsync(string accessToken, CancellationToken cancellationToken);
}

/// <summary>A <c>/v1/payments/search</c> query (§3.2); null members are not sent.</summary>
public sealed record MpPaymentSearch
{
    /// <summary><c>date_approved</c>, <c>date_created</c>, <c>date_last_updated</c>, <c>id</c>, <c>money_release_date</c>.</summary>
    public string? Sort { get; init; }

    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Criteria { get; init; }

    /// <summary>Which date the window applies to: <c>date_created</c> (default), <c>date_last_updated</c>, …</summary>
    public string? Range { get; init; }

    /// <summary><c>NOW-30DAYS</c>, <c>NOW-3MONTHS</c> or an instant (sent as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>).</summary>
    public string? BeginDate { get; init; }

    public string? EndDate { get; init; }

    public string? ExternalReference { get; init; }

    public string? Status { get; init; }

    public int? Limit { get; init; }

    public int? Offset { get; init; }

    /// <summary>An instant in the format search accepts.</summary>
    public static string FormatDate(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
