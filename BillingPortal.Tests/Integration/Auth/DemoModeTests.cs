using System.Net;
using BillingPortal.Sandbox.Identity;
using BillingPortal.Security;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>
/// The portal exactly as the demo runs: demo mode on, no provider configured, so the sandbox provider runs inside the
/// portal under /sandbox/oidc; the start-up seeds a small data set and invites the demo accounts to its first two organizers.
/// </summary>
public sealed class DemoPortalFactory : BillingPortalFactory
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Demo:Enabled"] = "true";
        settings["Demo:Scale"] = "300";
    }
}

public sealed class DemoModeTests(DemoPortalFactory portal) : IClassFixture<DemoPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void DemoMemberships_EveryEmail_IsADemoAccountOfTheSandbox()
    {
        var sandbox = SandboxIdentityDefaults.DemoAccounts.Select(a => a.Email).ToHashSet(StringComparer.Ordinal);

        Assert.All(DemoMemberships.Accounts, a => Assert.Contains(a.Email, sandbox));
        Assert.Equal(4, DemoMemberships.Accounts.Select(a => a.Email).Distinct().Count());
    }

    [Fact]
    public async Task DemoStart_InvitesTheDemoAccountsToTheFirstTwoOrganizers()
    {
        await using var db = portal.CreateDbContext();
        var firstTwo = await db.Organizers.OrderBy(o => o.Id).Select(o => o.Id).Take(2).ToListAsync(Ct);
        var invitations = await db.Invitations.Select(i => new { i.OrganizerId, i.Email, i.Role, i.InvitedByUserId }).ToListAsync(Ct);

        foreach (var (index, email, role) in DemoMemberships.Accounts)
        {
            Assert.Contains(invitations, i => i.OrganizerId == firstTwo[index] && i.Email == email && i.Role == role && i.InvitedByUserId == null);
        }

        Assert.Equal("Pacífico Sur Producciones S.A.C.", await db.Organizers.Where(o => o.Id == firstTwo[0]).Select(o => o.LegalName).SingleAsync(Ct));
    }

    [Theory]
    [InlineData("demo-pacifico-owner", 0, false)]
    [InlineData("demo-andina-viewer", 1, true)]
    public async Task DemoAccount_PickedOnTheInProcessLoginPage_LandsOnItsOrganizersSummary(string account, int organizerIndex, bool readOnly)
    {
        string legalName;
        await using (var db = portal.CreateDbContext())
        {
            legalName = await db.Organizers.OrderBy(o => o.Id).Skip(organizerIndex).Select(o => o.LegalName).FirstAsync(Ct);
        }

        using var browser = new PortalBrowser(portal.ServerAddress);
        var landing = await browser.SignInAsync("/resumen", ("account", account));

        Assert.Equal("/resumen", landing.OriginalString);
        var (status, body) = await browser.GetPageAsync("/resumen");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(legalName, body, StringComparison.Ordinal);
        Assert.Equal(readOnly, body.Contains("data-testid=\"summary-read-only\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DemoAdmin_SeesTheAdminArea()
    {
        using var browser = new PortalBrowser(portal.ServerAddress);
        await browser.SignInAsync("/admin", ("account", "demo-admin"));

        var (status, body) = await browser.GetPageAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Registro de auditoría", body, StringComparison.Ordinal);
        Assert.Contains("Invitación creada", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoLoginPage_IsServedInProcessWithSecurityHeaders()
    {
        using var browser = new PortalBrowser(portal.ServerAddress);
        using var start = await browser.GetAsync("/cuenta/ingresar?returnUrl=%2F");
        Assert.StartsWith(new Uri(portal.ServerAddress, "/sandbox/oidc/connect/authorize").AbsoluteUri, start.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);

        using var authorize = await browser.GetAsync(start.Headers.Location!.AbsoluteUri);
        using var login = await browser.GetAsync(new Uri(start.Headers.Location!, authorize.Headers.Location!).AbsoluteUri);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        // The provider's pages send their own, stricter policy (no scripts at all); the portal's other headers stay.
        Assert.Contains("frame-ancestors 'none'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("Lucía Quispe", WebUtility.HtmlDecode(await login.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }
}
