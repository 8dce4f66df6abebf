using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Data;

/// <summary>
/// The ledger's read models (<see cref="LedgerTotals"/>: per day, per event and day, per method and day, per release day)
/// are kept by <see cref="PaymentLedgerWriter"/> through inserts and rewrites; they must equal a rebuild from the entries,
/// and the dashboard read from them must equal the ledger queries.
/// </summary>
public sealed class LedgerRollupsTests : IAsyncLifetime
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly string[] TablePrefixes = ["day|", "event|", "eventmonth|", "release|", "method|", "eventrelease|"];
    private SqliteTestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Rollups_AfterInsertsAndRewrites_EqualARebuildAndTheDashboardEqualsTheLedger()
    {
        var ct = TestContext.Current.CancellationToken;
        var gen = Gen.Select(
            LedgerGenerators.Payment(LedgerGenerators.DefaultStart, spanDays: 100, eventIds: [null, 1, 2]).Array[200],
            LedgerGenerators.Payment(LedgerGenerators.DefaultStart, spanDays: 100, eventIds: [null, 1]).Array[60]);

        await gen.SampleAsync(async (paymentsA, paymentsB) =>
        {
            var (organizerA, eventsA) = await AddOrganizerAsync(events: 2, ct);
            var (organizerB, eventsB) = await AddOrganizerAsync(events: 1, ct);
            Assign(paymentsA, organizerA, eventsA);
            Assign(paymentsB, organizerB, eventsB);
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 12, 0, 0, Lima));

            // Inserted in three batches (rows are created, then added to)...
            var all = paymentsA.Concat(paymentsB).ToList();
            foreach (var batch in all.Chunk(100)) await StoreAsync(batch, time, ct);

            // ...then a third of the payments are rewritten: another event, released, or cancelled (entries disappear).
            await using (var db = _db.CreateContext())
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var ids = all.Where((_, i) => i % 3 == 0).Select(p => p.Id).ToList();
                var changed = await db.Payments.Include(p => p.Refunds).Include(p => p.Fees).Include(p => p.StatusHistory)
                    .Where(p => ids.Contains(p.Id)).ToListAsync(ct);
                foreach (var (payment, i) in changed.Select((p, i) => (p, i)))
                {
                    var events = payment.OrganizerId == organizerA.Id ? eventsA : eventsB;
                    switch (i % 3)
                    {
                        case 0: payment.EventId = payment.EventId is null ? events[0].Id : null; break;
                        case 1: payment.MoneyReleaseStatus = MoneyReleaseStatus.Released; break;
                        default: payment.Status = PaymentStatus.Cancelled; break;
                    }
                }

                await new PaymentLedgerWriter(time).ReplaceAsync(db, changed, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }

            // Incremental rows = rebuilt rows.
            var incremental = await RollupRowsAsync(ct);
            Assert.NotEmpty(incremental);
            await using (var db = _db.CreateContext())
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var written = await LedgerRollups.RebuildAsync(db, organizerId: null, ct);
                await tx.CommitAsync(ct);
                Assert.Equal(incremental.Count, written);
            }

            Assert.Equal(incremental, await RollupRowsAsync(ct));

            // The dashboard (rollups) equals the ledger queries (entries) for every scope, period and as of now.
            await using (var db = _db.CreateContext())
            {
                var latest = (await db.LedgerEntries.Select(e => e.OccurredAt).ToListAsync(ct)).Max();
                time.SetUtcNow(latest.AddMinutes(1) > time.GetUtcNow() ? latest.AddMinutes(1) : time.GetUtcNow());
            }

            var ledger = new LedgerQueries(_db.Factory);
            var dashboard = new DashboardQueries(_db.Factory, time);
            DatePeriod[] periods =
            [
                DatePeriod.Month(2026, 1), DatePeriod.Month(2026, 2), new(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)),
                new(new DateOnly(2026, 1, 15), new DateOnly(2026, 3, 10)), new(new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31)),
                new(new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 14)), new(new DateOnly(2026, 1, 20), new DateOnly(2026, 2, 28)),
            ];
            foreach (var (organizer, events) in new[] { (organizerA, eventsA), (organizerB, eventsB) })
            {
                foreach (var eventId in events.Select(e => (int?)e.Id).Prepend(null))
                {
                    foreach (var period in periods)
                    {
                        var expected = await ledger.GetPeriodSummaryAsync(organizer.Id, period, eventId, ct);
                        Assert.Equal(expected, await dashboard.GetPeriodSummaryAsync(organizer.Id, period, eventId, ct));
                        var board = await dashboard.GetDashboardAsync(organizer.Id, period, eventId, ct);
                        Assert.Equal(expected, board.Current);
                        AssertChartsAddUp(board);
                    }

                    var balance = await ledger.GetBalanceAsync(organizer.Id, time.GetUtcNow(), eventId, ct, maxReleases: 5);
                    var fromRollups = await dashboard.GetBalanceAsync(organizer.Id, eventId, ct);
                    Assert.Equal((balance.Credited, balance.Pending, balance.Held), (fromRollups.Credited, fromRollups.Pending, fromRollups.Held));
                    Assert.Equal(balance.NextReleases.Select(r => (r.Date, r.Amount)), fromRollups.NextReleases.Select(r => (r.Date, r.Amount)));
                }

                // The events list: each event's all-time figures and balance equal the scoped ledger queries.
                var year = new DatePeriod(new DateOnly(2025, 12, 1), new DateOnly(2026, 11, 30));
                foreach (var row in await dashboard.GetEventsAsync(organizer.Id, null, ct))
                {
                    var expected = await ledger.GetPeriodSummaryAsync(organizer.Id, year, row.EventId, ct);
                    var balance = await ledger.GetBalanceAsync(organizer.Id, time.GetUtcNow(), row.EventId, ct);
                    Assert.Equal((expected.Sales, expected.GrossSales, expected.Refunds, expected.Commission, expected.Net),
                        (row.Sales, row.GrossSales, row.Refunds, row.Commission, row.Net));
                    Assert.Equal((balance.Credited, balance.Pending, balance.Held), (row.Credited, row.Pending, row.Held));
                }
            }
        }, iter: 2, threads: 1);
    }

    [Fact]
    public async Task Balance_ReleasesOnDateToday_CreditsOnlyThoseWhoseInstantHasPassed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, _) = await AddOrganizerAsync(events: 0, ct);
        var now = new DateTimeOffset(2026, 5, 20, 12, 0, 0, Lima);
        var time = new FakeTimeProvider(now);
        Payment[] payments =
        [
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddDays(-14)).WithRelease(now.AddHours(-2), null).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddDays(-13)).WithRelease(now.AddHours(6), null).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddDays(-20)).WithRelease(now.AddDays(-1), null).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddDays(-1)).WithRelease(now.AddDays(13), MoneyReleaseStatus.Pending).Build(),
        ];
        await StoreAsync(payments, time, ct);

        var balance = await new DashboardQueries(_db.Factory, time).GetBalanceAsync(organizer.Id, null, ct);
        var expected = await new LedgerQueries(_db.Factory).GetBalanceAsync(organizer.Id, now, null, ct);

        Assert.Equal(135.42m * 2, balance.Credited);
        Assert.Equal(135.42m * 2, balance.Pending);
        Assert.Equal((expected.Credited, expected.Pending), (balance.Credited, balance.Pending));
        Assert.Equal(expected.NextReleases, balance.NextReleases);
        Assert.Equal(new DateOnly(2026, 5, 20), balance.NextReleases[0].Date);
    }

    [Fact]
    public async Task Balance_EntriesDatedAfterNow_AreLeftOutAsTheLedgerDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, _) = await AddOrganizerAsync(events: 0, ct);
        var now = new DateTimeOffset(2026, 5, 20, 12, 0, 0, Lima);
        var time = new FakeTimeProvider(now);
        Payment[] payments =
        [
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddDays(-20)).WithRelease(now.AddDays(-2), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddDays(-3)).WithRelease(now.AddDays(11), MoneyReleaseStatus.Pending).Build(),
            // Later today, and in a later day: not money yet.
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddHours(3)).WithRelease(now.AddDays(14), MoneyReleaseStatus.Pending).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(now.AddDays(12)).WithRelease(now.AddDays(20), MoneyReleaseStatus.Released).Build(),
        ];
        await StoreAsync(payments, time, ct);

        var balance = await new DashboardQueries(_db.Factory, time).GetBalanceAsync(organizer.Id, null, ct);
        var expected = await new LedgerQueries(_db.Factory).GetBalanceAsync(organizer.Id, now, null, ct);

        Assert.Equal(135.42m, balance.Credited);
        Assert.Equal(135.42m, balance.Pending);
        Assert.Equal((expected.Credited, expected.Pending, expected.Held), (balance.Credited, balance.Pending, balance.Held));
        Assert.Equal(expected.NextReleases, balance.NextReleases);
        Assert.Single(balance.NextReleases);
    }

    [Theory]
    [InlineData("2026-11-01", "2026-11-30", "2026-10-01", "2026-10-31")]
    [InlineData("2026-11-01", "2026-11-28", "2026-10-01", "2026-10-28")]
    [InlineData("2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28")]
    [InlineData("2026-03-01", "2026-03-30", "2026-02-01", "2026-02-28")]
    [InlineData("2026-01-01", "2026-11-28", "2025-01-01", "2025-11-28")]
    [InlineData("2026-01-01", "2026-03-31", "2025-10-01", "2025-12-31")]
    [InlineData("2026-11-22", "2026-11-28", "2026-11-15", "2026-11-21")]
    [InlineData("2026-11-28", "2026-11-28", "2026-11-27", "2026-11-27")]
    public void PreviousOf_ComparesLikeWithLike(string from, string to, string previousFrom, string previousTo)
    {
        var period = new DatePeriod(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        var previous = DashboardPeriods.PreviousOf(period);
        Assert.Equal((previousFrom, previousTo), (previous.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), previous.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Presets_OnAGivenDay_AreTheExpectedDates()
    {
        var today = new DateOnly(2026, 11, 28);
        Assert.Equal(new DatePeriod(today, today), DashboardPeriods.Of(PeriodPreset.Today, today));
        Assert.Equal(new DatePeriod(new DateOnly(2026, 11, 22), today), DashboardPeriods.Of(PeriodPreset.Last7Days, today));
        Assert.Equal(new DatePeriod(new DateOnly(2026, 10, 30), today), DashboardPeriods.Of(PeriodPreset.Last30Days, today));
        Assert.Equal(new DatePeriod(new DateOnly(2026, 11, 1), today), DashboardPeriods.Of(PeriodPreset.ThisMonth, today));
        Assert.Equal(DatePeriod.Month(2026, 10), DashboardPeriods.Of(PeriodPreset.PreviousMonth, today));
        Assert.Equal(new DatePeriod(new DateOnly(2026, 1, 1), today), DashboardPeriods.Of(PeriodPreset.ThisYear, today));
        Assert.Equal(SeriesGranularity.Month, DashboardPeriods.GranularityOf(DashboardPeriods.Of(PeriodPreset.ThisYear, today)));
        Assert.Equal(SeriesGranularity.Day, DashboardPeriods.GranularityOf(DashboardPeriods.Of(PeriodPreset.Last30Days, today)));
    }

    private static void AssertChartsAddUp(Dashboard board)
    {
        var s = board.Current;
        Assert.Equal(s.GrossSales, board.Series.Sum(p => p.GrossSales));
        Assert.Equal(s.Refunds, board.Series.Sum(p => p.Refunds));
        Assert.Equal(s.Chargebacks, board.Series.Sum(p => p.Chargebacks));
        Assert.Equal(s.Net, board.Series.Sum(p => p.Net));
        Assert.Equal(s.Sales, board.Series.Sum(p => p.Sales));
        Assert.Equal((s.GrossSales, s.Net, s.Commission), (board.ByPaymentMethod.Sum(r => r.GrossSales), board.ByPaymentMethod.Sum(r => r.Net), board.ByPaymentMethod.Sum(r => r.Commission)));
        if (board.EventId is null)
        {
            Assert.Equal((s.GrossSales, s.Net, s.Refunds), (board.ByEvent.Sum(r => r.GrossSales), board.ByEvent.Sum(r => r.Net), board.ByEvent.Sum(r => r.Refunds)));
        }
    }

    private async Task<List<string>> RollupRowsAsync(CancellationToken ct)
    {
        await using var db = _db.CreateContext();
        static string Sums(LedgerTotals r) => string.Join('|', r.OrganizerId, r.Entries, r.Sales, r.Tickets, r.Gross, r.MercadoPagoFee, r.CommissionBase, r.CommissionIgv, r.OtherFees, r.Net);
        var days = (await db.LedgerDayTotals.AsNoTracking().ToListAsync(ct)).Select(r => $"day|{r.LocalDate}|{r.Kind}|{Sums(r)}");
        var events = (await db.LedgerEventDayTotals.AsNoTracking().ToListAsync(ct)).Select(r => $"event|{r.LocalDate}|{r.EventId}|{r.Kind}|{Sums(r)}");
        var eventMonths = (await db.LedgerEventMonthTotals.AsNoTracking().ToListAsync(ct)).Select(r => $"eventmonth|{r.Month}|{r.EventId}|{r.Kind}|{Sums(r)}");
        var releases = (await db.LedgerReleaseTotals.AsNoTracking().ToListAsync(ct)).Select(r => $"release|{r.ReleaseState}|{r.ReleaseLocalDate}|{Sums(r)}");
        var methods = (await db.LedgerMethodDayTotals.AsNoTracking().ToListAsync(ct)).Select(r => $"method|{r.LocalDate}|{r.Kind}|{r.PaymentMethodId}|{r.PaymentTypeId}|{Sums(r)}");
        var eventReleases = (await db.LedgerEventReleaseTotals.AsNoTracking().ToListAsync(ct)).Select(r => $"eventrelease|{r.EventId}|{r.ReleaseState}|{r.ReleaseLocalDate}|{Sums(r)}");
        List<string> rows = [.. days.Concat(events).Concat(eventMonths).Concat(releases).Concat(methods).Concat(eventReleases).Order(StringComparer.Ordinal)];

        // Every table holds something, and each table's rows add up to the same ledger.
        Assert.All(TablePrefixes, prefix => Assert.Contains(rows, r => r.StartsWith(prefix, StringComparison.Ordinal)));
        return rows;
    }

    private async Task<(Organizer Organizer, List<Event> Events)> AddOrganizerAsync(int events, CancellationToken ct)
    {
        var organizer = new OrganizerBuilder().WithPlan(new CommissionPlan { Name = "Plan de prueba", Rate = 0.05m }).Build();
        await using var db = _db.CreateContext();
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(ct);
        var list = Enumerable.Range(1, events).Select(i => new Event
        {
            OrganizerId = organizer.Id,
            ExternalId = $"{organizer.ExternalId}_evt_{i}",
            Name = $"Concierto {i}",
            Venue = "Estadio Nacional",
            StartsAt = new DateTimeOffset(2026, 5, i, 20, 0, 0, Lima),
            Capacity = 1000,
        }).ToList();
        db.Events.AddRange(list);
        await db.SaveChangesAsync(ct);
        return (organizer, list);
    }

    private static void Assign(IEnumerable<Payment> payments, Organizer organizer, List<Event> events)
    {
        foreach (var payment in payments)
        {
            payment.OrganizerId = organizer.Id;
            payment.EventId = payment.EventId is { } n ? events[n - 1].Id : null;
        }
    }

    private async Task StoreAsync(IReadOnlyCollection<Payment> payments, TimeProvider time, CancellationToken ct)
    {
        await using var db = _db.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Payments.AddRange(payments);
        await new PaymentLedgerWriter(time).ReplaceAsync(db, payments, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
