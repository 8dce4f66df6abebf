namespace BillingPortal.Security;

/// <summary>
/// Sign-in and the session (section <c>Authentication</c>). The session is a cookie named <see cref="CookieName"/>
/// (<c>__Host-bp</c>: Secure, Path=/, no Domain) on HTTPS requests; browsers refuse <c>__Host-</c> cookies without
/// Secure, so plain-HTTP requests (the local demo, the tests on loopback) use <see cref="InsecureCookieName"/> instead.
/// </summary>
public sealed class PortalAuthenticationOptions
{
    public const string SectionName = "Authentication";

    /// <summary>The session cookie's name on HTTPS.</summary>
    public string CookieName { get; set; } = "__Host-bp";

    /// <summary>The session cookie's name on plain HTTP (no <c>__Host-</c> prefix, which requires Secure).</summary>
    public string InsecureCookieName { get; set; } = "bp.session";

    /// <summary>Idle time after which the session ends (sliding: each request renews it). Default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public OidcOptions Oidc { get; set; } = new();
}

/// <summary>The OpenID Connect provider (section <c>Authentication:Oidc</c>).</summary>
public sealed class OidcOptions
{
    /// <summary>The provider's issuer URL. Empty: the sandbox provider runs inside the portal (Development or demo mode), or sign-in is off.</summary>
    public string? Authority { get; set; }

    public string ClientId { get; set; } = "billingportal";

    /// <summary>From user-secrets or the environment (<c>Authentication__Oidc__ClientSecret</c>), never from appsettings.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes to ask for; <c>openid</c> is always asked for. Default: openid, profile, email.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>The id_token claim that carries roles (e.g. <c>role</c>, Entra ID: <c>roles</c>).</summary>
    public string RoleClaimType { get; set; } = "role";

    /// <summary>The role value of a platform admin.</summary>
    public string AdminRole { get; set; } = "platform-admin";

    /// <summary>Emails that are platform admins whatever their roles (compared lower-case, after a verified sign-in).</summary>
    public IList<string> AdminEmails { get; } = [];

    /// <summary>Whether the metadata must come over HTTPS; false only for a provider on loopback (tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Run the sandbox provider inside the portal under <c>/sandbox/oidc</c>. Unset: yes when <see cref="Authority"/>
    /// is empty and the portal runs in Development or demo mode.
    /// </summary>
    public bool? UseSandbox { get; set; }

    internal IEnumerable<string> EffectiveScopes =>
        (Scopes.Count == 0 ? ["openid", "profile", "email"] : Scopes.Prepend("openid")).Distinct(StringComparer.Ordinal);
}
