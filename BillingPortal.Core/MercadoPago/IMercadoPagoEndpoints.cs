namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// Where Mercado Pago is: the API base and the consent page. Resolved on every call (not cached in an HttpClient's
/// BaseAddress) because the in-process sandbox only knows its address once the server listens.
/// </summary>
public interface IMercadoPagoEndpoints
{
    /// <summary>The API base, ending in '/': <c>https://api.mercadopago.com/</c> or the sandbox's prefix.</summary>
    Uri ApiBase { get; }

    /// <summary>The consent page: <c>https://auth.mercadopago.com.pe/authorization</c> or the sandbox's.</summary>
    Uri AuthorizationEndpoint { get; }

    /// <summary>The OAuth application: client id and secret (the sandbox's own when it is in use).</summary>
    (string ClientId, string ClientSecret) Application { get; }
}
