namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>The envelope of <c>GET /v1/payments/search</c> (§3.2): <c>{ paging{total,limit,offset}, results[] }</c>.</summary>
public sealed record MpPaymentSearchResponse
{
    public MpPaging Paging { get; init; } = new();

    public IReadOnlyList<MpPayment> Results { get; init; } = [];
}

/// <summary>Paging of a search: <c>total</c> may vary between calls on the real API.</summary>
public sealed record MpPaging
{
    public long Total { get; init; }

    public int Limit { get; init; }

    public int Offset { get; init; }
}
