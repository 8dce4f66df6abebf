using Microsoft.AspNetCore.Authentication.Cookies;

namespace BillingPortal.Security;

/// <summary>
/// Chooses the session cookie's name per request: <see cref="PortalAuthenticationOptions.CookieName"/> (<c>__Host-bp</c>)
/// on HTTPS, <see cref="PortalAuthenticationOptions.InsecureCookieName"/> on plain HTTP, where a <c>__Host-</c> cookie
/// (which must be Secure) would be dropped by the browser. Chunking (large tickets) is kept.
/// </summary>
public sealed class SessionCookieManager(PortalAuthenticationOptions options) : ICookieManager
{
    private readonly ChunkingCookieManager _inner = new();

    /// <summary>The session cookie's name for this request.</summary>
    public string NameFor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.IsHttps ? options.CookieName : options.InsecureCookieName;
    }

    public string? GetRequestCookie(HttpContext context, string key) => _inner.GetRequestCookie(context, Map(context, key));

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        _inner.AppendResponseCookie(context, Map(context, key), value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options) =>
        _inner.DeleteCookie(context, Map(context, key), options);

    private string Map(HttpContext context, string key) =>
        string.Equals(key, options.CookieName, StringComparison.Ordinal) ? NameFor(context) : key;
}
