using System.Net;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>Signing in for real: the portal, the sandbox provider on its own port, and a cookie-keeping client between them.</summary>
public sealed class SignInTests(SignedInPortalFactory portal) : IClassFixture<SignedInPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_Anonymous_RedirectsToSignInWithTheReturnUrl()
    {
        using var browser = portal.CreateBrowser();

        using var response = await browser.GetAsync("/resumen?desde=2026-03-01");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/cuenta/ingresar?returnUrl=%2Fresumen%3Fdesde%3D2026-03-01", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_Start_AsksForAnAuthorizationCodeWithPkceS256InTheQuery()
    {
        using var browser = portal.CreateBrowser();

        using var response = await browser.GetAsync("/cuenta/ingresar?returnUrl=%2Fresumen");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(new Uri(portal.Provider.Issuer, "connect/authorize").AbsoluteUri, location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.False(query.ContainsKey("response_mode"), "no response_mode: the code comes back in the query, the code flow's default (not form_post)");
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.Equal(portal.Provider.ClientId, query["client_id"].ToString());
        Assert.Equal(new Uri(portal.ServerAddress, "/signin-oidc").AbsoluteUri, query["redirect_uri"].ToString());
        Assert.Equal(["openid", "profile", "email", "roles"], query["scope"].ToString().Split(' '));
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal) && c.Contains("samesite=lax", StringComparison.OrdinalIgnoreCase) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal) && c.Contains("samesite=lax", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SignIn_DemoOwner_GetsAnHttpOnlyLaxSessionCookieAndTheirOrganizersSummary()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = portal.EmailOf("demo-pacifico-owner");
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Owner);
        using var browser = portal.CreateBrowser();

        var landing = await browser.SignInAsync("/resumen", ("account", "demo-pacifico-owner"));

        Assert.Equal("/resumen", landing.OriginalString);
        var session = Assert.Single(browser.SignInSetCookies, c => c.StartsWith("bp.session=", StringComparison.Ordinal));
        Assert.Contains("path=/", session, StringComparison.Ordinal);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", session, StringComparison.OrdinalIgnoreCase);
        var (status, body) = await browser.GetPageAsync("/resumen");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(organizer.LegalName, body, StringComparison.Ordinal);
        Assert.Contains(organizer.TaxId, body, StringComparison.Ordinal);

        await using var db = portal.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == email, Ct);
        Assert.Equal("demo-pacifico-owner", user.Subject);
        Assert.Equal(portal.Provider.Issuer.AbsoluteUri, user.Issuer);
        Assert.Equal(OrganizerRole.Owner, (await db.OrganizerMembers.SingleAsync(m => m.UserId == user.Id, Ct)).Role);
        var invitation = await db.Invitations.SingleAsync(i => i.Email == email, Ct);
        Assert.Equal(user.Id, invitation.AcceptedByUserId);
        var audit = await db.AuditLog.Where(a => a.ActorUserId == user.Id).OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal([AuditAction.InvitationAccepted, AuditAction.SignIn], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(email, a.Actor));
        Assert.All(audit, a => Assert.Equal("127.0.0.1", a.IpAddress));
        Assert.All(audit, a => Assert.Equal(PortalBrowser.UserAgent, a.UserAgent));
        Assert.Equal(organizer.Id, audit[0].OrganizerId);
    }

    [Fact]
    public async Task SignIn_AnyEmailWithAViewerInvitation_BindsItCaseInsensitively()
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.InviteAsync(organizer.Id, "x@example.pe", OrganizerRole.Viewer);

        using var browser = await portal.SignInWithEmailAsync("X@Example.pe");

        await using var db = portal.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == "x@example.pe", Ct);
        var membership = await db.OrganizerMembers.SingleAsync(m => m.UserId == user.Id, Ct);
        Assert.Equal((organizer.Id, OrganizerRole.Viewer), (membership.OrganizerId, membership.Role));
        var (status, body) = await browser.GetPageAsync($"/miembros?org={organizer.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Solo los propietarios pueden invitar", body, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"invite-form\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_OnlyExpiredOrRevokedInvitations_BindsNothingAndShowsTheNoOrganizerPage()
    {
        var organizer = await portal.AddOrganizerAsync();
        var other = await portal.AddOrganizerAsync();
        const string email = "tarde@example.pe";
        await IdentitySeed.AddInvitationAsync(portal.DbFactory, organizer.Id, email, OrganizerRole.Owner, DateTimeOffset.UtcNow.AddMinutes(-1), cancellationToken: Ct);
        var revoked = await IdentitySeed.AddInvitationAsync(portal.DbFactory, other.Id, email, OrganizerRole.Viewer, DateTimeOffset.UtcNow.AddDays(3), cancellationToken: Ct);
        await using (var db = portal.CreateDbContext())
        {
            await db.Invitations.Where(i => i.Id == revoked.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, DateTimeOffset.UtcNow), Ct);
        }

        using var browser = await portal.SignInWithEmailAsync(email);

        using var summary = await browser.GetAsync("/resumen");
        Assert.Equal(HttpStatusCode.Redirect, summary.StatusCode);
        Assert.EndsWith("/sin-organizador", summary.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (status, body) = await browser.GetPageAsync("/sin-organizador");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Aún no perteneces a ningún organizador", body, StringComparison.Ordinal);
        Assert.Contains(email, body, StringComparison.Ordinal);
        Assert.DoesNotContain(organizer.LegalName, body, StringComparison.Ordinal);
        await using var check = portal.CreateDbContext();
        Assert.False(await check.OrganizerMembers.AnyAsync(m => m.User!.Email == email, Ct));
    }

    [Fact]
    public async Task SignIn_DemoAccountWithoutOrganizer_SeesTheNoOrganizerPage()
    {
        using var browser = await portal.SignInAsAccountAsync("demo-no-organizer");

        using var summary = await browser.FollowAsync(await browser.GetAsync("/resumen"));

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.EndsWith("/sin-organizador", summary.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("Aún no perteneces a ningún organizador", WebUtility.HtmlDecode(await summary.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_Twice_KeepsOneUserAndAuditsBoth()
    {
        const string email = "dos.veces@example.pe";
        using (await portal.SignInWithEmailAsync(email))
        {
        }

        using (await portal.SignInWithEmailAsync(email))
        {
        }

        await using var db = portal.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == email, Ct);
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.ActorUserId == user.Id && a.Action == AuditAction.SignIn, Ct));
        Assert.NotNull(user.LastSignInAt);
    }

    [Fact]
    public async Task SignIn_ReturnUrlOnAnotherSite_LandsOnTheHomePage()
    {
        using var browser = portal.CreateBrowser();

        var landing = await browser.SignInAsync("https://evil.example/robar", ("email", "cuidado@example.pe"));

        Assert.Equal("/", landing.OriginalString);
    }

    [Fact]
    public async Task AdminArea_PlatformAdmin_SeesTheAuditLog()
    {
        using var admin = await portal.SignInAsAccountAsync("demo-admin");

        var (status, body) = await admin.GetPageAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Registro de auditoría", body, StringComparison.Ordinal);
        Assert.Contains(portal.EmailOf("demo-admin"), body, StringComparison.Ordinal);
        Assert.Contains("Inicio de sesión", body, StringComparison.Ordinal);
        var (organizersStatus, organizers) = await admin.GetPageAsync("/admin/organizadores");
        Assert.Equal(HttpStatusCode.OK, organizersStatus);
        Assert.Contains("Organizadores", organizers, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/organizadores")]
    public async Task AdminArea_NotAnAdmin_Gets403AndTheAccessDeniedPage(string path)
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.InviteAsync(organizer.Id, "no.admin@example.pe", OrganizerRole.Owner);
        using var owner = await portal.SignInWithEmailAsync("no.admin@example.pe");

        var (status, body) = await owner.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Acceso denegado", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Registro de auditoría", body, StringComparison.Ordinal);
        Assert.DoesNotContain("audit-table", body, StringComparison.Ordinal);
        Assert.DoesNotContain("organizers-table", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionHereAndAtTheProvider()
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.InviteAsync(organizer.Id, "salida@example.pe", OrganizerRole.Owner);
        using var browser = await portal.SignInWithEmailAsync("salida@example.pe");
        var token = await browser.AntiforgeryTokenAsync($"/miembros?org={organizer.Id}");

        using var signOut = await browser.PostFormAsync("/cuenta/salir", ("__RequestVerificationToken", token));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var endSession = signOut.Headers.Location!;
        Assert.Equal(new Uri(portal.Provider.Issuer, "connect/endsession").AbsoluteUri, endSession.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(endSession.Query);
        Assert.False(string.IsNullOrEmpty(query["id_token_hint"]));
        Assert.Equal(new Uri(portal.ServerAddress, "/signout-callback-oidc").AbsoluteUri, query["post_logout_redirect_uri"].ToString());
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bp.session=;", StringComparison.Ordinal) && c.Contains("1970", StringComparison.Ordinal));

        using var end = await browser.FollowAsync(signOut);
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        Assert.Equal("/sesion-cerrada", end.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Null(browser.PortalCookie("bp.session"));

        using var again = await browser.GetAsync("/resumen");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/cuenta/ingresar", again.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The provider's session is gone too: signing in again shows its login page instead of returning a code at once.
        using var start = await browser.GetAsync("/cuenta/ingresar?returnUrl=%2F");
        using var authorize = await browser.GetAsync(start.Headers.Location!.AbsoluteUri);
        Assert.Contains("/account/login", authorize.Headers.Location!.OriginalString, StringComparison.Ordinal);

        await using var db = portal.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == "salida@example.pe", Ct);
        Assert.True(await db.AuditLog.AnyAsync(a => a.ActorUserId == user.Id && a.Action == AuditAction.SignOut, Ct));
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_Is400AndTheSessionStays()
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.InviteAsync(organizer.Id, "quedate@example.pe", OrganizerRole.Viewer);
        using var browser = await portal.SignInWithEmailAsync("quedate@example.pe");

        using var signOut = await browser.PostFormAsync("/cuenta/salir");

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.NotNull(browser.PortalCookie("bp.session"));
        using var summary = await browser.GetAsync($"/resumen?org={organizer.Id}");
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
    }
}
