using BillingPortal.Core.Auditing;

namespace BillingPortal.Security;

/// <summary>
/// What an interactive circuit needs from the HTTP request that opened the page, which the circuit itself cannot see:
/// the remembered organizer (a cookie), the theme in effect (a cookie) and the origin for the audit log. App.razor reads it from the request and passes
/// it to Routes as a parameter (protected by Data Protection in the page's component marker, so the browser cannot
/// alter it); Routes stores it in the circuit's <see cref="PortalSessionAccessor"/>.
/// </summary>
public sealed record PortalSession(int? PreferredOrganizerId, string? IpAddress, string? UserAgent, bool? DarkTheme = null)
{
    public static PortalSession Empty { get; } = new(null, null, null);

    public static PortalSession From(HttpContext? context)
    {
        if (context is null) return Empty;
        var origin = RequestOrigin.Of(context);
        return new PortalSession(OrganizerPreference.Read(context), origin.IpAddress, origin.UserAgent,
            Components.Layout.ThemePreference.FromCookie(context.Request.Cookies[Components.Layout.ThemePreference.CookieName]));
    }

    public AuditOrigin Origin => new(IpAddress, UserAgent);
}

/// <summary>The circuit's (or the prerendering request's) <see cref="PortalSession"/>.</summary>
public sealed class PortalSessionAccessor
{
    public PortalSession Current { get; set; } = PortalSession.Empty;
}
