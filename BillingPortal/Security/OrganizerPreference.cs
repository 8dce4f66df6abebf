namespace BillingPortal.Security;

/// <summary>
/// The organizer a user chose last, remembered in a cookie (<c>__Host-bp.org</c> on HTTPS, <c>bp.org</c> on HTTP).
/// It is only a preference: every use goes through <see cref="Core.Identity.OrganizerAccessService"/>, which ignores
/// an organizer the user may not open.
/// </summary>
public static class OrganizerPreference
{
    public const string SecureCookieName = "__Host-bp.org";
    public const string InsecureCookieName = "bp.org";

    public static int? Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = context.Request.Cookies[CookieName(context)];
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }

    public static void Write(HttpContext context, int organizerId)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieName(context), organizerId.ToString(System.Globalization.CultureInfo.InvariantCulture), new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(365),
        });
    }

    private static string CookieName(HttpContext context) => context.Request.IsHttps ? SecureCookieName : InsecureCookieName;
}
