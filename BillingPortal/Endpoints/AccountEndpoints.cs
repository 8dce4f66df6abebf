using System.Globalization;
using BillingPortal.Core.Identity;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;

namespace BillingPortal.Endpoints;

/// <summary>
/// Sign-in and sign-out, and the organizer switch:
/// <list type="bullet">
/// <item><c>GET /cuenta/ingresar?returnUrl=</c>: hands over to the OpenID Connect provider and comes back to the local return URL.</item>
/// <item><c>POST /cuenta/salir</c> (antiforgery): ends the portal's session and the provider's (end-session), audited.</item>
/// <item><c>POST /cuenta/organizador</c> (antiforgery; <c>organizerId</c>, <c>returnUrl</c>): remembers the chosen
/// organizer after checking the user may open it (404 otherwise).</item>
/// </list>
/// The forms' antiforgery tokens are validated here explicitly, before the form is read.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("").ExcludeFromDescription();
        group.MapGet(AccountPaths.SignIn, SignIn).AllowAnonymous();
        group.MapPost(AccountPaths.SignOut, SignOutAsync).AllowAnonymous().DisableAntiforgery();
        group.MapPost(AccountPaths.SwitchOrganizer, SwitchOrganizerAsync).RequireAuthorization().DisableAntiforgery();
        return app;
    }

    internal static IResult SignIn(HttpContext context, PortalSignInMode mode, string? returnUrl)
    {
        var target = CultureEndpoints.IsLocalUrl(returnUrl) ? returnUrl! : "/";
        if (!mode.Enabled) return Results.Redirect(AccountPaths.AccessDenied + "?motivo=" + AccountPaths.ReasonSignInDisabled);
        if (context.User.Identity?.IsAuthenticated == true) return Results.LocalRedirect(target);
        return Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [PortalSecurityExtensions.OidcScheme]);
    }

    internal static async Task<IResult> SignOutAsync(
        HttpContext context, IAntiforgery antiforgery, PortalSignInMode mode, PortalAuthenticationOptions options, SignInService signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return InvalidForm();

        var user = PortalPrincipal.ToIdentity(context.User, options);
        if (user is null) return Results.Redirect(AccountPaths.SignedOut);

        await signIn.RecordSignOutAsync(user, RequestOrigin.Of(context), context.RequestAborted);
        var properties = new AuthenticationProperties { RedirectUri = AccountPaths.SignedOut };
        return mode.Enabled
            ? Results.SignOut(properties, [PortalSecurityExtensions.CookieScheme, PortalSecurityExtensions.OidcScheme])
            : Results.SignOut(properties, [PortalSecurityExtensions.CookieScheme]);
    }

    internal static async Task<IResult> SwitchOrganizerAsync(
        HttpContext context, IAntiforgery antiforgery, PortalAuthenticationOptions options, OrganizerAccessService access)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return InvalidForm();

        var user = PortalPrincipal.ToIdentity(context.User, options);
        if (user is null) return Results.Unauthorized();
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!int.TryParse(form["organizerId"], NumberStyles.None, CultureInfo.InvariantCulture, out var organizerId)
            || await access.GetAccessAsync(user, organizerId, context.RequestAborted) is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Organizador no encontrado", detail: "No existe o no tiene acceso a él.");
        }

        OrganizerPreference.Write(context, organizerId);
        var returnUrl = form["returnUrl"].ToString();
        return Results.LocalRedirect(CultureEndpoints.IsLocalUrl(returnUrl) ? WithOrganizer(returnUrl, organizerId) : "/");
    }

    /// <summary>The return URL with its <c>org</c> parameter (if it has one) set to the chosen organizer.</summary>
    internal static string WithOrganizer(string returnUrl, int organizerId)
    {
        var queryStart = returnUrl.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0) return returnUrl;
        var query = QueryHelpers.ParseQuery(returnUrl[queryStart..]);
        if (!query.ContainsKey("org")) return returnUrl;
        query["org"] = organizerId.ToString(CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString(returnUrl[..queryStart], query);
    }

    private static IResult InvalidForm() => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Formulario no válido",
        detail: "El formulario expiró o no vino de esta página (token antifalsificación ausente o no válido). Vuelva a cargar la página e inténtelo de nuevo.");
}
