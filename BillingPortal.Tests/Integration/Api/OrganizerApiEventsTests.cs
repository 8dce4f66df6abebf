using System.Globalization;
using System.Net;
using System.Text.Json;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.Api;

/// <summary>
/// The dashboard side of the organizer API over real HTTP with real keys: the summary's comparison and series, and
/// <c>GET /api/v1/events</c> and <c>/events/{id}</c>, each figure checked against <see cref="LedgerQueries"/> (the ledger
/// entries themselves, not the rollups the endpoints read).
/// </summary>
public sealed class OrganizerApiEventsTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly DatePeriod March = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

    private static readonly string[] SummaryAmounts =
        ["gross_sales", "refunds", "chargebacks", "mercadopago_fees", "commission_base", "commission_igv", "commission", "other_fees", "net"];

    private static readonly string[] EventFields =
        ["sales", "tickets_sold", "gross_sales", "refunds", "chargebacks", "mercadopago_fees", "commission_base", "commission_igv", "commission", "net"];

    [Fact]
    public async Task Summary_ComparisonAndDailySeries_EqualLedgerQueries()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await factory.AddOrganizerAsync(events: 2);
        await factory.StorePaymentsAsync(Payments(seeded));
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetSummaryAsync("?from=2026-03-01&to=2026-03-31&include=series");

        using var json = await response.ReadJsonAsync();
        var ledger = factory.Services.GetRequiredService<LedgerQueries>();
        var february = new DatePeriod(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28));
        var expectedPrevious = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, february, null, ct);
        Assert.True(expectedPrevious.Sales > 0, "February has sales to compare with");
        var comparison = json.Root.GetProperty("comparison");
        Assert.Equal(("2026-02-01", "2026-02-28"), (comparison.GetProperty("from").GetString(), comparison.GetProperty("to").GetString()));
        AssertFigures(expectedPrevious, comparison.GetProperty("summary"));
        var expectedCurrent = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, March, null, ct);
        AssertFigures(expectedCurrent, json.Root.GetProperty("summary"));

        var series = json.Root.GetProperty("series");
        Assert.Equal("day", series.GetProperty("granularity").GetString());
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(31, points.Count);
        foreach (var point in points)
        {
            var day = DateOnly.ParseExact(point.GetProperty("start").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var expected = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, new DatePeriod(day, day), null, ct);
            Assert.Equal((expected.Sales, expected.TicketsSold, expected.GrossSales, expected.Refunds, expected.Chargebacks, expected.Net),
                (point.GetProperty("sales").GetInt32(), point.GetProperty("tickets_sold").GetInt32(), point.GetProperty("gross_sales").GetDecimal(),
                    point.GetProperty("refunds").GetDecimal(), point.GetProperty("chargebacks").GetDecimal(), point.GetProperty("net").GetDecimal()));
        }

        Assert.Equal(expectedCurrent.Net, points.Sum(p => p.GetProperty("net").GetDecimal()));
        Assert.Contains(points, p => p.GetProperty("refunds").GetDecimal() < 0m);
    }

    [Fact]
    public async Task Summary_YearWithSeries_IsMonthlyAndAddsUp()
    {
        var seeded = await factory.AddOrganizerAsync(events: 2);
        await factory.StorePaymentsAsync(Payments(seeded));
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetSummaryAsync("?from=2026-01-01&to=2026-12-31&include=series");

        using var json = await response.ReadJsonAsync();
        var series = json.Root.GetProperty("series");
        Assert.Equal("month", series.GetProperty("granularity").GetString());
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(12, points.Count);
        Assert.Equal("2026-03-01", points[2].GetProperty("start").GetString());
        var summary = json.Root.GetProperty("summary");
        Assert.Equal(summary.GetProperty("gross_sales").GetDecimal(), points.Sum(p => p.GetProperty("gross_sales").GetDecimal()));
        Assert.Equal(summary.GetProperty("net").GetDecimal(), points.Sum(p => p.GetProperty("net").GetDecimal()));
        Assert.True(summary.GetProperty("sales").GetInt32() > 0);
        // The year to date is compared with the previous year.
        Assert.Equal("2025-01-01", json.Root.GetProperty("comparison").GetProperty("from").GetString());
    }

    [Theory]
    [InlineData("?from=2026-03-01&to=2026-03-31&include=series,events", "include:one_of")]
    [InlineData("?from=2026-03-01&to=2026-03-31&include=Series", "include:one_of")]
    [InlineData("?from=2026-03-01&include=nope", "to:required,include:one_of")]
    public async Task Summary_BadInclude_Is400NamingTheField(string query, string expected)
    {
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetSummaryAsync(query);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(expected, string.Join(',', problem.Errors.Select(e => $"{e.Field}:{e.Rule}")));
    }

    [Fact]
    public async Task Events_ListsOnlyTheKeysOrganizer_WithFiguresAndBalancesOfTheLedger()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await factory.AddOrganizerAsync(events: 3);
        var other = await factory.AddOrganizerAsync(events: 1);
        await factory.StorePaymentsAsync(Payments(seeded));
        await factory.StorePaymentsAsync(Payments(other));
        var upcoming = await SetEventAsync(seeded.Events[0].Id, DateTimeOffset.UtcNow.AddDays(30), EventStatus.Scheduled);
        var cancelled = await SetEventAsync(seeded.Events[2].Id, new DateTimeOffset(2026, 4, 1, 20, 0, 0, Lima), EventStatus.Cancelled);
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetAsync(new Uri("/api/v1/events?from=2026-03-01&to=2026-03-31", UriKind.Relative), ct);

        using var json = await response.ReadJsonAsync();
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("2026-03-01", json.Root.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal("PEN", json.Root.GetProperty("currency").GetString());
        var asOf = DateTimeOffset.Parse(json.Root.GetProperty("as_of").GetString()!, CultureInfo.InvariantCulture);
        var events = json.Root.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(seeded.Events.Select(e => e.Id).Order(), events.Select(e => e.GetProperty("id").GetInt32()).Order());
        Assert.DoesNotContain(other.Events[0].Name, json.Body, StringComparison.Ordinal);

        // Upcoming first, then the most recent past or cancelled ones.
        Assert.Equal(upcoming.Id, events[0].GetProperty("id").GetInt32());
        Assert.Equal(["upcoming", "finished", "cancelled"], events.Select(e => e.GetProperty("state").GetString()));
        Assert.Equal(cancelled.ExternalId, events[2].GetProperty("external_id").GetString());
        var startsAt = events[1].GetProperty("starts_at").GetString()!;
        Assert.EndsWith("-05:00", startsAt, StringComparison.Ordinal);
        Assert.Equal(seeded.Events[1].StartsAt, DateTimeOffset.Parse(startsAt, CultureInfo.InvariantCulture));

        var ledger = factory.Services.GetRequiredService<LedgerQueries>();
        var withSales = 0;
        foreach (var row in events)
        {
            var id = row.GetProperty("id").GetInt32();
            var expected = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, March, id, ct);
            withSales += expected.Sales;
            AssertEventFigures(expected, row.GetProperty("figures"));
            var balance = await ledger.GetBalanceAsync(seeded.Organizer.Id, asOf, id, ct);
            Assert.Equal((balance.Credited, balance.Pending, balance.Held),
                (row.GetProperty("credited").GetDecimal(), row.GetProperty("pending").GetDecimal(), row.GetProperty("held").GetDecimal()));
        }

        Assert.True(withSales >= 3, "the events have sales in March");
        Assert.Contains(events, e => e.GetProperty("pending").GetDecimal() > 0m);
        Assert.Contains(events, e => e.GetProperty("credited").GetDecimal() > 0m);
    }

    [Fact]
    public async Task Events_WithoutPeriod_CoverAllTime()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await factory.AddOrganizerAsync(events: 2);
        await factory.StorePaymentsAsync(Payments(seeded));
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var all = await client.GetAsync(new Uri("/api/v1/events", UriKind.Relative), ct);
        using var march = await client.GetAsync(new Uri("/api/v1/events?from=2026-03-01&to=2026-03-31", UriKind.Relative), ct);

        using var allJson = await all.ReadJsonAsync();
        using var marchJson = await march.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, allJson.Root.GetProperty("period").ValueKind);
        var ledger = factory.Services.GetRequiredService<LedgerQueries>();
        var februaryAndMarch = new DatePeriod(new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 31));
        foreach (var row in allJson.Root.GetProperty("events").EnumerateArray())
        {
            var expected = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, februaryAndMarch, row.GetProperty("id").GetInt32(), ct);
            AssertEventFigures(expected, row.GetProperty("figures"));
        }

        var allSales = allJson.Root.GetProperty("events").EnumerateArray().Sum(e => e.GetProperty("figures").GetProperty("sales").GetInt32());
        var marchSales = marchJson.Root.GetProperty("events").EnumerateArray().Sum(e => e.GetProperty("figures").GetProperty("sales").GetInt32());
        Assert.True(allSales > marchSales, $"all time ({allSales}) includes February's event sales, March alone has {marchSales}");
    }

    [Fact]
    public async Task Event_OwnEvent_EqualsTheListRowWithItsNextReleases()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await factory.AddOrganizerAsync(events: 2);
        await factory.StorePaymentsAsync(Payments(seeded));
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);
        var id = seeded.Events[1].Id;

        using var list = await client.GetAsync(new Uri("/api/v1/events?from=2026-03-01&to=2026-03-31", UriKind.Relative), ct);
        using var one = await client.GetAsync(new Uri($"/api/v1/events/{id}?from=2026-03-01&to=2026-03-31", UriKind.Relative), ct);

        using var listJson = await list.ReadJsonAsync();
        using var oneJson = await one.ReadJsonAsync();
        var row = listJson.Root.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("id").GetInt32() == id);
        Assert.Equal(row.GetRawText(), oneJson.Root.GetProperty("event").GetRawText());
        Assert.Equal(seeded.Events[1].Name, oneJson.Root.GetProperty("event").GetProperty("name").GetString());

        var balance = oneJson.Root.GetProperty("balance");
        var asOf = DateTimeOffset.Parse(balance.GetProperty("as_of").GetString()!, CultureInfo.InvariantCulture);
        var expected = await factory.Services.GetRequiredService<LedgerQueries>().GetBalanceAsync(seeded.Organizer.Id, asOf, id, ct);
        Assert.True(expected.NextReleases.Count > 0, "the event has money releasing in the future");
        Assert.Equal((expected.Credited, expected.Pending, expected.Held),
            (balance.GetProperty("credited").GetDecimal(), balance.GetProperty("pending").GetDecimal(), balance.GetProperty("held").GetDecimal()));
        Assert.Equal(expected.NextReleases.Select(r => (r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Amount, r.Payments)),
            balance.GetProperty("next_releases").EnumerateArray().Select(r =>
                (r.GetProperty("date").GetString()!, r.GetProperty("amount").GetDecimal(), r.GetProperty("payments").GetInt32())));
    }

    [Fact]
    public async Task Event_OfAnotherOrganizer_Is404LikeAMissingOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var mine = await factory.AddOrganizerAsync();
        var other = await factory.AddOrganizerAsync();
        await factory.StorePaymentsAsync(Payments(other));
        var key = await factory.CreateKeyAsync(mine.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var foreign = await client.GetAsync(new Uri($"/api/v1/events/{other.Events[0].Id}", UriKind.Relative), ct);
        using var missing = await client.GetAsync(new Uri($"/api/v1/events/{int.MaxValue}", UriKind.Relative), ct);

        var foreignProblem = await foreign.ReadProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missing.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([("id", "not_found")], foreignProblem.Errors.Select(e => (e.Field, e.Rule)));
        Assert.Equal((missingProblem.Title, missingProblem.Detail), (foreignProblem.Title, foreignProblem.Detail));
        Assert.Equal(missingProblem.Errors, foreignProblem.Errors);
        foreach (var secret in new[] { other.Organizer.LegalName, other.Events[0].Name, other.Events[0].ExternalId })
            Assert.DoesNotContain(secret, foreignProblem.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/events?from=2026-03-01", "to:required")]
    [InlineData("/api/v1/events?to=2026-03-31", "from:required")]
    [InlineData("/api/v1/events?from=2026-03-01&to=31-03-2026", "to:date_format")]
    [InlineData("/api/v1/events?from=2026-04-01&to=2026-03-01", "from:from_after_to")]
    [InlineData("/api/v1/events?from=2025-01-01&to=2026-03-01", "to:max_days")]
    [InlineData("/api/v1/events/abc", "id:integer")]
    [InlineData("/api/v1/events/0", "id:integer")]
    [InlineData("/api/v1/events/-3?from=x&to=2026-03-01", "id:integer,from:date_format")]
    public async Task Events_BadInput_Is400NamingFieldAndRule(string url, string expected)
    {
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(expected, string.Join(',', problem.Errors.Select(e => $"{e.Field}:{e.Rule}")));
        Assert.Equal(problem.Errors[0].Message, problem.Detail);
    }

    [Theory]
    [InlineData("/api/v1/events")]
    [InlineData("/api/v1/events/1")]
    public async Task Events_NoKey_Is401(string url)
    {
        using var client = factory.CreateHttpClient();

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal("api_key_missing", Assert.Single((await response.ReadProblemAsync(HttpStatusCode.Unauthorized)).Errors).Rule);
    }

    private async Task<Event> SetEventAsync(int id, DateTimeOffset startsAt, EventStatus status)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = factory.CreateDbContext();
        var ev = await db.Events.SingleAsync(e => e.Id == id, ct);
        ev.StartsAt = startsAt;
        ev.Status = status;
        await db.SaveChangesAsync(ct);
        return ev;
    }

    private static void AssertFigures(PeriodSummary expected, JsonElement summary)
    {
        Assert.Equal(
            (expected.Sales, expected.TicketsSold, expected.TicketsNet, expected.RefundCount, expected.ChargebackCount),
            (summary.GetProperty("sales").GetInt32(), summary.GetProperty("tickets_sold").GetInt32(), summary.GetProperty("tickets_net").GetInt32(),
                summary.GetProperty("refund_count").GetInt32(), summary.GetProperty("chargeback_count").GetInt32()));
        Assert.Equal(
            [expected.GrossSales, expected.Refunds, expected.Chargebacks, expected.MercadoPagoFees, expected.CommissionBase, expected.CommissionIgv,
                expected.Commission, expected.OtherFees, expected.Net],
            SummaryAmounts.Select(name => summary.GetProperty(name).GetDecimal()));
    }

    private static void AssertEventFigures(PeriodSummary expected, JsonElement figures) =>
        Assert.Equal(
            [expected.Sales, expected.TicketsSold, expected.GrossSales, expected.Refunds, expected.Chargebacks, expected.MercadoPagoFees,
                expected.CommissionBase, expected.CommissionIgv, expected.Commission, expected.Net],
            EventFields.Select(name => name is "sales" or "tickets_sold" ? figures.GetProperty(name).GetInt32() : figures.GetProperty(name).GetDecimal()));

    /// <summary>
    /// February and March 2026 on the organizer's events (and one without an event): released and pending sales, a
    /// partial refund and a chargeback in March, so the comparison, the series and the per-event balances all have something.
    /// </summary>
    private static List<Payment> Payments(SeededOrganizer seeded)
    {
        var id = seeded.Organizer.Id;
        var future = DateTimeOffset.UtcNow.AddDays(10);
        var events = seeded.Events;
        var payments = new List<Payment>
        {
            new PaymentBuilder().ForOrganizer(id).WithEvent(events[0].Id).ApprovedAt(new DateTimeOffset(2026, 2, 10, 12, 0, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 2, 24, 12, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(id).WithAmounts(80.00m, 3.78m, 4.00m).ApprovedAt(new DateTimeOffset(2026, 2, 28, 23, 30, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 14, 12, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(id).WithEvent(events[0].Id).ApprovedAt(new DateTimeOffset(2026, 3, 1, 0, 10, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 15, 10, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(id).WithEvent(events[^1].Id).WithAmounts(99.99m, 4.72m, 5.00m).WithTickets(1)
                .ApprovedAt(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Lima)).WithRelease(future, MoneyReleaseStatus.Pending)
                .WithRefund(33.33m, new DateTimeOffset(2026, 3, 5, 9, 0, 0, Lima)).Build(),
            new PaymentBuilder().ForOrganizer(id).WithEvent(events[^1].Id).WithAmounts(300.00m, 14.16m, 15.00m).WithTickets(4)
                .ApprovedAt(new DateTimeOffset(2026, 3, 20, 18, 0, 0, Lima)).WithRelease(future, MoneyReleaseStatus.Pending).Build(),
            new PaymentBuilder().ForOrganizer(id).WithEvent(events[0].Id)
                .ApprovedAt(new DateTimeOffset(2026, 3, 3, 15, 0, 0, Lima)).WithRelease(future.AddDays(2), MoneyReleaseStatus.Pending)
                .WithStatusChange(PaymentStatus.ChargedBack, "settled", new DateTimeOffset(2026, 3, 25, 11, 0, 0, Lima)).Build(),
            new PaymentBuilder().ForOrganizer(id).ApprovedAt(new DateTimeOffset(2026, 3, 31, 23, 59, 59, Lima)).WithRelease(future.AddDays(1), null).Build(),
        };
        if (events.Count > 2)
        {
            payments.Add(new PaymentBuilder().ForOrganizer(id).WithEvent(events[1].Id).ApprovedAt(new DateTimeOffset(2026, 3, 12, 12, 0, 0, Lima))
                .WithRelease(future, MoneyReleaseStatus.Pending).Build());
        }

        return payments;
    }
}
