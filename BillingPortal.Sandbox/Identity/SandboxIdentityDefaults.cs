namespace BillingPortal.Sandbox.Identity;

/// <summary>Names and demo values of the sandbox OpenID Connect provider.</summary>
public static class SandboxIdentityDefaults
{
    /// <summary>Where the provider lives inside the portal; the issuer is <c>{portal}/sandbox/oidc/</c>.</summary>
    public const string PathPrefix = "/sandbox/oidc";

    public const string ClientId = "billingportal";

    /// <summary>The provider's own sign-in cookie scheme (its session, not the portal's): never a default scheme.</summary>
    public const string CookieScheme = "BillingPortal.SandboxIdentity";

    /// <summary>The role claim value of a platform administrator.</summary>
    public const string PlatformAdminRole = "platform-admin";

    /// <summary>Scopes the client may ask for.</summary>
    public static readonly IReadOnlyList<string> Scopes = ["openid", "profile", "email", "roles", "offline_access"];

    // Endpoint paths relative to the issuer (OpenIddict resolves relative URIs against it: no leading '/').
    internal const string AuthorizationPath = "connect/authorize";
    internal const string TokenPath = "connect/token";
    internal const string UserInfoPath = "connect/userinfo";
    internal const string EndSessionPath = "connect/endsession";
    internal const string LoginPath = "account/login";
    internal const string SignedOutPath = "account/signed-out";

    /// <summary>
    /// The demo accounts: a platform administrator, the owner and a viewer of each of the two demo organizers, and a
    /// person who belongs to no organizer. Organizer membership lives in the portal; only <c>platform-admin</c> is a role
    /// claim. Addresses other than the administrator's use the reserved <c>.example</c> domain (RFC 2606).
    /// </summary>
    public static IReadOnlyList<SandboxIdentityAccount> DemoAccounts { get; } =
    [
        Account("demo-admin", "admin@billingportal.pe", "Ana Administradora", "Administradora de la plataforma", PlatformAdminRole),
        Account("demo-andina-owner", "lucia.quispe@andina-eventos.example", "Lucía Quispe", "Propietaria del segundo organizador de la demo"),
        Account("demo-andina-viewer", "jorge.ramos@andina-eventos.example", "Jorge Ramos", "Solo lectura en el segundo organizador de la demo"),
        Account("demo-pacifico-owner", "carmen.flores@pacifico-fest.example", "Carmen Flores", "Propietaria de Pacífico Sur Producciones (el organizador principal de la demo)"),
        Account("demo-pacifico-viewer", "diego.huaman@pacifico-fest.example", "Diego Huamán", "Solo lectura en Pacífico Sur Producciones"),
        Account("demo-no-organizer", "rosa.mendoza@correo.example", "Rosa Mendoza", "Sin organizador"),
    ];

    private static SandboxIdentityAccount Account(string subject, string email, string name, string description, params string[] roles)
    {
        var account = new SandboxIdentityAccount { Subject = subject, Email = email, Name = name, Description = description };
        foreach (var role in roles)
        {
            account.Roles.Add(role);
        }

        return account;
    }
}
