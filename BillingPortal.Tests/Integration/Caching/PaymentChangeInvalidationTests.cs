using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Reporting;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Integration.MercadoPago.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.Caching;

/// <summary>
/// The payment write path (the upserter shared by the sync and the webhooks) and the report cache: after its commit the
/// organizer's cached reports are dropped, before the open pages are told to reload, so what a page reads on that signal
/// is fresh; another organizer's entries stay.
/// </summary>
public sealed class PaymentChangeInvalidationTests : IAsyncLifetime
{
    private SqliteTestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private long _seller;
    private int _organizerId;
    private int _eventId;
    private int _otherOrganizerId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync(Ct);
        _seller = SyncTestKit.NewSellerId();
        (_organizerId, _eventId) = await SyncTestKit.NewOrganizerAsync(_database, _seller, Ct);
        (_otherOrganizerId, _) = await SyncTestKit.NewOrganizerAsync(_database, SyncTestKit.NewSellerId(), Ct);
        _services = PaymentUpserterTests.BuildServices(_database, logs: null, extra: services =>
        {
            services.AddSingleton<DashboardQueries>();
            services.AddReportCache(new ConfigurationBuilder().Build());
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Upsert_InvalidatesTheOrganizersReportsBeforeTheLivePagesAreTold()
    {
        var upserter = _services.GetRequiredService<IPaymentUpserter>();
        var cached = _services.GetRequiredService<CachedDashboardQueries>();
        var notifier = _services.GetRequiredService<IPaymentChangeNotifier>();
        var now = DateTimeOffset.UtcNow;
        var period = DashboardPeriods.Of(PeriodPreset.Last30Days, AccountingCalendar.Lima.LocalDate(now));
        var first = SyncTestKit.Sale(_seller, 150m, await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 150m, Ct), now, TimeSpan.FromHours(2));
        await upserter.UpsertAsync(_organizerId, [first], Ct);
        Assert.Equal(1, (await cached.GetDashboardAsync(_organizerId, period, null, Ct)).Current.Sales);
        var other = await cached.GetDashboardAsync(_otherOrganizerId, period, null, Ct);
        Assert.Equal(0, other.Current.Sales);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_database, TimeProvider.System, _otherOrganizerId, 1, now.AddHours(-3), Ct);

        // What a live page does on the signal: read its figures again (through the cache).
        var seenByThePage = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = notifier.Subscribe(_organizerId, async _ =>
            seenByThePage.TrySetResult((await cached.GetDashboardAsync(_organizerId, period, null, CancellationToken.None)).Current.Sales));

        var second = SyncTestKit.Sale(_seller, 90m, await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 90m, Ct), now, TimeSpan.FromHours(1));
        Assert.Equal(PaymentUpsertResult.Created, Assert.Single(await upserter.UpsertAsync(_organizerId, [second], Ct)).Result);

        Assert.Equal(2, await seenByThePage.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(2, (await cached.GetDashboardAsync(_organizerId, period, null, Ct)).Current.Sales);
        Assert.Equal(240m, (await cached.GetPeriodSummaryAsync(_organizerId, period, null, Ct)).GrossSales);
        // The other organizer's entry was not evicted: a payment of theirs written behind the cache's back is not seen yet.
        Assert.Equal(1, (await _services.GetRequiredService<DashboardQueries>().GetDashboardAsync(_otherOrganizerId, period, null, Ct)).Current.Sales);
        Assert.Equal(CacheTestKit.Json(other), CacheTestKit.Json(await cached.GetDashboardAsync(_otherOrganizerId, period, null, Ct)));
    }

    [Fact]
    public async Task UnchangedUpsert_KeepsTheCache()
    {
        var upserter = _services.GetRequiredService<IPaymentUpserter>();
        var cache = _services.GetRequiredService<ReportCache>();
        var now = DateTimeOffset.UtcNow;
        var sale = SyncTestKit.Sale(_seller, 150m, await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 150m, Ct), now, TimeSpan.FromHours(2));
        await upserter.UpsertAsync(_organizerId, [sale], Ct);
        var generation = cache.GenerationOf(_organizerId);
        Assert.NotEqual(cache.GenerationOf(_otherOrganizerId), generation); // the created payment did invalidate

        Assert.Equal(PaymentUpsertResult.Unchanged, Assert.Single(await upserter.UpsertAsync(_organizerId, [sale], Ct)).Result);

        Assert.Equal(generation, cache.GenerationOf(_organizerId));
    }
}
