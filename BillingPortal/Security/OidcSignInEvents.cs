using System.Security.Claims;
using BillingPortal.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace BillingPortal.Security;

/// <summary>
/// The portal's side of an OpenID Connect sign-in, after the handler validated the id_token (signature, issuer,
/// audience, nonce, PKCE-bound code): record the user and bind their invitations (<see cref="SignInService"/>), then
/// replace the provider's claims with the portal's small session principal (<see cref="PortalPrincipal"/>).
/// </summary>
internal static partial class OidcSignInEvents
{
    public const string EmailVerifiedClaim = "email_verified";

    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var options = services.GetRequiredService<PortalAuthenticationOptions>();
        var principal = context.Principal ?? throw new InvalidOperationException("The OpenID Connect handler validated a token without a principal.");
        var subjectClaim = principal.FindFirst(PortalPrincipal.SubjectClaim)
            ?? throw new InvalidOperationException("The id_token has no 'sub' claim.");
        var issuer = principal.FindFirstValue(PortalPrincipal.IssuerClaim) ?? subjectClaim.Issuer;
        var email = principal.FindFirstValue(PortalPrincipal.EmailClaim);
        var verified = bool.TryParse(principal.FindFirstValue(EmailVerifiedClaim), out var flag) && flag;
        var name = principal.FindFirstValue(PortalPrincipal.NameClaim);

        var result = await services.GetRequiredService<SignInService>().SignInAsync(
            new SignInClaims(issuer, subjectClaim.Value, email, verified, name), RequestOrigin.Of(http), http.RequestAborted);
        if (result.Outcome != SignInOutcome.SignedIn)
        {
            LogDenied(services.GetRequiredService<ILogger<SignInService>>(), http.TraceIdentifier, result.Outcome);
            context.HandleResponse();
            http.Response.Redirect(http.Request.PathBase + AccountPaths.AccessDenied + "?motivo=" + AccountPaths.ReasonEmailNotVerified);
            return;
        }

        var roles = principal.FindAll(options.Oidc.RoleClaimType).Select(c => c.Value);
        context.Principal = PortalPrincipal.Create(result.UserId!.Value, issuer, subjectClaim.Value, result.Email!, name, roles);
    }

    /// <summary>Keeps only the id_token in the session (the end-session request sends it as <c>id_token_hint</c>).</summary>
    public static Task OnTicketReceivedAsync(TicketReceivedContext context)
    {
        var properties = context.Properties;
        if (properties is not null)
        {
            properties.StoreTokens(properties.GetTokens().Where(t => t.Name == OpenIdConnectParameterNames.IdToken).ToList());
        }

        return Task.CompletedTask;
    }

    /// <summary>A failed callback (stale or replayed state, provider error): a Spanish page instead of an exception.</summary>
    public static Task OnRemoteFailureAsync(RemoteFailureContext context)
    {
        var http = context.HttpContext;
        LogFailure(http.RequestServices.GetRequiredService<ILogger<SignInService>>(), http.TraceIdentifier, context.Failure?.GetType().Name ?? "unknown", context.Failure?.Message ?? "");
        context.HandleResponse();
        http.Response.Redirect(http.Request.PathBase + AccountPaths.AccessDenied + "?motivo=" + AccountPaths.ReasonSignInFailed);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in {RequestId} refused: {Outcome}")]
    private static partial void LogDenied(ILogger logger, string requestId, SignInOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in callback {RequestId} failed: {FailureType} {FailureMessage}")]
    private static partial void LogFailure(ILogger logger, string requestId, string failureType, string failureMessage);
}
