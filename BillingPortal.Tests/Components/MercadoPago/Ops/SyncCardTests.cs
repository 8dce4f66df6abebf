using System.Globalization;
using BillingPortal.Components.Pages.MercadoPago;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.MercadoPago.Ops;

/// <summary>
/// The «Sincronización» card of the connection page over the real sync service (<see cref="IPaymentSync.GetStatusAsync"/>)
/// and a real SQLite file: last success, «datos al día hasta», failures and the admins' alert, the nightly
/// reconciliation, the latest runs, «Sincronizar ahora» (owners; disabled with the time left while rate-limited), the
/// outcome messages, and the live refresh when the organizer's payments change. Times are shown in Lima.
/// </summary>
public sealed class SyncCardTests : MudTestContext
{
    private Organizer _organizer = null!;
    private PortalUser _user = null!;
    private bool _providers;

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task SeedAsync(OrganizerRole role, MercadoPagoLinkStatus? link = MercadoPagoLinkStatus.Active)
    {
        _organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer);
        (_user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, role, $"duena{Guid.NewGuid():N}@example.pe", Ct);
        SignIn(_user);
        if (link is not { } status) return;
        await using var db = Database.CreateContext();
        db.MercadoPagoLinks.Add(new MercadoPagoLink
        {
            OrganizerId = _organizer.Id,
            Status = status,
            MercadoPagoUserId = 241983636,
            AccountNickname = "PACIFICOSUR",
            Scopes = "offline_access read write",
            LinkedAt = Now.AddDays(-10),
            LinkedByUserId = _user.Id,
            AccessTokenExpiresAt = Now.AddDays(170),
            RenewalDueAt = Now.AddDays(140),
            StatusChangedAt = Now.AddDays(-10),
        });
        await db.SaveChangesAsync(Ct);
    }

    private async Task AddStateAsync(Action<MercadoPagoSyncState> configure, params MercadoPagoSyncRun[] runs)
    {
        var state = new MercadoPagoSyncState { OrganizerId = _organizer.Id };
        configure(state);
        await using var db = Database.CreateContext();
        db.MercadoPagoSyncStates.Add(state);
        foreach (var run in runs) run.OrganizerId = _organizer.Id;
        db.MercadoPagoSyncRuns.AddRange(runs);
        await db.SaveChangesAsync(Ct);
    }

    private static MercadoPagoSyncRun Run(SyncRunKind kind, SyncRunStatus status, DateTimeOffset started, TimeSpan? took, int pages = 1, int created = 0, int changed = 0, string? error = null) => new()
    {
        Kind = kind,
        Status = status,
        StartedAt = started,
        FinishedAt = took is { } t ? started + t : null,
        Pages = pages,
        PaymentsNew = created,
        PaymentsChanged = changed,
        ErrorMessage = error,
    };

    private IRenderedComponent<Connection> RenderPage(string? query = null)
    {
        if (!_providers)
        {
            Render<MudPopoverProvider>();
            _providers = true;
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo($"mercadopago?org={_organizer.Id}{query}");
        var cut = Render<Connection>();
        cut.WaitForElement("[data-testid=mercadopago-card]");
        return cut;
    }

    private static string Text(IRenderedComponent<Connection> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").TextContent.Replace('\u00A0', ' ').Trim();

    /// <summary>Moves fake time on in small steps until <paramref name="condition"/> holds (the debounce runs on it).</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(25, Ct);
        }
    }

    [Fact]
    public async Task SyncCard_ActiveLinkNeverSynced_SaysSoAndOffersSincronizarAhora()
    {
        await SeedAsync(OrganizerRole.Owner);

        var cut = RenderPage();

        Assert.Equal("Sincronización", cut.Find("[data-testid=sync-card] h2").TextContent.Trim());
        Assert.Contains("Todavía no hubo sincronizaciones", Text(cut, "sync-never"), StringComparison.Ordinal);
        Assert.Contains("cada 15 min", Text(cut, "sync-help"), StringComparison.Ordinal);
        var form = cut.Find("form[data-testid=sync-now-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("mercadopago/sincronizar", form.GetAttribute("action"));
        Assert.Equal(_organizer.Id.ToString(CultureInfo.InvariantCulture), form.QuerySelector("input[name=organizerId]")!.GetAttribute("value"));
        var button = cut.Find("button[data-testid=sync-now]");
        Assert.Equal("Sincronizar ahora", button.TextContent.Trim());
        Assert.Equal("submit", button.GetAttribute("type"));
        Assert.False(button.HasAttribute("disabled"));
        Assert.Contains("una vez cada 5 min", Text(cut, "sync-now-hint"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncCard_StateAndRuns_ShowsWhenTheDataIsUpToDateAndTheLatestRunsInLima()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddStateAsync(
            s =>
            {
                s.LastSuccessAt = Now.AddMinutes(-7);
                s.Cursor = Now.AddMinutes(-8);
                s.LastReconciliationAt = new DateTimeOffset(2026, 3, 20, 8, 0, 4, TimeSpan.Zero);
                s.InitialSyncCompletedAt = Now.AddDays(-9);
            },
            Run(SyncRunKind.Reconciliation, SyncRunStatus.Succeeded, new DateTimeOffset(2026, 3, 20, 8, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(75), pages: 12, changed: 3),
            Run(SyncRunKind.Incremental, SyncRunStatus.Succeeded, Now.AddMinutes(-7), TimeSpan.FromSeconds(2.5), pages: 2, created: 5, changed: 1),
            Run(SyncRunKind.Manual, SyncRunStatus.Running, Now.AddSeconds(-30), null));

        var cut = RenderPage();

        Assert.Equal("20/03/2026 09:53", Text(cut, "sync-last-success"));
        Assert.Equal("20/03/2026 09:52", Text(cut, "sync-cursor"));
        Assert.Equal("20/03/2026 03:00", Text(cut, "sync-last-reconciliation"));
        Assert.Empty(cut.FindAll("[data-testid=sync-failure]"));
        Assert.Empty(cut.FindAll("[data-testid=sync-failure-alert]"));
        var rows = cut.FindAll("[data-testid=sync-run]");
        Assert.Equal(["Manual", "Incremental", "Reconciliation"], rows.Select(r => r.GetAttribute("data-kind")));
        Assert.Equal(["Manual", "Programada", "Conciliación nocturna"], rows.Select(r => r.QuerySelector("[data-testid=sync-run-kind]")!.TextContent.Trim()));
        Assert.Equal(["En curso", "Correcta", "Correcta"], rows.Select(r => r.QuerySelector("[data-testid=sync-run-status]")!.TextContent.Trim()));
        Assert.Equal("2.5 s", rows[1].QuerySelector("[data-testid=sync-run-duration]")!.TextContent.Trim());
        Assert.Equal("1 min 15 s", rows[2].QuerySelector("[data-testid=sync-run-duration]")!.TextContent.Trim());
        Assert.Equal("20/03/2026 09:53", rows[1].QuerySelector("[data-testid=sync-run-start]")!.TextContent.Trim());
        Assert.Equal("2", rows[1].QuerySelector("[data-testid=sync-run-pages]")!.TextContent.Trim());
        Assert.Equal("5 / 1", rows[1].QuerySelector("[data-testid=sync-run-payments]")!.TextContent.Trim());
        Assert.Equal("0 / 3", rows[2].QuerySelector("[data-testid=sync-run-payments]")!.TextContent.Trim());
    }

    [Fact]
    public async Task SyncCard_FailingBelowTheAlertThreshold_ShowsTheErrorInSpanishAndTheNextAttempt()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddStateAsync(s =>
        {
            s.LastSuccessAt = Now.AddHours(-1);
            s.Cursor = Now.AddHours(-1);
            s.ConsecutiveFailures = 2;
            s.LastFailureAt = Now.AddMinutes(-2);
            s.LastErrorMessage = "Mercado Pago no respondió a tiempo.";
            s.NextAttemptAt = Now.AddMinutes(2);
        }, Run(SyncRunKind.Incremental, SyncRunStatus.Failed, Now.AddMinutes(-2), TimeSpan.FromSeconds(30), error: "Mercado Pago no respondió a tiempo."));

        var cut = RenderPage();

        var warning = Text(cut, "sync-failure");
        Assert.Contains("La última sincronización falló (2 fallo(s) seguidos)", warning, StringComparison.Ordinal);
        Assert.Contains("Mercado Pago no respondió a tiempo.", warning, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=sync-failure-alert]"));
        Assert.Equal("2", Text(cut, "sync-failure-count"));
        Assert.Equal("Mercado Pago no respondió a tiempo. (20/03/2026 09:58)", Text(cut, "sync-last-error"));
        Assert.Equal("20/03/2026 10:02", Text(cut, "sync-next-attempt"));
        Assert.Equal("Falló", Text(cut, "sync-run-status"));
        Assert.Equal("Mercado Pago no respondió a tiempo.", cut.Find("[data-testid=sync-run-status]").GetAttribute("title"));
    }

    [Fact]
    public async Task SyncCard_FailureAlertRaised_SaysSinceWhenAndThatOurTeamWasAlerted()
    {
        await SeedAsync(OrganizerRole.Owner);
        var firstFailure = new DateTimeOffset(2026, 3, 20, 13, 15, 0, TimeSpan.Zero);
        await AddStateAsync(
            s =>
            {
                s.LastSuccessAt = firstFailure.AddMinutes(-15);
                s.ConsecutiveFailures = 3;
                s.LastFailureAt = Now.AddMinutes(-10);
                s.LastErrorMessage = "Mercado Pago rechazó la autorización guardada.";
                s.NextAttemptAt = Now.AddMinutes(5);
            },
            Run(SyncRunKind.Incremental, SyncRunStatus.Succeeded, firstFailure.AddMinutes(-15), TimeSpan.FromSeconds(1)),
            Run(SyncRunKind.Incremental, SyncRunStatus.Failed, firstFailure, TimeSpan.FromSeconds(1)),
            Run(SyncRunKind.Incremental, SyncRunStatus.Failed, firstFailure.AddMinutes(15), TimeSpan.FromSeconds(1)),
            Run(SyncRunKind.Incremental, SyncRunStatus.Failed, Now.AddMinutes(-10), TimeSpan.FromSeconds(1)));

        var cut = RenderPage();

        Assert.Equal("La sincronización falla desde 20/03/2026 08:15. Nuestro equipo fue alertado.", Text(cut, "sync-failure-alert"));
        Assert.Empty(cut.FindAll("[data-testid=sync-failure]"));
        Assert.Equal("3", Text(cut, "sync-failure-count"));
        Assert.StartsWith("Mercado Pago rechazó la autorización guardada.", Text(cut, "sync-last-error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncCard_ManualSyncRateLimited_DisablesTheButtonWithTheTimeLeft()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddStateAsync(s => s.LastManualSyncAt = Now.AddMinutes(-2).AddSeconds(-10));

        var cut = RenderPage();

        Assert.True(cut.Find("button[data-testid=sync-now]").HasAttribute("disabled"));
        Assert.Equal("Ya sincronizaste hace poco. Podrás hacerlo de nuevo en 3 min.", Text(cut, "sync-now-wait"));
        Assert.Empty(cut.FindAll("[data-testid=sync-now-hint]"));
    }

    [Fact]
    public async Task SyncCard_Viewer_SeesTheStatusButNotSincronizarAhora()
    {
        await SeedAsync(OrganizerRole.Viewer);
        await AddStateAsync(s => s.LastSuccessAt = Now.AddMinutes(-3));

        var cut = RenderPage();

        Assert.Equal("20/03/2026 09:57", Text(cut, "sync-last-success"));
        Assert.Empty(cut.FindAll("[data-testid=sync-now-form]"));
    }

    [Fact]
    public async Task SyncCard_LinkDisconnected_SaysTheSyncNeedsTheConnectionAndOffersNoSync()
    {
        await SeedAsync(OrganizerRole.Owner, MercadoPagoLinkStatus.Disconnected);
        await AddStateAsync(s => s.LastSuccessAt = Now.AddDays(-1));

        var cut = RenderPage();

        Assert.Contains("solo funciona con la cuenta conectada", Text(cut, "sync-not-linked"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=sync-now-form]"));
    }

    [Fact]
    public async Task Connection_NeverLinked_ShowsNoSyncCard()
    {
        await SeedAsync(OrganizerRole.Owner, link: null);

        var cut = RenderPage();

        Assert.Empty(cut.FindAll("[data-testid=sync-card]"));
    }

    [Theory]
    [InlineData("&resultado=sync-iniciada", "Sincronización iniciada: los pagos nuevos aparecerán en unos momentos, sin recargar la página.")]
    [InlineData("&resultado=sync-limitada&espera=170", "Ya sincronizaste hace poco. Podrás hacerlo de nuevo en 3 min.")]
    [InlineData("&resultado=sync-limitada&espera=20", "Ya sincronizaste hace poco. Podrás hacerlo de nuevo en 1 min.")]
    [InlineData("&resultado=sync-sin-conexion", "Conecta tu cuenta de Mercado Pago para sincronizar los pagos.")]
    public async Task Connection_SyncOutcome_ShowsItsMessage(string query, string message)
    {
        await SeedAsync(OrganizerRole.Owner);

        var cut = RenderPage(query);

        Assert.Equal(message, cut.Find("[data-testid=mercadopago-outcome] .mud-alert-message").TextContent.Trim());
    }

    [Fact]
    public async Task SyncCard_PaymentsOfTheOrganizerChange_RefreshesWithoutReload()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddStateAsync(s => s.LastSuccessAt = Now.AddMinutes(-20), Run(SyncRunKind.Incremental, SyncRunStatus.Succeeded, Now.AddMinutes(-20), TimeSpan.FromSeconds(1)));
        var cut = RenderPage();
        Assert.Single(cut.FindAll("[data-testid=sync-run]"));
        Assert.Empty(cut.FindAll("[data-testid=sync-live-updated]"));

        await using (var db = Database.CreateContext())
        {
            var run = Run(SyncRunKind.Manual, SyncRunStatus.Succeeded, Now.AddSeconds(-5), TimeSpan.FromSeconds(2), created: 1);
            run.OrganizerId = _organizer.Id;
            db.MercadoPagoSyncRuns.Add(run);
            await db.MercadoPagoSyncStates.Where(s => s.OrganizerId == _organizer.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSuccessAt, Now.AddSeconds(-3)), Ct);
            await db.SaveChangesAsync(Ct);
        }

        Services.GetRequiredService<IPaymentChangeNotifier>().Publish([new PaymentChange(_organizer.Id, 1234, PaymentUpsertResult.Created, Now)]);
        await AdvanceUntilAsync(() => cut.FindAll("[data-testid=sync-run]").Count == 2);

        Assert.Equal(2, cut.FindAll("[data-testid=sync-run]").Count);
        Assert.Equal("Manual", cut.FindAll("[data-testid=sync-run]")[0].GetAttribute("data-kind"));
        Assert.StartsWith("Actualizado en vivo", Text(cut, "sync-live-updated"), StringComparison.Ordinal);
    }
}
