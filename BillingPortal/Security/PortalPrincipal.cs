using System.Globalization;
using System.Security.Claims;
using BillingPortal.Core.Identity;

namespace BillingPortal.Security;

/// <summary>
/// The claims of the portal's session cookie, written once at sign-in (<see cref="OidcSignInEvents"/>), and the one
/// place that turns them into a <see cref="PortalIdentity"/>. Memberships are never in the cookie: they are read from
/// the database on every request, so a role change or a removal takes effect at once.
/// </summary>
public static class PortalPrincipal
{
    public const string UserIdClaim = "bp:uid";
    public const string SubjectClaim = "sub";
    public const string IssuerClaim = "iss";
    public const string EmailClaim = "email";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";
    public const string AuthenticationType = "BillingPortal";

    /// <summary>The session's identity, or null when nobody (or no portal user) is signed in.</summary>
    public static PortalIdentity? ToIdentity(ClaimsPrincipal? principal, PortalAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (principal?.Identity?.IsAuthenticated != true) return null;
        if (!int.TryParse(principal.FindFirstValue(UserIdClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)) return null;
        var email = principal.FindFirstValue(EmailClaim);
        if (string.IsNullOrEmpty(email)) return null;
        return new PortalIdentity(userId, email, IsPlatformAdmin(principal, email, options.Oidc));
    }

    /// <summary>A platform admin has the admin role claim or one of the configured admin emails.</summary>
    public static bool IsPlatformAdmin(ClaimsPrincipal principal, string email, OidcOptions options)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(options);
        if (principal.HasClaim(RoleClaim, options.AdminRole)) return true;
        return options.AdminEmails.Any(a => string.Equals(EmailAddress.Normalize(a), email, StringComparison.Ordinal));
    }

    /// <summary>The session principal: only what the portal needs, so the cookie stays small.</summary>
    public static ClaimsPrincipal Create(int userId, string issuer, string subject, string email, string? name, IEnumerable<string> roles)
    {
        var identity = new ClaimsIdentity(AuthenticationType, NameClaim, RoleClaim);
        identity.AddClaim(new Claim(UserIdClaim, userId.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(IssuerClaim, issuer));
        identity.AddClaim(new Claim(SubjectClaim, subject));
        identity.AddClaim(new Claim(EmailClaim, email));
        identity.AddClaim(new Claim(NameClaim, string.IsNullOrWhiteSpace(name) ? email : name));
        foreach (var role in roles.Distinct(StringComparer.Ordinal)) identity.AddClaim(new Claim(RoleClaim, role));
        return new ClaimsPrincipal(identity);
    }
}
