using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BillingPortal.Sandbox.Identity;

/// <summary>Who signed in at the sandbox provider: a configured account or any verified e-mail.</summary>
internal sealed record SandboxIdentityUser(string Subject, string Email, string Name, IReadOnlyList<string> Roles)
{
    private const string AuthenticationType = "BillingPortal.SandboxIdentity";

    public static SandboxIdentityUser FromAccount(SandboxIdentityAccount account) =>
        new(account.Subject, account.Email, account.Name, [.. account.Roles]);

    /// <summary>
    /// A person known only by e-mail: a configured account with that e-mail if there is one, otherwise a subject derived
    /// from the lower-cased address (stable across runs, so the portal sees the same <c>sub</c> every time) and no roles.
    /// </summary>
    public static SandboxIdentityUser FromEmail(string email, IEnumerable<SandboxIdentityAccount> accounts)
    {
        var account = accounts.FirstOrDefault(a => string.Equals(a.Email, email, StringComparison.OrdinalIgnoreCase));
        if (account is not null)
        {
            return FromAccount(account);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant()));
        var subject = "email-" + Convert.ToHexStringLower(hash)[..32];
        return new(subject, email, email[..email.IndexOf('@', StringComparison.Ordinal)], []);
    }

    /// <summary>The provider's own session cookie carries the person, with OpenID Connect claim types.</summary>
    public ClaimsPrincipal ToSessionPrincipal()
    {
        var identity = new ClaimsIdentity(SandboxIdentityDefaults.CookieScheme, Claims.Name, Claims.Role);
        AddClaims(identity);
        return new ClaimsPrincipal(identity);
    }

    public static SandboxIdentityUser? FromSessionPrincipal(ClaimsPrincipal principal)
    {
        var subject = principal.GetClaim(Claims.Subject);
        var email = principal.GetClaim(Claims.Email);
        var name = principal.GetClaim(Claims.Name);
        return subject is null || email is null || name is null
            ? null
            : new(subject, email, name, [.. principal.GetClaims(Claims.Role)]);
    }

    /// <summary>
    /// The principal OpenIddict turns into tokens. Claims follow the granted scopes: <c>name</c> with <c>profile</c>,
    /// <c>email</c> and <c>email_verified</c> with <c>email</c>, <c>role</c> with <c>roles</c>; each goes to both the
    /// access token (so userinfo can return it) and the id_token. <c>sub</c> is always issued.
    /// </summary>
    public ClaimsPrincipal ToTokenPrincipal(IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(AuthenticationType, Claims.Name, Claims.Role);
        AddClaims(identity);
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            Claims.Name when identity.HasScope(Scopes.Profile) => [Destinations.AccessToken, Destinations.IdentityToken],
            Claims.Email or Claims.EmailVerified when identity.HasScope(Scopes.Email) => [Destinations.AccessToken, Destinations.IdentityToken],
            Claims.Role when identity.HasScope(Scopes.Roles) => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [],
        });
        return new ClaimsPrincipal(identity);
    }

    private void AddClaims(ClaimsIdentity identity)
    {
        identity.SetClaim(Claims.Subject, Subject);
        identity.SetClaim(Claims.Name, Name);
        identity.SetClaim(Claims.Email, Email);
        identity.SetClaim(Claims.EmailVerified, true);
        identity.SetClaims(Claims.Role, [.. Roles]);
    }
}
