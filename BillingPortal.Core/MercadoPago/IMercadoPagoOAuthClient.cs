using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago;

/// <summary>The OAuth side of Mercado Pago (§2): the consent URL and <c>POST /oauth/token</c>.</summary>
public interface IMercadoPagoOAuthClient
{
    /// <summary>
    /// The consent URL (§2.1): client_id, response_type=code, platform_id=mp, state, redirect_uri, code_challenge,
    /// code_challenge_method=S256.
    /// </summary>
    Uri BuildAuthorizationUrl(string state, string codeChallenge, string redirectUri);

    /// <summary>Exchanges an authorization code (grant_type=authorization_code, with the PKCE verifier).</summary>
    /// <exception cref="MercadoPagoApiException">invalid_grant, invalid_client, 429 local_rate_limited, …</exception>
    Task<MpOAuthToken> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken);

    /// <summary>
    /// Renews with a refresh token (grant_type=refresh_token). The refresh token is single use: the answer carries a new
    /// one that must be stored. Never retried after the server may have consumed it (only on 429).
    /// </summary>
    Task<MpOAuthToken> RefreshAsync(string refreshToken, CancellationToken cancellationToken);
}
