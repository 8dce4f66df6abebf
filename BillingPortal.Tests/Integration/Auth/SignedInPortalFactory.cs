using System.Net;
using System.Net.Sockets;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Sandbox.Identity;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>
/// The portal (real Kestrel on loopback, its own SQLite file) signing in through the sandbox OpenID Connect provider
/// running as a separate host on its own loopback port, exactly as it would through an external provider: discovery,
/// the authorization code with PKCE in the browser's query string, the code redeemed over the back channel, end-session.
/// Browsers (<see cref="CreateBrowser"/>) keep cookies and follow no redirects, so every hop can be checked.
/// </summary>
/// <remarks>
/// The provider must know the portal's callback URL before the portal starts, and the portal must know the provider's
/// issuer: the portal's port is therefore chosen first (a free loopback port), the provider started with it, then the
/// portal. Both <c>127.0.0.1</c> and <c>localhost</c> are registered as the portal's origin.
/// </remarks>
public class SignedInPortalFactory : BillingPortalFactory
{
    private SandboxIdentityHost? _provider;

    public SignedInPortalFactory()
    {
        Port = FreeLoopbackPort();
        UseKestrel(Port);
    }

    public int Port { get; }

    /// <summary>The sandbox provider, with the default demo accounts (admin@billingportal.pe is a platform admin).</summary>
    public SandboxIdentityHost Provider => _provider ?? throw new InvalidOperationException("The factory is not initialized.");

    public IDbContextFactory<BillingDbContext> DbFactory => Services.GetRequiredService<IDbContextFactory<BillingDbContext>>();

    public override async ValueTask InitializeAsync()
    {
        _provider = await SandboxIdentityHost.StartAsync(new Dictionary<string, string?>
        {
            [$"{SandboxIdentityOptions.SectionName}:Client:PortalBaseUrls:0"] = $"http://127.0.0.1:{Port}",
            [$"{SandboxIdentityOptions.SectionName}:Client:PortalBaseUrls:1"] = $"http://localhost:{Port}",
        }, TestContext.Current.CancellationToken);
        await base.InitializeAsync();
    }

    /// <summary>A browser on the portal: cookies kept (for the portal and the provider), no redirects followed.</summary>
    public PortalBrowser CreateBrowser() => new(ServerAddress);

    /// <summary>A new browser signed in with a demo account of the provider's login page (its <c>sub</c>, e.g. <c>demo-admin</c>).</summary>
    public async Task<PortalBrowser> SignInAsAccountAsync(string subject)
    {
        var browser = CreateBrowser();
        await browser.SignInAsync("/resumen", ("account", subject));
        return browser;
    }

    /// <summary>A new browser signed in through the login page's "any verified email" form.</summary>
    public async Task<PortalBrowser> SignInWithEmailAsync(string email)
    {
        var browser = CreateBrowser();
        await browser.SignInAsync("/resumen", ("email", email));
        return browser;
    }

    /// <summary>Stores an organizer (valid RUC) and returns it.</summary>
    public async Task<Organizer> AddOrganizerAsync()
    {
        var organizer = new OrganizerBuilder().Build();
        await using var db = CreateDbContext();
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return organizer;
    }

    /// <summary>Invites <paramref name="email"/> as the platform would (the demo's way), valid for a year.</summary>
    public async Task InviteAsync(int organizerId, string email, OrganizerRole role) =>
        Assert.True(await Services.GetRequiredService<MemberService>()
            .EnsurePlatformInvitationAsync(organizerId, email, role, TimeSpan.FromDays(365), TestContext.Current.CancellationToken));

    /// <summary>The demo account's email (from the provider's list).</summary>
    public string EmailOf(string subject) => Provider.Options.Accounts.Single(a => a.Subject == subject).Email;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_provider is not null) await _provider.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Authentication:Oidc:Authority"] = Provider.Issuer.AbsoluteUri;
        settings["Authentication:Oidc:ClientId"] = Provider.ClientId;
        settings["Authentication:Oidc:ClientSecret"] = Provider.ClientSecret;
        settings["Authentication:Oidc:RequireHttpsMetadata"] = "false";
        settings["Authentication:Oidc:UseSandbox"] = "false";
        settings["Authentication:Oidc:Scopes:0"] = "openid";
        settings["Authentication:Oidc:Scopes:1"] = "profile";
        settings["Authentication:Oidc:Scopes:2"] = "email";
        settings["Authentication:Oidc:Scopes:3"] = "roles";
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
