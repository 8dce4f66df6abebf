namespace BillingPortal.Security;

/// <summary>How this server signs people in, decided once at start-up from <see cref="PortalAuthenticationOptions"/>.</summary>
/// <param name="Enabled">Whether an OpenID Connect provider is configured (or the sandbox runs in-process).</param>
/// <param name="UsesSandbox">Whether the sandbox provider runs inside this portal under <c>/sandbox/oidc</c>.</param>
/// <param name="AuthorityOrigin">The external provider's origin (<c>https://login.example</c>), for the CSP's form-action; null for the in-process sandbox.</param>
public sealed record PortalSignInMode(bool Enabled, bool UsesSandbox, string? AuthorityOrigin);
