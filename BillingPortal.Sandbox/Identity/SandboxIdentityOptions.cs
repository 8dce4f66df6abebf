using System.ComponentModel.DataAnnotations;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// The sandbox OpenID Connect provider (section <c>Sandbox:Identity</c>): where it lives inside the host, the one client it
/// trusts and the demo accounts its login page offers. Sandbox only: production signs in through a real provider.
/// </summary>
public sealed class SandboxIdentityOptions
{
    public const string SectionName = "Sandbox:Identity";

    /// <summary>
    /// Path under which every endpoint of the provider is served; the issuer is <c>{origin}{PathBase}{PathPrefix}/</c>.
    /// Starts with '/', no trailing '/'.
    /// </summary>
    [Required]
    [RegularExpression("^(/[A-Za-z0-9._~-]+)+$", ErrorMessage = "PathPrefix must look like /sandbox/oidc (segments of letters, digits, '.', '_', '~', '-').")]
    public string PathPrefix { get; set; } = SandboxIdentityDefaults.PathPrefix;

    /// <summary>The confidential client (the portal) this provider trusts without asking for consent.</summary>
    [Required]
    public SandboxIdentityClientOptions Client { get; set; } = new();

    /// <summary>
    /// Accounts listed on the login page. Empty (the default) means <see cref="SandboxIdentityDefaults.DemoAccounts"/>;
    /// configuring any account replaces the whole list.
    /// </summary>
    public IList<SandboxIdentityAccount> Accounts { get; } = [];

    /// <summary>Whether the login page also accepts any e-mail address, signed in as verified (invitation tests).</summary>
    public bool AllowAnyEmail { get; set; } = true;

    /// <summary>How long the provider's own sign-in cookie lasts (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>The portal as an OpenID Connect client of the sandbox provider.</summary>
public sealed class SandboxIdentityClientOptions
{
    [Required]
    public string ClientId { get; set; } = SandboxIdentityDefaults.ClientId;

    /// <summary>
    /// The client secret. Leave it unset: a random one is generated when the host starts (sandbox only) and the in-process
    /// portal reads it from <c>IOptions&lt;SandboxIdentityOptions&gt;</c>. Set it (user-secrets or environment) only when
    /// another process must know it in advance.
    /// </summary>
    public string? ClientSecret { get; set; }

    [Required]
    public string DisplayName { get; set; } = "BillingPortal";

    /// <summary>
    /// Origins (and optional path base) of the portal, e.g. <c>http://localhost:5080</c>: each gets
    /// <see cref="CallbackPath"/> as a redirect URI and <see cref="SignedOutCallbackPath"/> as a post-logout URI.
    /// Empty (the default) means the addresses the host's own server listens on, wildcards read as <c>localhost</c>.
    /// </summary>
    public IList<string> PortalBaseUrls { get; } = [];

    /// <summary>The portal's OpenID Connect callback (the ASP.NET Core handler's default).</summary>
    [Required]
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>The portal's signed-out callback (the ASP.NET Core handler's default).</summary>
    [Required]
    public string SignedOutCallbackPath { get; set; } = "/signout-callback-oidc";

    /// <summary>Extra absolute redirect URIs, registered as given.</summary>
    public IList<string> RedirectUris { get; } = [];

    /// <summary>Extra absolute post-logout redirect URIs, registered as given.</summary>
    public IList<string> PostLogoutRedirectUris { get; } = [];

    /// <summary>True when <see cref="ClientSecret"/> was generated at start-up rather than configured.</summary>
    internal bool ClientSecretGenerated { get; set; }
}

/// <summary>One account offered by the login page. E-mails are issued as verified.</summary>
public sealed class SandboxIdentityAccount
{
    /// <summary>The stable <c>sub</c> claim.</summary>
    public string Subject { get; set; } = "";

    public string Email { get; set; } = "";

    /// <summary>The <c>name</c> claim, shown on the login page.</summary>
    public string Name { get; set; } = "";

    /// <summary>Shown under the name on the login page (e.g. which organizer the demo data makes this person a member of).</summary>
    public string? Description { get; set; }

    /// <summary>Values of the <c>role</c> claim (e.g. <c>platform-admin</c>).</summary>
    public IList<string> Roles { get; } = [];
}
