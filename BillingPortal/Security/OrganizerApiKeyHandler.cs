using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using BillingPortal.Core.Identity;
using BillingPortal.OpenApi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BillingPortal.Security;

/// <summary>
/// Authenticates the organizer API: the key comes in <c>Authorization: Bearer bp_live_…</c> or <c>X-Api-Key</c> and is
/// checked by <see cref="ApiKeyService.VerifyAsync"/>. Success gives a principal with the key's organizer id, key id,
/// prefix and the read-only scope. A missing, malformed, unknown or revoked key is challenged with <c>401</c>, a
/// ProblemDetails body and <c>WWW-Authenticate</c>. Keys are never logged; the log has the request id and the reason.
/// </summary>
public sealed class OrganizerApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string ChallengeHeader = "Bearer realm=\"BillingPortal\", ApiKey header=\"X-Api-Key\"";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (presented, header) = PresentedKey(Request);
        if (header is null) return AuthenticateResult.NoResult();
        if (presented is null) return AuthenticateResult.Fail("More than one key was sent.");

        var verified = await keys.VerifyAsync(presented, Context.RequestAborted);
        if (verified is null) return AuthenticateResult.Fail("The key is malformed, unknown or revoked.");

        Claim[] claims =
        [
            new(OrganizerApiKeyDefaults.OrganizerIdClaim, verified.OrganizerId.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
            new(OrganizerApiKeyDefaults.KeyIdClaim, verified.KeyId.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
            new(OrganizerApiKeyDefaults.PrefixClaim, verified.Prefix),
            new(OrganizerApiKeyDefaults.ScopeClaim, OrganizerApiKeyDefaults.ReadScope),
            new(ClaimTypes.Name, "api-key:" + verified.Prefix),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var missing = result.None;
        Logger.LogWarning("Organizer API request {RequestId} to {Path} refused: API key {Reason}",
            Context.TraceIdentifier, Request.Path.Value, missing ? "missing" : "invalid");

        Response.Headers.WWWAuthenticate = missing ? ChallengeHeader : ChallengeHeader + ", error=\"invalid_token\"";
        Response.Headers.CacheControl = "no-store";
        var error = missing
            ? new ApiError(HeaderNames.Authorization, OrganizerApiRules.ApiKeyMissing,
                "Falta la clave de API: envíela como Authorization: Bearer <clave> o en la cabecera X-Api-Key.")
            : new ApiError(PresentedKey(Request).Header ?? HeaderNames.Authorization, OrganizerApiRules.ApiKeyInvalid,
                "La clave de API no es válida o fue revocada.");
        await ApiProblems.Create(StatusCodes.Status401Unauthorized, "Se requiere una clave de API válida.", [error]).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Logger.LogWarning("Organizer API request {RequestId} to {Path} refused: the key lacks the scope", Context.TraceIdentifier, Request.Path.Value);
        var error = new ApiError(PresentedKey(Request).Header ?? HeaderNames.Authorization, OrganizerApiRules.Scope, "La clave de API no permite esta operación.");
        await ApiProblems.Create(StatusCodes.Status403Forbidden, "Operación no permitida para esta clave.", [error]).ExecuteAsync(Context);
    }

    /// <summary>
    /// The key from <c>X-Api-Key</c>, else from <c>Authorization: Bearer</c>, with the header that carried it. Both are
    /// null when neither carries one; the key alone is null when a header was sent twice, which is refused rather than guessed.
    /// </summary>
    internal static (string? Key, string? Header) PresentedKey(HttpRequest request)
    {
        var apiKey = request.Headers[OrganizerApiKeyDefaults.HeaderName];
        if (apiKey.Count > 1) return (null, OrganizerApiKeyDefaults.HeaderName);
        if (apiKey.Count == 1 && !string.IsNullOrWhiteSpace(apiKey[0])) return (apiKey[0]!.Trim(), OrganizerApiKeyDefaults.HeaderName);

        var authorization = request.Headers[HeaderNames.Authorization];
        if (authorization.Count > 1) return (null, HeaderNames.Authorization);
        var value = authorization.ToString();
        const string bearer = "Bearer ";
        if (value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            var token = value[bearer.Length..].Trim();
            return token.Length > 0 ? (token, HeaderNames.Authorization) : (null, null);
        }

        return (null, null);
    }
}
