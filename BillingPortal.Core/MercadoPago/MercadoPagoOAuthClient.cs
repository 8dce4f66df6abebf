using System.Net.Http.Headers;
using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// Mercado Pago's OAuth (§2): the consent URL and <c>POST /oauth/token</c> for both grants, sent as JSON like the
/// official SDKs do (§2.3), with the parameters in the body only. The <see cref="HttpClient"/> comes from
/// IHttpClientFactory with the pipeline of <see cref="MercadoPagoOAuthRegistration"/>: total and per-try timeouts, and
/// retries <b>only</b> on 429, because the code and the refresh token are single use (a retry after anything else might
/// replay a request the server already consumed). Addresses come from <see cref="IMercadoPagoEndpoints"/> on every call.
/// </summary>
/// <remarks>Logs carry the grant type, the HTTP status and Mercado Pago's <c>x-request-id</c>; never a token, code, verifier or secret.</remarks>
public sealed partial class MercadoPagoOAuthClient(HttpClient http, IMercadoPagoEndpoints endpoints, ILogger<MercadoPagoOAuthClient> logger)
    : IMercadoPagoOAuthClient
{
    public const string AuthorizationCodeGrant = "authorization_code";
    public const string RefreshTokenGrant = "refresh_token";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    public Uri BuildAuthorizationUrl(string state, string codeChallenge, string redirectUri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(codeChallenge);
        ArgumentException.ThrowIfNullOrWhiteSpace(redirectUri);
        var (clientId, _) = endpoints.Application;
        if (string.IsNullOrWhiteSpace(clientId)) throw new InvalidOperationException("MercadoPago:ClientId is not configured.");

        (string Name, string Value)[] parameters =
        [
            ("client_id", clientId),
            ("response_type", "code"),
            ("platform_id", "mp"),
            ("state", state),
            ("redirect_uri", redirectUri),
            ("code_challenge", codeChallenge),
            ("code_challenge_method", "S256"),
        ];
        var query = string.Join('&', parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));
        var consent = endpoints.AuthorizationEndpoint;
        var existing = consent.Query.TrimStart('?');
        return new UriBuilder(consent) { Query = existing.Length == 0 ? query : existing + "&" + query }.Uri;
    }

    public Task<MpOAuthToken> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(redirectUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(codeVerifier);
        var (clientId, clientSecret) = Credentials();
        return RequestTokenAsync(AuthorizationCodeGrant, new MpOAuthTokenRequest
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            GrantType = AuthorizationCodeGrant,
            Code = code,
            RedirectUri = redirectUri,
            CodeVerifier = codeVerifier,
        }, cancellationToken);
    }

    public Task<MpOAuthToken> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        var (clientId, clientSecret) = Credentials();
        return RequestTokenAsync(RefreshTokenGrant, new MpOAuthTokenRequest
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            GrantType = RefreshTokenGrant,
            RefreshToken = refreshToken,
        }, cancellationToken);
    }

    private (string ClientId, string ClientSecret) Credentials()
    {
        var application = endpoints.Application;
        if (string.IsNullOrWhiteSpace(application.ClientId) || string.IsNullOrWhiteSpace(application.ClientSecret))
            throw new InvalidOperationException("MercadoPago:ClientId and MercadoPago:ClientSecret must be configured to call /oauth/token.");
        return application;
    }

    private async Task<MpOAuthToken> RequestTokenAsync(string grantType, MpOAuthTokenRequest body, CancellationToken cancellationToken)
    {
        // Bytes, not a streaming content: a 429 retry sends the same request again.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoints.ApiBase, "oauth/token"))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, MercadoPagoJsonContext.Default.MpOAuthTokenRequest)),
        };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Failed(grantType, new MercadoPagoError(MercadoPagoErrorKind.Timeout, null, null, null, [], null, null), ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(grantType, new MercadoPagoError(MercadoPagoErrorKind.Timeout, null, null, null, [], null, null), ex);
        }
        catch (HttpRequestException ex)
        {
            throw Failed(grantType, new MercadoPagoError(MercadoPagoErrorKind.Network, null, null, null, [], null, null), ex);
        }

        using (response)
        {
            var requestId = MercadoPagoErrorParser.RequestId(response);
            if (!response.IsSuccessStatusCode)
                throw Failed(grantType, await MercadoPagoErrorParser.ParseAsync(response, cancellationToken), null);

            MpOAuthToken? token;
            try
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                token = JsonSerializer.Deserialize(bytes, MercadoPagoJsonContext.Default.MpOAuthToken);
            }
            catch (JsonException ex)
            {
                throw Failed(grantType, InvalidResponse(response, requestId, "The token answer is not JSON."), ex);
            }

            var problem = Validate(token, grantType);
            if (problem is not null) throw Failed(grantType, InvalidResponse(response, requestId, problem), null);
            LogIssued(logger, grantType, (int)response.StatusCode, token!.UserId, requestId);
            return token;
        }
    }

    /// <summary>
    /// What §2.4 guarantees: <c>token_type</c> bearer, an access and a refresh token, and for a code exchange the seller's
    /// <c>user_id</c>. A refresh answer may omit <c>user_id</c> (the marketplace guide's example does), so it is not
    /// required there: the caller already knows the seller.
    /// </summary>
    private static string? Validate(MpOAuthToken? token, string grantType)
    {
        if (token is null) return "The token answer is empty.";
        if (!string.Equals(token.TokenType, "bearer", StringComparison.OrdinalIgnoreCase)) return "token_type is not bearer.";
        if (string.IsNullOrWhiteSpace(token.AccessToken)) return "access_token is missing.";
        if (string.IsNullOrWhiteSpace(token.RefreshToken)) return "refresh_token is missing.";
        if (token.UserId <= 0 && grantType == AuthorizationCodeGrant) return "user_id is missing.";
        if (token.UserId < 0) return "user_id is negative.";
        return null;
    }

    private static MercadoPagoError InvalidResponse(HttpResponseMessage response, string? requestId, string message) =>
        new(MercadoPagoErrorKind.InvalidResponse, (int)response.StatusCode, null, message, [], requestId, null);

    private MercadoPagoApiException Failed(string grantType, MercadoPagoError error, Exception? inner)
    {
        LogFailed(logger, grantType, error.Kind, error.HttpStatus, error.ErrorKey, error.RequestId);
        return new MercadoPagoApiException(error, inner);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Mercado Pago /oauth/token {GrantType}: HTTP {Status}, tokens issued for user {MercadoPagoUserId} (request {RequestId})")]
    private static partial void LogIssued(ILogger logger, string grantType, int status, long mercadoPagoUserId, string? requestId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning,
        Message = "Mercado Pago /oauth/token {GrantType} failed: {Kind} (HTTP {Status}, error {ErrorKey}, request {RequestId})")]
    private static partial void LogFailed(ILogger logger, string grantType, MercadoPagoErrorKind kind, int? status, string? errorKey, string? requestId);
}
