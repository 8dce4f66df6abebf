using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// The endpoints OpenIddict hands over to the application (passthrough): authorization and end-session, plus the login
/// and signed-out pages. OpenIddict has already validated each OpenID Connect request (client, redirect URI, scopes,
/// PKCE) in the authentication middleware before these run.
/// </summary>
internal static class SandboxIdentityEndpoints
{
    private const string HtmlContentType = "text/html; charset=utf-8";
    private const int MaxReturnUrlLength = 8 * 1024;

    /// <summary>
    /// Issues an authorization code for the person signed in at the provider. Without a session (or with
    /// <c>prompt=login</c>, or a session older than <c>max_age</c>) it sends the browser to the login page, which comes
    /// back here; with <c>prompt=none</c> it answers <c>login_required</c> instead. No consent: the client is trusted.
    /// </summary>
    public static async Task<IResult> AuthorizeAsync(HttpContext context, IOptions<SandboxIdentityOptions> options, TimeProvider timeProvider)
    {
        if (ErrorPage(context) is { } error)
        {
            return error;
        }

        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request was not extracted: call UseAuthentication() before the sandbox endpoints run.");

        var session = await context.AuthenticateAsync(SandboxIdentityDefaults.CookieScheme);
        var user = session is { Succeeded: true, Principal: { } principal } ? SandboxIdentityUser.FromSessionPrincipal(principal) : null;
        var tooOld = request.MaxAge is { } maxAge
            && session.Properties?.IssuedUtc is { } issued
            && timeProvider.GetUtcNow() - issued > TimeSpan.FromSeconds(maxAge);

        if (user is null || tooOld || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(
                    new AuthenticationProperties(new Dictionary<string, string?>
                    {
                        [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "No one is signed in at the sandbox provider.",
                    }),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // Back to this same request after the login, minus prompt and max_age so the fresh session satisfies it.
            IEnumerable<KeyValuePair<string, StringValues>> parameters = context.Request.HasFormContentType
                ? await context.Request.ReadFormAsync(context.RequestAborted)
                : context.Request.Query;
            var returnUrl = context.Request.PathBase + context.Request.Path
                + QueryString.Create(parameters.Where(p => p.Key is not (Parameters.Prompt or Parameters.MaxAge)));
            return Results.Redirect(PagePath(context, options.Value, SandboxIdentityDefaults.LoginPath)
                + QueryString.Create(SandboxIdentityPages.ReturnUrlField, returnUrl));
        }

        return Results.SignIn(user.ToTokenPrincipal(request.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, IOptions<SandboxIdentityOptions> options)
    {
        var settings = options.Value;
        var returnUrl = context.Request.Query[SandboxIdentityPages.ReturnUrlField].ToString();
        if (!IsAuthorizationReturnUrl(context, settings, returnUrl))
        {
            return NoPendingRequest(context);
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = SandboxIdentityPages.Login(
            PagePath(context, settings, SandboxIdentityDefaults.LoginPath), returnUrl, tokens, settings.Accounts, settings.AllowAnyEmail);
        return Html(context, html, StatusCodes.Status200OK);
    }

    /// <summary>Signs the chosen account (or any well-formed e-mail) in at the provider, then resumes the authorization.</summary>
    public static async Task<IResult> LoginAsync(HttpContext context, IAntiforgery antiforgery, IOptions<SandboxIdentityOptions> options, TimeProvider timeProvider)
    {
        var settings = options.Value;
        if (!context.Request.HasFormContentType)
        {
            return NoPendingRequest(context);
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return Html(context, SandboxIdentityPages.Message(
                "El formulario ya no es válido",
                "El formulario de inicio de sesión expiró o no vino de esta página. Vuelve al portal e inicia sesión otra vez."),
                StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form[SandboxIdentityPages.ReturnUrlField].ToString();
        if (!IsAuthorizationReturnUrl(context, settings, returnUrl))
        {
            return NoPendingRequest(context);
        }

        SandboxIdentityUser user;
        var subject = form[SandboxIdentityPages.AccountField].ToString();
        var email = form[SandboxIdentityPages.EmailField].ToString().Trim();
        if (subject.Length > 0)
        {
            var account = settings.Accounts.FirstOrDefault(a => string.Equals(a.Subject, subject, StringComparison.Ordinal));
            if (account is null)
            {
                return LoginAgain(context, antiforgery, settings, returnUrl, null, "La cuenta elegida no existe en este proveedor de prueba. Elige otra de la lista.");
            }

            user = SandboxIdentityUser.FromAccount(account);
        }
        else if (settings.AllowAnyEmail && SandboxIdentityOptionsValidator.IsEmail(email))
        {
            user = SandboxIdentityUser.FromEmail(email, settings.Accounts);
        }
        else
        {
            var message = settings.AllowAnyEmail
                ? "Correo electrónico: escribe una dirección válida, por ejemplo nombre@dominio.pe."
                : "Elige una de las cuentas de la lista.";
            return LoginAgain(context, antiforgery, settings, returnUrl, email, message);
        }

        await context.SignInAsync(
            SandboxIdentityDefaults.CookieScheme,
            user.ToSessionPrincipal(),
            new AuthenticationProperties { IsPersistent = false, IssuedUtc = timeProvider.GetUtcNow() });
        return Results.LocalRedirect(returnUrl);
    }

    /// <summary>Ends the provider session, then lets OpenIddict redirect to the client's registered post-logout URI.</summary>
    public static async Task<IResult> EndSessionAsync(HttpContext context, IOptions<SandboxIdentityOptions> options)
    {
        if (ErrorPage(context) is { } error)
        {
            return error;
        }

        await context.SignOutAsync(SandboxIdentityDefaults.CookieScheme);
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = PagePath(context, options.Value, SandboxIdentityDefaults.SignedOutPath) },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public static IResult SignedOut(HttpContext context) =>
        Html(context, SandboxIdentityPages.Message(
            "Sesión cerrada",
            "Cerraste sesión en el proveedor de identidad de prueba. Puedes cerrar esta página o volver al portal."),
            StatusCodes.Status200OK);

    /// <summary>
    /// With error passthrough, OpenIddict leaves the errors it cannot send back to the client (unknown client, redirect
    /// URI not registered) to the application: they are shown here rather than redirected.
    /// </summary>
    private static IResult? ErrorPage(HttpContext context)
    {
        var response = context.GetOpenIddictServerResponse();
        if (response?.Error is not { } error)
        {
            return null;
        }

        return Html(context, SandboxIdentityPages.Message(
            "No se pudo iniciar la solicitud",
            "El proveedor de identidad de prueba rechazó la solicitud del portal y no puede devolverle el error. El detalle indica el parámetro que falta o no es válido (cliente, URI de retorno registradas en Sandbox:Identity:Client, PKCE).",
            $"{error}: {response.ErrorDescription}"),
            StatusCodes.Status400BadRequest);
    }

    private static IResult LoginAgain(HttpContext context, IAntiforgery antiforgery, SandboxIdentityOptions settings, string returnUrl, string? email, string error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = SandboxIdentityPages.Login(
            PagePath(context, settings, SandboxIdentityDefaults.LoginPath), returnUrl, tokens, settings.Accounts, settings.AllowAnyEmail, email, error);
        return Html(context, html, StatusCodes.Status400BadRequest);
    }

    private static IResult NoPendingRequest(HttpContext context) =>
        Html(context, SandboxIdentityPages.Message(
            "No hay un inicio de sesión en curso",
            "Esta página se abre desde el portal al iniciar sesión. Vuelve al portal y elige «Iniciar sesión»."),
            StatusCodes.Status400BadRequest);

    /// <summary>Only a return to this provider's own authorization endpoint is accepted (no open redirect).</summary>
    private static bool IsAuthorizationReturnUrl(HttpContext context, SandboxIdentityOptions settings, string returnUrl)
    {
        var authorizationPath = PagePath(context, settings, SandboxIdentityDefaults.AuthorizationPath);
        return returnUrl.Length <= MaxReturnUrlLength
            && returnUrl.StartsWith(authorizationPath + "?", StringComparison.Ordinal)
            && !returnUrl.Contains('\\', StringComparison.Ordinal);
    }

    private static string PagePath(HttpContext context, SandboxIdentityOptions settings, string relativePath) =>
        context.Request.PathBase + settings.PathPrefix + "/" + relativePath;

    private static IResult Html(HttpContext context, string html, int statusCode)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, HtmlContentType, statusCode: statusCode);
    }
}
