using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Caching;

/// <summary>
/// The report cache in this process's memory over a real SQLite file: hits and misses, invalidation by organizer
/// (and only that organizer), keys that never mix organizers, statements served from the cache equal to a fresh render.
/// Payments are written «behind the cache's back» so a stale answer proves it came from the cache.
/// </summary>
public sealed class ReportCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, CacheTestKit.Lima));
    private readonly DatePeriod _november = DatePeriod.Month(2026, 11);
    private SqliteTestDatabase _db = null!;
    private ServiceProvider _app = null!;
    private int _first;
    private int _second;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CachedDashboardQueries Cached => _app.GetRequiredService<CachedDashboardQueries>();

    private DashboardQueries Fresh => _app.GetRequiredService<DashboardQueries>();

    private ReportCache Cache => _app.GetRequiredService<ReportCache>();

    public async ValueTask InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(Ct);
        _app = CacheTestKit.Instance(_db, _time);
        (_first, _second) = await CacheTestKit.TwoOrganizersAsync(_db, Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 3, new DateTimeOffset(2026, 11, 10, 10, 0, 0, CacheTestKit.Lima), Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _second, 5, new DateTimeOffset(2026, 11, 11, 10, 0, 0, CacheTestKit.Lima), Ct, amount: 80m);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_MissThenHit_TheHitIsTheCachedValueEvenAfterTheDatabaseChanged()
    {
        var first = await Cached.GetDashboardAsync(_first, _november, null, Ct);
        Assert.Equal(CacheTestKit.Json(await Fresh.GetDashboardAsync(_first, _november, null, Ct)), CacheTestKit.Json(first));
        Assert.Equal(3, first.Current.Sales);

        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 2, new DateTimeOffset(2026, 11, 12, 10, 0, 0, CacheTestKit.Lima), Ct);
        var hit = await Cached.GetDashboardAsync(_first, _november, null, Ct);

        Assert.Equal(CacheTestKit.Json(first), CacheTestKit.Json(hit));
        Assert.Equal(5, (await Fresh.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
    }

    [Fact]
    public async Task InvalidateOrganizer_MakesItsNextReadsFresh_AndLeavesTheOtherOrganizersEntries()
    {
        var firstBefore = await Cached.GetDashboardAsync(_first, _november, null, Ct);
        var secondBefore = await Cached.GetDashboardAsync(_second, _november, null, Ct);
        var secondEvents = await Cached.GetEventsAsync(_second, null, Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 1, new DateTimeOffset(2026, 11, 20, 9, 0, 0, CacheTestKit.Lima), Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _second, 1, new DateTimeOffset(2026, 11, 20, 9, 0, 0, CacheTestKit.Lima), Ct);

        await Cache.InvalidateOrganizerAsync(_first, Ct);

        var firstAfter = await Cached.GetDashboardAsync(_first, _november, null, Ct);
        Assert.Equal((3, 4), (firstBefore.Current.Sales, firstAfter.Current.Sales));
        Assert.Equal(CacheTestKit.Json(await Fresh.GetDashboardAsync(_first, _november, null, Ct)), CacheTestKit.Json(firstAfter));
        // The second organizer's entries survived: still the value from before its own (uninvalidated) change.
        var secondAfter = await Cached.GetDashboardAsync(_second, _november, null, Ct);
        Assert.Equal(CacheTestKit.Json(secondBefore), CacheTestKit.Json(secondAfter));
        Assert.Equal(5, secondAfter.Current.Sales);
        Assert.Equal(6, (await Fresh.GetDashboardAsync(_second, _november, null, Ct)).Current.Sales);
        Assert.Equal(CacheTestKit.Json(secondEvents), CacheTestKit.Json(await Cached.GetEventsAsync(_second, null, Ct)));

        await Cache.InvalidateAllAsync(Ct);
        Assert.Equal(6, (await Cached.GetDashboardAsync(_second, _november, null, Ct)).Current.Sales);
    }

    [Fact]
    public async Task SameRequestOfTwoOrganizers_NeverSharesAnEntry()
    {
        var first = await Cached.GetDashboardAsync(_first, _november, null, Ct);
        var second = await Cached.GetDashboardAsync(_second, _november, null, Ct);
        var firstSummary = await Cached.GetPeriodSummaryAsync(_first, _november, null, Ct);
        var secondSummary = await Cached.GetPeriodSummaryAsync(_second, _november, null, Ct);
        var firstBalance = await Cached.GetBalanceAsync(_first, null, Ct);
        var secondBalance = await Cached.GetBalanceAsync(_second, null, Ct);

        Assert.Equal((_first, 3, 450m), (first.OrganizerId, first.Current.Sales, first.Current.GrossSales));
        Assert.Equal((_second, 5, 400m), (second.OrganizerId, second.Current.Sales, second.Current.GrossSales));
        Assert.Equal((3, 5), (firstSummary.Sales, secondSummary.Sales));
        Assert.Equal(CacheTestKit.Json(await Fresh.GetBalanceAsync(_first, null, Ct)), CacheTestKit.Json(firstBalance));
        Assert.Equal(CacheTestKit.Json(await Fresh.GetBalanceAsync(_second, null, Ct)), CacheTestKit.Json(secondBalance));
        Assert.NotEqual(firstBalance.Pending, secondBalance.Pending);
    }

    [Fact]
    public async Task Keys_AlwaysStartWithTheOrganizer_AndSeparateEveryPartOfTheRequest()
    {
        var today = new DateOnly(2026, 11, 28);
        var keys = new[]
        {
            ReportCacheKeys.Dashboard(1, _november, null, null, today),
            ReportCacheKeys.Dashboard(12, _november, null, null, today),
            ReportCacheKeys.Dashboard(1, _november, 7, null, today),
            ReportCacheKeys.Dashboard(1, _november, null, DatePeriod.Month(2025, 11), today),
            ReportCacheKeys.Dashboard(1, _november, null, null, today.AddDays(1)),
            ReportCacheKeys.Dashboard(1, new DatePeriod(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 29)), null, null, today),
            ReportCacheKeys.Summary(1, _november, null),
            ReportCacheKeys.Balance(1, null, today),
            ReportCacheKeys.Events(1, null, today),
            ReportCacheKeys.Events(1, _november, today),
            ReportCacheKeys.Event(1, 7, null, today),
            ReportCacheKeys.Statement(new StatementRequest(1, _november), StatementFormat.Csv, ',', today),
            ReportCacheKeys.Statement(new StatementRequest(1, _november), StatementFormat.Csv, ';', today),
            ReportCacheKeys.Statement(new StatementRequest(1, _november), StatementFormat.Pdf, ',', today),
            ReportCacheKeys.Statement(new StatementRequest(1, _november, 7), StatementFormat.Pdf, ',', today),
            ReportCacheKeys.Statement(new StatementRequest(12, _november), StatementFormat.Pdf, ',', today),
        };

        Assert.Equal(keys.Length, keys.Select(k => k.Value).Distinct(StringComparer.Ordinal).Count());
        foreach (var key in keys)
            Assert.StartsWith($"r1:org:{key.OrganizerId}:", key.Value, StringComparison.Ordinal);
        // The separator only matters for CSV.
        Assert.Equal(
            ReportCacheKeys.Statement(new StatementRequest(1, _november), StatementFormat.Xlsx, ',', today),
            ReportCacheKeys.Statement(new StatementRequest(1, _november), StatementFormat.Xlsx, ';', today));
        Assert.Equal("org:12", ReportCacheKeys.OrganizerTag(12));
    }

    [Fact]
    public async Task TheLimaDateIsPartOfTheKeys_ANewDayReadsAgain()
    {
        var before = await Cached.GetBalanceAsync(_first, null, Ct);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 1, new DateTimeOffset(2026, 11, 28, 9, 0, 0, CacheTestKit.Lima), Ct);
        Assert.Equal(CacheTestKit.Json(before), CacheTestKit.Json(await Cached.GetBalanceAsync(_first, null, Ct)));

        _time.Advance(TimeSpan.FromHours(12)); // 00:00 of the 29th in Lima

        var after = await Cached.GetBalanceAsync(_first, null, Ct);
        Assert.Equal(CacheTestKit.Json(await Fresh.GetBalanceAsync(_first, null, Ct)), CacheTestKit.Json(after));
        Assert.True(after.Pending > before.Pending);
    }

    [Fact]
    public async Task Event_OfAnotherOrganizer_IsNotFoundAndStaysSo()
    {
        await using var db = _db.CreateContext();
        var ev = new Core.Events.Event
        {
            OrganizerId = _second,
            ExternalId = "evt_cache_1",
            Name = "Concierto",
            Venue = "Estadio",
            StartsAt = _time.GetUtcNow().AddDays(10),
            Capacity = 100,
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
        };
        db.Events.Add(ev);
        await db.SaveChangesAsync(Ct);

        Assert.Null(await Cached.GetEventAsync(_first, ev.Id, null, Ct));
        var own = await Cached.GetEventAsync(_second, ev.Id, null, Ct);
        Assert.Equal(("Concierto", EventState.Upcoming), (own!.Name, own.State));
        Assert.Null(await Cached.GetEventAsync(_first, ev.Id, null, Ct));
    }

    [Fact]
    public async Task SmallStatement_RepeatedDownloadComesFromTheCache_EqualToAFreshRender_UntilItsOrganizerChanges()
    {
        var statements = _app.GetRequiredService<CachedStatements>();
        var exports = _app.GetRequiredService<StatementExports>();
        var access = new OrganizerAccess(_first, OrganizerRole.Viewer, 7, "viewer@example.com");
        var request = new StatementRequest(_first, _november);

        var first = Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, request, StatementFormat.Csv, ';', Ct));
        var second = Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, request, StatementFormat.Csv, ';', Ct));
        var comma = Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, request, StatementFormat.Csv, ',', Ct));

        Assert.Equal((false, true, false), (first.FromCache, second.FromCache, comma.FromCache));
        Assert.Equal(first.Statement.FileName, second.Statement.FileName);
        Assert.Equal(first.Statement.Content, second.Statement.Content);
        Assert.NotEqual(first.Statement.Content, comma.Statement.Content);
        var immediate = Assert.IsType<StatementExportDecision.Immediate>(await exports.RequestAsync(access, request, StatementFormat.Csv, ';', Ct));
        using (var fresh = new MemoryStream())
        {
            await StatementExports.RenderAsync(immediate.Document, StatementFormat.Csv, ';', fresh, Ct);
            Assert.Equal(fresh.ToArray(), second.Statement.Content);
        }

        // Another organizer asking for the same period gets its own (here: not found, it is not theirs).
        var other = new OrganizerAccess(_second, OrganizerRole.Owner, 8, "owner@example.com");
        Assert.IsType<CachedStatementResult.Other>(await statements.RequestAsync(other, request, StatementFormat.Csv, ';', Ct));
        var theirs = Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(other, request with { OrganizerId = _second }, StatementFormat.Csv, ';', Ct));
        Assert.False(theirs.FromCache);
        Assert.NotEqual(first.Statement.Content, theirs.Statement.Content);

        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 1, new DateTimeOffset(2026, 11, 21, 9, 0, 0, CacheTestKit.Lima), Ct);
        await Cache.InvalidateOrganizerAsync(_first, Ct);
        var afterChange = Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, request, StatementFormat.Csv, ';', Ct));
        Assert.False(afterChange.FromCache);
        Assert.True(afterChange.Statement.Content.Length > first.Statement.Content.Length);
        Assert.True(Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(other, request with { OrganizerId = _second }, StatementFormat.Csv, ';', Ct)).FromCache);
    }

    [Fact]
    public async Task PdfAndExcel_AreCachedAsTheSameBytes()
    {
        var statements = _app.GetRequiredService<CachedStatements>();
        var access = new OrganizerAccess(_first, OrganizerRole.Owner, 7, "owner@example.com");
        foreach (var format in new[] { StatementFormat.Pdf, StatementFormat.Xlsx })
        {
            var made = Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, new StatementRequest(_first, _november), format, ',', Ct));
            var again = Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, new StatementRequest(_first, _november), format, ';', Ct));
            Assert.Equal((false, true), (made.FromCache, again.FromCache));
            Assert.Equal(made.Statement, again.Statement with { Content = made.Statement.Content });
            Assert.Equal(made.Statement.Content, again.Statement.Content);
            Assert.EndsWith("." + StatementExports.Extension(format), again.Statement.FileName, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Disabled_EveryReadIsFresh_AndNothingIsStored()
    {
        await using var app = CacheTestKit.Instance(_db, _time, new Dictionary<string, string?> { ["Cache:Enabled"] = "false" });
        var cached = app.GetRequiredService<CachedDashboardQueries>();
        Assert.Equal(3, (await cached.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        await CacheTestKit.AddPaymentsBehindTheCacheAsync(_db, _time, _first, 1, new DateTimeOffset(2026, 11, 22, 9, 0, 0, CacheTestKit.Lima), Ct);
        Assert.Equal(4, (await cached.GetDashboardAsync(_first, _november, null, Ct)).Current.Sales);
        var statements = app.GetRequiredService<CachedStatements>();
        var access = new OrganizerAccess(_first, OrganizerRole.Owner, 7, "owner@example.com");
        Assert.False(Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, new StatementRequest(_first, _november), StatementFormat.Csv, ',', Ct)).FromCache);
        Assert.False(Assert.IsType<CachedStatementResult.File>(await statements.RequestAsync(access, new StatementRequest(_first, _november), StatementFormat.Csv, ',', Ct)).FromCache);
    }

    [Theory]
    [InlineData("Cache:DashboardTtl", "00:00:00")]
    [InlineData("Cache:StatementTtl", "-00:00:01")]
    [InlineData("Cache:LocalTtl", "00:05:00")]
    [InlineData("Cache:MaxEntryBytes", "10")]
    public async Task BadOptions_AreRefusedAtStartUp(string key, string value)
    {
        await using var app = CacheTestKit.Instance(_db, _time, new Dictionary<string, string?> { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<ReportCacheOptions>>().Value);
        Assert.Contains("Cache:", error.Message, StringComparison.Ordinal);
    }
}
