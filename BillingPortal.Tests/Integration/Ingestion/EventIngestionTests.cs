using BillingPortal.Core.Events;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Ingestion;

public sealed class EventIngestionTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    [Fact]
    public async Task Ingest_NewThenChanged_CreatesThenUpdates()
    {
        using var client = factory.CreateIngestionClient();
        var (organizerId, _) = await client.CreateOrganizerWithEventAsync();
        var row = Rows.Event(organizerId).With("payouts_frozen", true);
        var before = await factory.CountsAsync();

        var first = await (await client.IngestAsync("events", [row])).ReadResultAsync();
        var same = await (await client.IngestAsync("events", [row])).ReadResultAsync();
        var sameInstantOtherOffset = await (await client.IngestAsync("events", [row.With("starts_at", "2026-12-21T01:00:00Z")])).ReadResultAsync();
        var changed = await (await client.IngestAsync("events", [row.With("status", "finished").Without("payouts_frozen").Without("city")])).ReadResultAsync();

        Assert.Equal(new WireResult(1, 1, 0, 0), first);
        Assert.Equal(new WireResult(1, 0, 0, 1), same);
        Assert.Equal(new WireResult(1, 0, 0, 1), sameInstantOtherOffset);
        Assert.Equal(new WireResult(1, 0, 1, 0), changed);
        Assert.Equal(before with { Events = before.Events + 1 }, await factory.CountsAsync());
        await using var db = factory.CreateDbContext();
        var stored = await db.Events.SingleAsync(e => e.ExternalId == (string)row["id"]!, TestContext.Current.CancellationToken);
        Assert.Equal(EventStatus.Finished, stored.Status);
        Assert.True(stored.PayoutsFrozen, "an omitted payouts_frozen keeps the stored flag");
        Assert.Null(stored.City);
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 1, 0, 0, TimeSpan.Zero), stored.StartsAt);
        Assert.Equal(TimeSpan.Zero, stored.StartsAt.Offset);
    }

    [Fact]
    public async Task Ingest_SameRequestTwice_SecondChangesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var (organizerId, _) = await client.CreateOrganizerWithEventAsync();
        var rows = Enumerable.Range(0, 20).Select(_ => Rows.Event(organizerId)).ToList();

        var first = await (await client.IngestAsync("events", rows)).ReadResultAsync();
        var afterFirst = await factory.CountsAsync();
        var second = await (await client.IngestAsync("events", rows)).ReadResultAsync();

        Assert.Equal(new WireResult(20, 20, 0, 0), first);
        Assert.Equal(new WireResult(20, 0, 0, 20), second);
        Assert.Equal(afterFirst, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_UnknownOrganizer_RejectsAndWritesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var (organizerId, _) = await client.CreateOrganizerWithEventAsync();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("events", [Rows.Event(organizerId), Rows.Event("org_que_no_existe")]);

        var problem = await response.AssertRejectedAsync((1, "organizer_id", "unknown_organizer"));
        Assert.Contains("org_que_no_existe", problem.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_EventMovedToAnotherOrganizer_RejectsAndKeepsTheOwner()
    {
        using var client = factory.CreateIngestionClient();
        var (owner, eventId) = await client.CreateOrganizerWithEventAsync();
        var (other, _) = await client.CreateOrganizerWithEventAsync();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("events", [Rows.Event(other, eventId)]);

        await response.AssertRejectedAsync((0, "organizer_id", "organizer_change"));
        Assert.Equal(before, await factory.CountsAsync());
        await using var db = factory.CreateDbContext();
        var ownerOf = await db.Events.Where(e => e.ExternalId == eventId).Select(e => e.Organizer!.ExternalId).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(owner, ownerOf);
    }

    [Theory]
    [InlineData("starts_at", "2026-12-20T20:00:00", "offset_required")]
    [InlineData("starts_at", "2026-12-20 20:00:00-05:00", "date_format")]
    [InlineData("starts_at", "2026-02-30T20:00:00-05:00", "date_format")]
    [InlineData("starts_at", "20/12/2026", "date_format")]
    [InlineData("status", "Scheduled", "one_of")]
    [InlineData("name", null, "required")]
    [InlineData("venue", "", "required")]
    public async Task Ingest_BadField_RejectsWithTheRuleAndWritesNothing(string field, string? value, string rule)
    {
        using var client = factory.CreateIngestionClient();
        var (organizerId, _) = await client.CreateOrganizerWithEventAsync();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("events", [Rows.Event(organizerId).With(field, value)]);

        await response.AssertRejectedAsync((0, field, rule));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Theory]
    [InlineData(0, "positive")]
    [InlineData(-5, "positive")]
    public async Task Ingest_CapacityNotPositive_Rejects(int capacity, string rule)
    {
        using var client = factory.CreateIngestionClient();
        var (organizerId, _) = await client.CreateOrganizerWithEventAsync();

        using var response = await client.IngestAsync("events", [Rows.Event(organizerId).With("capacity", capacity)]);

        await response.AssertRejectedAsync((0, "capacity", rule));
    }
}
