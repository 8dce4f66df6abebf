using System.Text.RegularExpressions;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Browser;

/// <summary>
/// Signing in, switching organizer, managing members and signing out in Chromium, through the sandbox OpenID Connect
/// provider's own login page (a separate host, as a real provider would be), under the portal's Content-Security-Policy.
/// </summary>
public sealed class SignInTests(BrowserFixture browser, BrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<BrowserPortalFactory>
{
    [Fact]
    public async Task DemoOwner_PicksTheirAccountOnTheLoginPage_LandsOnTheirOrganizersSummary()
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.InviteAsync(organizer.Id, portal.EmailOf("demo-andina-owner"), OrganizerRole.Owner);
        var page = await NewPageAsync(portal);
        var blocked = CollectPolicyViolations(page);

        await page.GotoAsync("");
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(portal.Provider.Issuer.AbsoluteUri) + "account/login"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Lucía Quispe" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/resumen\\?org={organizer.Id}&desde=\\d{{4}}-\\d{{2}}-01&hasta="));
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("summary-organizer-name")).ToContainTextAsync(organizer.LegalName);
        await Expect(page.GetByTestId("summary-organizer-name")).ToContainTextAsync(organizer.TaxId);
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Lucía Quispe");
        // A new organizer with no Mercado Pago link and no payments: the dashboard asks to link it.
        await Expect(page.GetByTestId("summary-empty-unlinked")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-members")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-admin")).ToHaveCountAsync(0);
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task Admin_PicksTheAdminAccount_ReadsTheAuditLogAndSignsOutEverywhere()
    {
        await portal.AddOrganizerAsync();
        var page = await NewPageAsync(portal);
        var blocked = CollectPolicyViolations(page);
        await page.GotoAsync("resumen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ana Administradora" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/resumen\\?org="));
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("summary-read-only")).ToBeVisibleAsync();

        await page.GetByTestId("nav-admin-audit").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Registro de auditoría");
        await Expect(page.GetByTestId("audit-actor").First).ToHaveTextAsync(portal.EmailOf("demo-admin"));
        await Expect(page.GetByTestId("audit-action").First).ToHaveTextAsync("Inicio de sesión");
        await ScreenshotAsync(page, "audit-log");

        await page.GetByTestId("user-menu").GetByRole(AriaRole.Button).ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(portal.ServerAddress, "sesion-cerrada").AbsoluteUri);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cerraste sesión");
        await page.GotoAsync("resumen");
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(portal.Provider.Issuer.AbsoluteUri) + "account/login"));
        await using var db = portal.CreateDbContext();
        Assert.True(await db.AuditLog.AnyAsync(a => a.Action == AuditAction.SignOut && a.Actor == portal.EmailOf("demo-admin"), CancellationToken));
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task MemberOfTwoOrganizers_SwitchesInTheAppBar_AndTheChoiceIsRemembered()
    {
        var first = await portal.AddOrganizerAsync();
        var second = await portal.AddOrganizerAsync();
        var user = BrowserUser.ViewerOf(first.Id);
        await portal.InviteAsync(second.Id, user.Email, OrganizerRole.Owner);
        var page = await SignedInPageAsync(portal, user, $"resumen?org={first.Id}");
        await Expect(page.GetByTestId("summary-organizer-name")).ToContainTextAsync(first.LegalName);

        await page.GetByTestId("organizer-current").ClickAsync();
        await page.WaitForNewDocumentAsync(() => page.GetByTestId($"organizer-option-{second.Id}").ClickAsync());

        await Expect(page.GetByTestId("summary-organizer-name")).ToContainTextAsync(second.LegalName);
        Assert.Equal(second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QueryValue("org"));
        await page.GotoAsync("miembros");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("members-organizer")).ToContainTextAsync(second.LegalName);
        await Expect(page.GetByTestId("invite-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Owner_InvitesAndRevokes_OnTheMembersPage()
    {
        var organizer = await portal.AddOrganizerAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(organizer.Id), $"miembros?org={organizer.Id}");

        await page.GetByTestId("invite-email").FillAsync("nueva.lectora@example.pe");
        await page.GetByTestId("invite-submit").ClickAsync();

        var row = page.GetByTestId("invitations-table").GetByRole(AriaRole.Row).Filter(new() { HasText = "nueva.lectora@example.pe" });
        await Expect(row).ToContainTextAsync("Lector");
        await ScreenshotAsync(page, "invited");
        await page.GetByTestId("invite-email").FillAsync("nueva.lectora@example.pe");
        await page.GetByTestId("invite-submit").ClickAsync();
        await Expect(page.GetByText("Ya hay una invitación pendiente para ese correo.")).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Revocar la invitación a nueva.lectora@example.pe" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revocar", Exact = true }).Last.ClickAsync();

        await Expect(page.GetByTestId("invitations-empty")).ToBeVisibleAsync();
        await using var db = portal.CreateDbContext();
        var invitation = await db.Invitations.SingleAsync(i => i.OrganizerId == organizer.Id && i.Email == "nueva.lectora@example.pe", CancellationToken);
        Assert.NotNull(invitation.RevokedAt);
        var audit = await db.AuditLog.Where(a => a.OrganizerId == organizer.Id && a.Target == $"invitation:{invitation.Id}").Select(a => a.Action).ToListAsync(CancellationToken);
        Assert.Equal([AuditAction.InvitationCreated, AuditAction.InvitationRevoked], audit.Order());
    }

    /// <summary>Console messages in which the browser reports content the Content-Security-Policy blocked.</summary>
    private static List<string> CollectPolicyViolations(IPage page)
    {
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                || message.Text.Contains("Refused to", StringComparison.OrdinalIgnoreCase))
            {
                lock (blocked) blocked.Add(message.Text);
            }
        };
        return blocked;
    }
}
