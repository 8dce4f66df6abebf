using System.Diagnostics;
using BillingPortal.Core.Purchases;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Ingestion;

public sealed class PurchaseIngestionTests(BillingPortalFactory factory, ITestOutputHelper output) : IClassFixture<BillingPortalFactory>
{
    [Fact]
    public async Task Ingest_NewThenChanged_CreatesThenUpdatesWithTheEventsOrganizer()
    {
        using var client = factory.CreateIngestionClient();
        var (organizerId, eventId) = await client.CreateOrganizerWithEventAsync();
        var pending = Rows.Purchase(eventId).With("status", "pending").Without("payment_date");
        var paid = Rows.Purchase(eventId);
        var before = await factory.CountsAsync();

        var first = await (await client.IngestAsync("purchases", [pending, paid])).ReadResultAsync();
        pending.With("status", "paid").With("payment_date", "2026-03-14T20:30:00-05:00");
        var second = await (await client.IngestAsync("purchases", [pending, paid])).ReadResultAsync();

        Assert.Equal(new WireResult(2, 2, 0, 0), first);
        Assert.Equal(new WireResult(2, 0, 1, 1), second);
        Assert.Equal(before with { Purchases = before.Purchases + 2 }, await factory.CountsAsync());
        await using var db = factory.CreateDbContext();
        var stored = await db.Purchases.Include(p => p.Event).ThenInclude(e => e!.Organizer)
            .SingleAsync(p => p.ExternalId == (string)pending["id"]!, TestContext.Current.CancellationToken);
        Assert.Equal(PurchaseStatus.Paid, stored.Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 1, 30, 0, TimeSpan.Zero), stored.PaymentDate);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 0, 2, 11, TimeSpan.Zero), stored.CreatedAt);
        Assert.Equal((150.50m, 2, "PEN"), (stored.Amount, stored.Tickets, stored.Currency));
        Assert.Equal(organizerId, stored.Event!.Organizer!.ExternalId);
        Assert.Equal(stored.Event.OrganizerId, stored.OrganizerId);
    }

    [Fact]
    public async Task Ingest_SameRequestTwice_SecondChangesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var rows = Enumerable.Range(0, 50).Select(i => Rows.Purchase(eventId).With("amount", 10m + (i * 0.37m))).ToList();

        var first = await (await client.IngestAsync("purchases", rows)).ReadResultAsync();
        var afterFirst = await factory.CountsAsync();
        var second = await (await client.IngestAsync("purchases", rows)).ReadResultAsync();

        Assert.Equal(new WireResult(50, 50, 0, 0), first);
        Assert.Equal(new WireResult(50, 0, 0, 50), second);
        Assert.Equal(afterFirst, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_10000Rows_SucceedsThenIsUnchanged()
    {
        using var client = factory.CreateIngestionClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var rows = Enumerable.Range(0, 10_000).Select(i => Rows.Purchase(eventId).With("amount", 1m + (i % 500))).ToList();
        var before = await factory.CountsAsync();

        var started = Stopwatch.GetTimestamp();
        var first = await (await client.IngestAsync("purchases", rows)).ReadResultAsync();
        var firstTime = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        var second = await (await client.IngestAsync("purchases", rows)).ReadResultAsync();
        var secondTime = Stopwatch.GetElapsedTime(started);

        Assert.Equal(new WireResult(10_000, 10_000, 0, 0), first);
        Assert.Equal(new WireResult(10_000, 0, 0, 10_000), second);
        Assert.Equal(before with { Purchases = before.Purchases + 10_000 }, await factory.CountsAsync());
        output.WriteLine($"10,000 purchases: insert {firstTime.TotalMilliseconds:0} ms, unchanged resend {secondTime.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Ingest_UnknownEvent_RejectsAndWritesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("purchases", [Rows.Purchase(eventId), Rows.Purchase("evt_que_no_existe")]);

        await response.AssertRejectedAsync((1, "event_id", "unknown_event"));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Theory]
    [InlineData("amount", -10.00, "non_negative")]
    [InlineData("amount", 12.345, "max_decimals")]
    [InlineData("amount", 1_000_000.01, "max_amount")]
    [InlineData("tickets", 0, "range")]
    [InlineData("tickets", 1001, "range")]
    public async Task Ingest_BadNumber_RejectsWithTheRuleAndWritesNothing(string field, double value, string rule)
    {
        using var client = factory.CreateIngestionClient();
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var before = await factory.CountsAsync();
        object wire = field == "tickets" ? (int)value : (decimal)value;

        using var response = await client.IngestAsync("purchases", [Rows.Purchase(eventId).With(field, wire)]);

        await response.AssertRejectedAsync((0, field, rule));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Theory]
    [InlineData("currency", "USD", "currency")]
    [InlineData("currency", "pen", "currency")]
    [InlineData("currency", null, "required")]
    [InlineData("buyer_email", "comprador@@correo.pe", "email")]
    [InlineData("status", "approved", "one_of")]
    [InlineData("created_at", "2026-03-14T19:02:11", "offset_required")]
    [InlineData("payment_date", "2026-03-14T20:02:13", "offset_required")]
    [InlineData("payment_date", "2026-03-14T19:02:10-05:00", "before_created_at")]
    [InlineData("payment_date", null, "required_when_paid")]
    public async Task Ingest_BadField_RejectsWithTheRuleAndWritesNothing(string field, string? value, string rule)
    {
        using var client = factory.CreateIngestionClient();
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("purchases", [Rows.Purchase(eventId).With(field, value)]);

        await response.AssertRejectedAsync((0, field, rule));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_CreatedAtBeyondFiveMinutesAhead_RejectsButWithinToleranceIsAccepted()
    {
        using var client = factory.CreateIngestionClient();
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var now = DateTimeOffset.UtcNow;
        string Iso(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var before = await factory.CountsAsync();

        using var future = await client.IngestAsync("purchases", [Rows.Purchase(eventId).With("created_at", Iso(now.AddMinutes(30))).With("payment_date", Iso(now.AddMinutes(31)))]);
        var afterRejected = await factory.CountsAsync();
        using var skewed = await client.IngestAsync("purchases", [Rows.Purchase(eventId).With("created_at", Iso(now.AddMinutes(2))).With("payment_date", Iso(now.AddMinutes(3)))]);

        var problem = await future.ReadProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.Equal([(0, "created_at", "future_date"), (0, "payment_date", "future_date")], problem.Errors.Select(e => (e.Row ?? -1, e.Field, e.Rule)));
        Assert.Equal(before, afterRejected);
        Assert.Equal(new WireResult(1, 1, 0, 0), await skewed.ReadResultAsync());
    }

    [Fact]
    public async Task Ingest_DuplicateIdInRequest_RejectsAndWritesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var repeated = Rows.Purchase(eventId);
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("purchases", [repeated, Rows.Purchase(eventId), Rows.Purchase(eventId, (string)repeated["id"]!)]);

        await response.AssertRejectedAsync((2, "id", "duplicate_id"));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_PurchaseMovedToAnotherOrganizersEvent_RejectsButSameOrganizerIsAllowed()
    {
        using var client = factory.CreateIngestionClient();
        var (organizerId, eventId) = await client.CreateOrganizerWithEventAsync();
        var (_, foreignEventId) = await client.CreateOrganizerWithEventAsync();
        var siblingEvent = Rows.Event(organizerId);
        await (await client.IngestAsync("events", [siblingEvent])).ReadResultAsync();
        var purchase = Rows.Purchase(eventId);
        await (await client.IngestAsync("purchases", [purchase])).ReadResultAsync();
        var before = await factory.CountsAsync();

        using var moved = await client.IngestAsync("purchases", [purchase.With("event_id", foreignEventId)]);
        await moved.AssertRejectedAsync((0, "event_id", "organizer_change"));
        var stillOnFirstEvent = await EventOfAsync((string)purchase["id"]!);
        var toSibling = await (await client.IngestAsync("purchases", [purchase.With("event_id", siblingEvent["id"])])).ReadResultAsync();

        Assert.Equal(eventId, stillOnFirstEvent);
        Assert.Equal(new WireResult(1, 0, 1, 0), toSibling);
        Assert.Equal((string)siblingEvent["id"]!, await EventOfAsync((string)purchase["id"]!));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_SeveralBadRows_ListsEveryError()
    {
        using var client = factory.CreateIngestionClient();
        var (_, eventId) = await client.CreateOrganizerWithEventAsync();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("purchases",
        [
            Rows.Purchase(eventId).With("amount", -1m),
            Rows.Purchase(eventId),
            Rows.Purchase(eventId).With("currency", "USD").With("created_at", "2026-03-14"),
            Rows.Purchase("evt_que_no_existe"),
        ]);

        await response.AssertRejectedAsync(
            (0, "amount", "non_negative"),
            (2, "currency", "currency"),
            (2, "created_at", "date_format"),
            (3, "event_id", "unknown_event"));
        Assert.Equal(before, await factory.CountsAsync());
    }

    private async Task<string> EventOfAsync(string purchaseId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Purchases.Where(p => p.ExternalId == purchaseId).Select(p => p.Event!.ExternalId).SingleAsync(TestContext.Current.CancellationToken);
    }
}
