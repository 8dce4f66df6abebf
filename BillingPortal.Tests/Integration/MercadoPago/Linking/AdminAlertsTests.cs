using BillingPortal.Core.Alerts;
using BillingPortal.Core.Identity;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.MercadoPago.Linking;

/// <summary><see cref="AdminAlerts"/> and <see cref="AdminAlertQueries"/> over a real SQLite file.</summary>
public sealed class AdminAlertsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PortalIdentity Admin = new(1, "admin@example.pe", IsPlatformAdmin: true);

    private readonly FakeTimeProvider _time = new(Start);
    private SqliteTestDatabase _db = null!;
    private AdminAlerts _alerts = null!;
    private AdminAlertQueries _queries = null!;
    private int _organizerId;

    public async ValueTask InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);
        _alerts = new AdminAlerts(_db.Factory, _time);
        _queries = new AdminAlertQueries(_db.Factory, _time);
        await using var db = _db.CreateContext();
        var organizer = new OrganizerBuilder().Build();
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        _organizerId = organizer.Id;
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task RaiseAsync_SameKeyTwiceWhileOpen_CountsOneMoreOccurrenceOnTheSameRow()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = AdminAlerts.KeyFor(AlertKinds.RenewalFailing, _organizerId);

        await _alerts.RaiseAsync(AlertKinds.RenewalFailing, key, AlertSeverity.Warning, _organizerId, "Primera", "detalle 1", ct);
        _time.Advance(TimeSpan.FromHours(1));
        await _alerts.RaiseAsync(AlertKinds.RenewalFailing, key, AlertSeverity.Critical, _organizerId, "Segunda", "detalle 2", ct);

        await using var db = _db.CreateContext();
        var alert = await db.AdminAlerts.AsNoTracking().SingleAsync(ct);
        Assert.Equal((2, Start, Start.AddHours(1)), (alert.Occurrences, alert.CreatedAt, alert.LastSeenAt));
        Assert.Equal((AlertSeverity.Critical, "Segunda", "detalle 2"), (alert.Severity, alert.Title, alert.Detail));
        Assert.Equal((_organizerId, AlertKinds.RenewalFailing, key), (alert.OrganizerId, alert.Kind, alert.Key));
        Assert.Null(alert.ResolvedAt);
    }

    [Fact]
    public async Task ResolveAsync_OpenAlert_StampsWhoAndWhenAndALaterRaiseOpensANewRow()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = AdminAlerts.KeyFor(AlertKinds.ReauthorizationRequired, _organizerId);
        await _alerts.RaiseAsync(AlertKinds.ReauthorizationRequired, key, AlertSeverity.Critical, _organizerId, "Reautorizar", null, ct);
        _time.Advance(TimeSpan.FromMinutes(5));

        await _alerts.ResolveAsync(key, "owner@example.pe", ct);
        _time.Advance(TimeSpan.FromMinutes(5));
        await _alerts.RaiseAsync(AlertKinds.ReauthorizationRequired, key, AlertSeverity.Critical, _organizerId, "Reautorizar", null, ct);

        await using var db = _db.CreateContext();
        var alerts = await db.AdminAlerts.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        Assert.Equal(2, alerts.Count);
        Assert.Equal((Start.AddMinutes(5), "owner@example.pe", 1), (alerts[0].ResolvedAt, alerts[0].ResolvedBy, alerts[0].Occurrences));
        Assert.Equal(((DateTimeOffset?)null, 1, Start.AddMinutes(10)), (alerts[1].ResolvedAt, alerts[1].Occurrences, alerts[1].CreatedAt));
    }

    [Fact]
    public async Task ResolveAsync_NoOpenAlert_ChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;

        await _alerts.ResolveAsync("mercadopago.link-revoked:org:999", "x", ct);

        await using var db = _db.CreateContext();
        Assert.Equal(0, await db.AdminAlerts.CountAsync(ct));
    }

    [Fact]
    public async Task GetOverviewAsync_Admin_OpenNewestFirstAndRecentlyResolved()
    {
        var ct = TestContext.Current.CancellationToken;
        await _alerts.RaiseAsync(AlertKinds.SyncFailing, "a", AlertSeverity.Warning, _organizerId, "A", null, ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _alerts.RaiseAsync(AlertKinds.SyncFailing, "b", AlertSeverity.Warning, null, "B", null, ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _alerts.RaiseAsync(AlertKinds.SyncFailing, "c", AlertSeverity.Info, null, "C", null, ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _alerts.RaiseAsync(AlertKinds.SyncFailing, "a", AlertSeverity.Warning, _organizerId, "A", null, ct);
        await _alerts.ResolveAsync("c", "admin@example.pe", ct);

        var overview = await _queries.GetOverviewAsync(Admin, AdminAlertQueries.DefaultResolvedCount, ct);

        Assert.NotNull(overview);
        Assert.Equal(["A", "B"], overview.Open.Select(a => a.Title));
        Assert.Equal(2, overview.Open[0].Occurrences);
        Assert.NotNull(overview.Open[0].OrganizerName);
        Assert.Equal(["C"], overview.RecentlyResolved.Select(a => a.Title));
    }

    [Fact]
    public async Task Queries_NotAnAdmin_GetNothingAndResolveNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await _alerts.RaiseAsync(AlertKinds.SyncFailing, "a", AlertSeverity.Warning, _organizerId, "A", null, ct);
        var owner = new PortalIdentity(2, "owner@example.pe", IsPlatformAdmin: false);
        await using var db = _db.CreateContext();
        var id = await db.AdminAlerts.Select(a => a.Id).SingleAsync(ct);

        Assert.Null(await _queries.GetOverviewAsync(owner, 10, ct));
        Assert.Null(await _queries.ListOpenForOrganizerAsync(owner, _organizerId, ct));
        Assert.False(await _queries.ResolveAsync(owner, id, ct));
        Assert.True(await _queries.ResolveAsync(Admin, id, ct));
        Assert.False(await _queries.ResolveAsync(Admin, id, ct));
    }
}
