using BillingPortal.Components.Pages.Admin;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Identity;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.MercadoPago;

/// <summary>The admin alerts page: open alerts with what, whom, since when and how often; «Marcar como resuelta».</summary>
public sealed class OpenAlertsPageTests : MudTestContext
{
    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenAlerts_OpenAlerts_AreListedMostSevereFirstAndResolvedOnClick()
    {
        var organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(organizer);
        var admin = await IdentitySeed.AddUserAsync(Database.Factory, "admin@billingportal.pe", Ct);
        SignIn(admin, platformAdmin: true);
        var alerts = Services.GetRequiredService<IAdminAlerts>();
        var key = $"{AlertKinds.ReauthorizationRequired}:org:{organizer.Id}";
        await alerts.RaiseAsync(AlertKinds.RenewalFailing, $"{AlertKinds.RenewalFailing}:org:{organizer.Id}", AlertSeverity.Warning, organizer.Id,
            "La renovación falla", "Mercado Pago no respondió.", Ct);
        await alerts.RaiseAsync(AlertKinds.ReauthorizationRequired, key, AlertSeverity.Critical, organizer.Id,
            "Requiere reautorización", "invalid_grant al renovar.", Ct);
        await alerts.RaiseAsync(AlertKinds.ReauthorizationRequired, key, AlertSeverity.Critical, organizer.Id,
            "Requiere reautorización", "invalid_grant al renovar.", Ct);
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();

        var cut = Render<OpenAlerts>();

        cut.WaitForElement("[data-testid=alerts-table]");
        Assert.Equal("2 alerta(s) abierta(s)", cut.Find("[data-testid=alerts-count]").TextContent.Trim());
        await using var db = Database.CreateContext();
        var critical = await db.AdminAlerts.SingleAsync(a => a.Key == key, Ct);
        var rows = cut.FindAll("tbody tr");
        Assert.Contains("Requiere reautorización", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("La renovación falla", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("Crítica", cut.Find($"[data-testid=alert-{critical.Id}-severity]").TextContent.Trim());
        Assert.Equal("Mercado Pago: requiere reautorización", cut.Find($"[data-testid=alert-{critical.Id}-kind]").TextContent.Trim());
        Assert.Equal(organizer.LegalName, cut.Find($"[data-testid=alert-{critical.Id}-organizer]").TextContent.Trim());
        Assert.Equal("2", cut.Find($"[data-testid=alert-{critical.Id}-occurrences]").TextContent.Trim());
        Assert.Equal("invalid_grant al renovar.", cut.Find($"[data-testid=alert-{critical.Id}-detail]").TextContent.Trim());
        Assert.Equal("20/03/2026 10:00", cut.Find($"[data-testid=alert-{critical.Id}-first-seen]").TextContent.Trim());

        await cut.InvokeAsync(() => cut.Find($"button[data-testid=alert-{critical.Id}-resolve]").Click());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-testid=alert-{critical.Id}-resolve]")));
        Assert.Equal("1 alerta(s) abierta(s)", cut.Find("[data-testid=alerts-count]").TextContent.Trim());
        await using var after = Database.CreateContext();
        var resolved = await after.AdminAlerts.AsNoTracking().SingleAsync(a => a.Id == critical.Id, Ct);
        Assert.NotNull(resolved.ResolvedAt);
        Assert.Equal("admin@billingportal.pe", resolved.ResolvedBy);
    }

    [Fact]
    public async Task OpenAlerts_NoneOpen_ShowsTheEmptyState()
    {
        var admin = await IdentitySeed.AddUserAsync(Database.Factory, "admin@billingportal.pe", Ct);
        SignIn(admin, platformAdmin: true);

        var cut = Render<OpenAlerts>();

        cut.WaitForElement("[data-testid=alerts-empty]");
        Assert.Equal("0 alerta(s) abierta(s)", cut.Find("[data-testid=alerts-count]").TextContent.Trim());
    }

    [Fact]
    public async Task OpenAlerts_NotAPlatformAdmin_SeesNoAlerts()
    {
        var organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(organizer);
        var (user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, organizer.Id, OrganizerRole.Owner, "duena@example.pe", Ct);
        SignIn(user);
        await Services.GetRequiredService<IAdminAlerts>().RaiseAsync(AlertKinds.LinkRevoked, "k", AlertSeverity.Warning, organizer.Id, "Revocada", null, Ct);

        var cut = Render<OpenAlerts>();

        cut.WaitForElement("[data-testid=alerts-empty]");
        Assert.DoesNotContain("Revocada", cut.Markup, StringComparison.Ordinal);
    }
}
