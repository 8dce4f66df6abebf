using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace BillingPortal.Tests.Integration.Caching;

/// <summary>
/// The report cache with a REAL Redis as its second level (<see cref="TestRedis"/>; skipped without one, failed under
/// CI): two service providers over one database and one Redis are two portal instances. What one instance computed
/// reaches the other through Redis (the types survive the JSON serializer; statement files their own), and an
/// organizer's invalidation on one instance is seen by the other (the <see cref="ReportCacheBus"/> message), while an
/// instance that never met the tag reads HybridCache's invalidation time from Redis without any message.
/// </summary>
public sealed class ReportCacheRedisTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, CacheTestKit.Lima));
    private readonly DatePeriod _november = DatePeriod.Month(2026, 11);
    private readonly List<ServiceProvider> _instances = [];
    private SqliteTestDatabase _db = null!;
    private string _redis = null!;
    private string _prefix = null!;
    private int _first;
    private int _second;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(Ct);
        (_first, _second) = await CacheTestKit.TwoOrganizersAsync(_db, Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 3, new DateTimeOffset(2026, 11, 10, 10, 0, 0, CacheTestKit.Lima), Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _second, 2, new DateTimeOffset(2026, 11, 11, 10, 0, 0, CacheTestKit.Lima), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        await _db.DisposeAsync();
    }

    /// <summary>A portal instance sharing the test's Redis prefix (started lazily: the Redis check may skip the test).</summary>
    private async Task<ServiceProvider> InstanceAsync()
    {
        _redis ??= await TestRedis.RequireAsync();
        _prefix ??= TestRedis.NewInstanceName();
        var instance = CacheTestKit.Instance(_db, _time, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = _redis,
            ["Cache:RedisInstanceName"] = _prefix,
        });
        _instances.Add(instance);
        _ = instance.GetRequiredService<ReportCache>(); // starts listening to the other instances
        await instance.GetRequiredService<ReportCacheBus>().WhenSubscribedAsync();
        return instance;
    }

    [Fact]
    public async Task WithRedis_TheSecondLevelIsRedis()
    {
        var a = await InstanceAsync();
        Assert.IsAssignableFrom<RedisCache>(a.GetRequiredService<IDistributedCache>());
        await a.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_first, _november, null, Ct);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis);
        var keys = redis.GetServers().Single().Keys(pattern: _prefix + "*").Select(k => k.ToString()).ToList();
        Assert.Contains(keys, k => k.StartsWith(_prefix + $"r1:org:{_first}:dashboard:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_ComputedByOneInstance_IsServedByTheOtherFromRedis_EqualToTheOriginal()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        var computed = await a.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_first, _november, null, Ct);
        var events = await a.GetRequiredService<CachedDashboardQueries>().GetEventsAsync(_first, null, Ct);
        var balance = await a.GetRequiredService<CachedDashboardQueries>().GetBalanceAsync(_first, null, Ct);
        Assert.NotEmpty(computed.Series);
        Assert.NotEmpty(computed.ByPaymentMethod);
        Assert.NotEmpty(balance.NextReleases);

        // Behind the cache's back: a fresh read would now differ, so an equal answer on B came from Redis.
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 2, new DateTimeOffset(2026, 11, 12, 10, 0, 0, CacheTestKit.Lima), Ct);
        var fromRedis = await b.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_first, _november, null, Ct);

        Assert.NotSame(computed, fromRedis);
        Assert.Equal(CacheTestKit.Json(computed), CacheTestKit.Json(fromRedis));
        Assert.Equal(computed.Current, fromRedis.Current); // records of scalars: equal field by field, decimals to the cent
        Assert.Equal(computed.Balance.NextReleases, fromRedis.Balance.NextReleases);
        Assert.Equal(computed.Series, fromRedis.Series);
        Assert.Equal(computed.ByPaymentMethod, fromRedis.ByPaymentMethod);
        Assert.Equal(events, await b.GetRequiredService<CachedDashboardQueries>().GetEventsAsync(_first, null, Ct));
        Assert.Equal(CacheTestKit.Json(balance), CacheTestKit.Json(await b.GetRequiredService<CachedDashboardQueries>().GetBalanceAsync(_first, null, Ct)));
        Assert.Equal(5, (await b.GetRequiredService<DashboardQueries>().GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
    }

    [Fact]
    public async Task StatementBytes_RenderedByOneInstance_AreServedByTheOtherFromRedis()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        var access = new OrganizerAccess(_first, OrganizerRole.Viewer, 7, "viewer@example.com");
        var request = new StatementRequest(_first, _november);
        foreach (var format in new[] { StatementFormat.Pdf, StatementFormat.Xlsx, StatementFormat.Csv })
        {
            var made = Assert.IsType<CachedStatementResult.File>(await a.GetRequiredService<CachedStatements>().RequestAsync(access, request, format, ';', Ct));
            var served = Assert.IsType<CachedStatementResult.File>(await b.GetRequiredService<CachedStatements>().RequestAsync(access, request, format, ';', Ct));

            Assert.Equal((false, true), (made.FromCache, served.FromCache));
            Assert.Equal(made.Statement.FileName, served.Statement.FileName);
            Assert.Equal(made.Statement.Content, served.Statement.Content);
        }
    }

    [Fact]
    public async Task InvalidationOnOneInstance_IsSeenByTheOther_AndOnlyForThatOrganizer()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        var onA = a.GetRequiredService<CachedDashboardQueries>();
        var onB = b.GetRequiredService<CachedDashboardQueries>();
        // Both instances hold both organizers' dashboards (B in its memory too, and it has met both tags).
        Assert.Equal(3, (await onA.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        Assert.Equal(3, (await onB.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        Assert.Equal(2, (await onB.GetDashboardAsync(_second, _november, null, Ct)).Current.Sales);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 1, new DateTimeOffset(2026, 11, 20, 9, 0, 0, CacheTestKit.Lima), Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _second, 1, new DateTimeOffset(2026, 11, 20, 9, 0, 0, CacheTestKit.Lima), Ct);
        Assert.Equal(3, (await onB.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales); // still cached

        var busOfB = b.GetRequiredService<ReportCacheBus>();
        var received = busOfB.Received;
        await a.GetRequiredService<ReportCache>().InvalidateOrganizerAsync(_first, Ct);
        await WaitUntilAsync(() => busOfB.Received > received);

        Assert.Equal(4, (await onB.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        Assert.Equal(4, (await onA.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        Assert.Equal(2, (await onB.GetDashboardAsync(_second, _november, null, Ct)).Current.Sales); // not evicted

        // An instance started after the invalidation, that never met the tag, gets it from Redis (HybridCache alone).
        var c = await InstanceAsync();
        Assert.Equal(4, (await c.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        Assert.Equal(2, (await c.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_second, _november, null, Ct)).Current.Sales);
    }

    [Fact]
    public async Task WithoutTheMessage_HybridCacheAloneKeepsAnInstancesCopy_UntilItsLifetime()
    {
        // What HybridCache 10 guarantees by itself (ADR-010): an instance that already met the organizer's tag does not
        // re-read its invalidation time from Redis; only the message (or the lifetimes) make it drop its copy.
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        Assert.Equal(3, (await b.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 1, new DateTimeOffset(2026, 11, 20, 9, 0, 0, CacheTestKit.Lima), Ct);

        // A's invalidation in its own process and in Redis only: no message to B.
        await a.GetRequiredService<ReportCache>().InvalidateLocallyAsync(ReportCacheKeys.OrganizerTag(_first), Ct);

        Assert.Equal(4, (await a.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        Assert.Equal(3, (await b.GetRequiredService<CachedDashboardQueries>().GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // A bounded wait for the pub/sub message (delivered in milliseconds on loopback), not a timing assertion.
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(50, Ct);
        Assert.True(condition(), "The other instance did not receive the invalidation message within 10 s.");
    }
}
