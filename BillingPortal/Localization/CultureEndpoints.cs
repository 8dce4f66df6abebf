using Microsoft.AspNetCore.Localization;

namespace BillingPortal.Localization;

/// <summary><c>GET /culture?culture=en-US&amp;redirectUri=/resumen</c>: stores the UI culture in a cookie and goes back.</summary>
public static class CultureEndpoints
{
    public const string Path = "/culture";

    public static IEndpointRouteBuilder MapCultureEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, SetCulture).ExcludeFromDescription();
        return app;
    }

    /// <summary>The base-relative link that switches to <paramref name="culture"/> and returns to <paramref name="redirectUri"/>.</summary>
    public static string LinkFor(string culture, string redirectUri) =>
        $"culture?culture={Uri.EscapeDataString(culture)}&redirectUri={Uri.EscapeDataString(redirectUri)}";

    internal static IResult SetCulture(HttpContext context, string? culture, string? redirectUri)
    {
        var matched = PortalCultures.Match(culture);
        if (matched is null)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Idioma no admitido",
                detail: $"El parámetro «culture» debe ser {string.Join(" o ", PortalCultures.Supported)}.");
        }

        var target = string.IsNullOrEmpty(redirectUri) ? "/" : redirectUri;
        if (!IsLocalUrl(target))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Dirección de retorno no válida",
                detail: "El parámetro «redirectUri» debe ser una ruta local del portal que empiece con «/».");
        }

        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(matched)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                IsEssential = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
        return Results.LocalRedirect(target);
    }

    /// <summary>
    /// A path on this site: starts with a single "/" (not "//" nor "/\", which browsers treat as another host),
    /// or is "~/..."; no control characters. Absolute URLs are never local.
    /// </summary>
    public static bool IsLocalUrl(string? url)
    {
        if (string.IsNullOrEmpty(url)) return false;
        if (url.Any(char.IsControl)) return false;
        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }

        return url.Length > 1 && url[0] == '~' && url[1] == '/' && (url.Length == 2 || (url[2] != '/' && url[2] != '\\'));
    }
}
