using BillingPortal.Components.Layout;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.Layout;

/// <summary>
/// The layout's statement notifications (issue #7 §5): members of the organizer shown get a snackbar with the download
/// link when a queued statement is ready, a badge, and the list of statements ready recently; nobody else gets anything.
/// </summary>
public sealed class StatementNotificationsTests : MudTestContext
{
    private Organizer _organizer = null!;

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StatementExportNotifier Notifier => Services.GetRequiredService<StatementExportNotifier>();

    private async Task<StatementExport> SeedAsync(bool member = true)
    {
        _organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer);
        if (member)
        {
            var (user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, OrganizerRole.Viewer, "contadora@example.pe", Ct);
            SignIn(user);
        }
        else
        {
            SignIn(await IdentitySeed.AddUserAsync(Database.Factory, "admin@example.pe", Ct), platformAdmin: true);
        }

        var ready = new StatementExport
        {
            Id = Guid.NewGuid(),
            OrganizerId = _organizer.Id,
            Kind = StatementExportKind.OnDemand,
            PeriodFrom = new DateOnly(2026, 2, 1),
            PeriodTo = new DateOnly(2026, 2, 28),
            Format = StatementFormat.Xlsx,
            Status = StatementExportStatus.Completed,
            LinesTotal = 30_000,
            LinesWritten = 30_000,
            FileName = "estado-de-cuenta_productora_2026-02-01_2026-02-28.xlsx",
            StoragePath = "x.xlsx",
            CreatedAt = Now.AddHours(-2),
            CompletedAt = Now.AddHours(-1),
            ExpiresAt = Now.AddDays(6),
        };
        await using var db = Database.CreateContext();
        db.StatementExports.Add(ready);
        await db.SaveChangesAsync(Ct);
        return ready;
    }

    private IRenderedComponent<StatementNotifications> RenderOn(string page)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"{page}?org={_organizer.Id}");
        return Render<StatementNotifications>();
    }

    private StatementExportFinished Finished(StatementExportStatus status = StatementExportStatus.Completed, int? organizerId = null) =>
        new(organizerId ?? _organizer.Id, Guid.NewGuid(), "estado-de-cuenta_productora_2026-03-01_2026-03-31.csv", StatementFormat.Csv, status);

    [Fact]
    public async Task Member_WhenAQueuedStatementIsReady_GetsASnackbarWithTheDownloadLink_AndABadge()
    {
        await SeedAsync();
        var snackbars = Render<MudSnackbarProvider>();
        var cut = RenderOn("resumen");
        cut.WaitForElement("[data-testid=statement-notifications-button]");
        Assert.Equal(1, Notifier.SubscriberCount);

        var finished = Finished();
        Notifier.Publish(Finished(organizerId: _organizer.Id + 1000)); // another organizer's: nothing
        Notifier.Publish(finished);

        snackbars.WaitForAssertion(() =>
        {
            var notice = snackbars.Find("[data-testid=statement-ready-notification]");
            Assert.Contains($"Tu estado de cuenta {finished.FileName} está listo.", notice.TextContent, StringComparison.Ordinal);
        });
        Assert.Single(snackbars.FindAll("[data-testid=statement-ready-notification]"));
        var link = snackbars.Find("[data-testid=statement-ready-download]");
        Assert.Equal($"estados-de-cuenta/archivos/{finished.ExportId:D}?org={_organizer.Id}", link.GetAttribute("href"));
        cut.WaitForAssertion(() => Assert.Contains("1", cut.Find(".mud-badge").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Member_FailedStatement_GetsAnErrorSnackbarPointingToThePage()
    {
        await SeedAsync();
        var snackbars = Render<MudSnackbarProvider>();
        var cut = RenderOn("eventos");
        cut.WaitForElement("[data-testid=statement-notifications-button]");

        Notifier.Publish(Finished(StatementExportStatus.Failed));

        snackbars.WaitForAssertion(() => Assert.Contains("No se pudo generar tu estado de cuenta", snackbars.Find("[data-testid=statement-failed-notification]").TextContent,
            StringComparison.Ordinal));
        Assert.Empty(snackbars.FindAll("[data-testid=statement-ready-notification]"));
    }

    [Fact]
    public async Task Member_OpeningTheBell_ListsTheStatementsReadyRecently_WithTheirLinks()
    {
        var ready = await SeedAsync();
        var popovers = Render<MudPopoverProvider>();
        var cut = RenderOn("resumen");

        await cut.Find("[data-testid=statement-notifications-button]").ClickAsync(new());

        popovers.WaitForAssertion(() =>
        {
            var item = popovers.Find($"[data-testid=statement-notification-{ready.Id:N}]");
            Assert.Contains(ready.FileName, item.TextContent, StringComparison.Ordinal);
            Assert.Contains("Listo el 20/03/2026 09:00", item.TextContent, StringComparison.Ordinal); // 14:00 UTC in Lima
        });
        Assert.EndsWith($"estados-de-cuenta/archivos/{ready.Id:D}?org={_organizer.Id}", popovers.Find($"[data-testid=statement-notification-{ready.Id:N}]").GetAttribute("href") ??
            popovers.Find($"[data-testid=statement-notification-{ready.Id:N}] a").GetAttribute("href"), StringComparison.Ordinal);
        Assert.EndsWith($"estados-de-cuenta?org={_organizer.Id}", popovers.Find("[data-testid=statement-notifications-all]").GetAttribute("href")
            ?? popovers.Find("[data-testid=statement-notifications-all] a").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlatformAdminWhoIsNotAMember_GetsNoBellAndNoNotification()
    {
        await SeedAsync(member: false);
        var snackbars = Render<MudSnackbarProvider>();
        var cut = RenderOn("resumen");

        cut.WaitForState(() => cut.Instance is not null);
        Notifier.Publish(Finished());

        Assert.Empty(cut.FindAll("[data-testid=statement-notifications-button]"));
        Assert.Equal(0, Notifier.SubscriberCount);
        Assert.Empty(snackbars.FindAll("[data-testid=statement-ready-notification]"));
    }
}
