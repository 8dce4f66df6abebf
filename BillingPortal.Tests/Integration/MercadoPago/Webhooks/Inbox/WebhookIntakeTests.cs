using System.Globalization;
using System.Text;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks.Inbox;

/// <summary>The group-commit intake over a real SQLite file: durable before it answers, de-duplicated, batched.</summary>
public sealed class WebhookIntakeTests : IAsyncLifetime
{
    private SqliteTestDatabase _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _db = await SqliteTestDatabase.CreateAsync(Ct);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcceptAsync_NewNotification_IsCommittedPendingDueNow(bool portable)
    {
        var signal = new WebhookInboxSignal();
        await using var intake = new WebhookIntake(_db.Factory, TimeProvider.System, signal, NullLogger<WebhookIntake>.Instance, portable);

        var outcome = await intake.AcceptAsync(Notification("9001", "123456"), Ct);

        Assert.Equal(WebhookIntakeOutcome.Accepted, outcome);
        await using var db = _db.CreateContext();
        var entry = await db.WebhookInbox.SingleAsync(Ct);
        Assert.Equal("id:9001", entry.DedupKey);
        Assert.Equal("payment", entry.Topic);
        Assert.Equal("payment.created", entry.Action);
        Assert.Equal("123456", entry.ResourceId);
        Assert.Equal(300_100_200L, entry.SellerUserId);
        Assert.Equal("req-9001", entry.RequestId);
        Assert.Equal(WebhookInboxStatus.Pending, entry.Status);
        Assert.Equal(0, entry.Duplicates);
        Assert.Equal(0, entry.Attempts);
        Assert.Equal(entry.ReceivedAt, entry.NextAttemptAt);
        Assert.True(await signal.WaitAsync(TimeSpan.Zero, Ct), "the processor is woken after the commit");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcceptAsync_SameNotificationTwice_OneEntryWithOneDuplicate(bool portable)
    {
        await using var intake = new WebhookIntake(_db.Factory, TimeProvider.System, new WebhookInboxSignal(), NullLogger<WebhookIntake>.Instance, portable);

        var first = await intake.AcceptAsync(Notification("9002", "1"), Ct);
        var second = await intake.AcceptAsync(Notification("9002", "1") with { RequestId = "another-delivery" }, Ct);

        Assert.Equal(WebhookIntakeOutcome.Accepted, first);
        Assert.Equal(WebhookIntakeOutcome.Duplicate, second);
        await using var db = _db.CreateContext();
        var entry = await db.WebhookInbox.SingleAsync(Ct);
        Assert.Equal(1, entry.Duplicates);
        Assert.Equal("req-9002", entry.RequestId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcceptAsync_ConcurrentIdenticalAndDistinctDeliveries_OneEntryPerKeyAndEveryCopyCounted(bool portable)
    {
        await using var intake = new WebhookIntake(_db.Factory, TimeProvider.System, new WebhookInboxSignal(), NullLogger<WebhookIntake>.Instance, portable);
        const int keys = 40;
        const int copies = 5;

        var deliveries = Enumerable.Range(0, keys * copies)
            .Select(i => Task.Run(() => intake.AcceptAsync(Notification((10_000 + (i % keys)).ToString(CultureInfo.InvariantCulture), "77"), Ct), Ct));
        var outcomes = await Task.WhenAll(deliveries);

        Assert.Equal(keys, outcomes.Count(o => o == WebhookIntakeOutcome.Accepted));
        Assert.Equal(keys * (copies - 1), outcomes.Count(o => o == WebhookIntakeOutcome.Duplicate));
        await using var db = _db.CreateContext();
        var entries = await db.WebhookInbox.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(keys, entries.Count);
        Assert.All(entries, e => Assert.Equal(copies - 1, e.Duplicates));
        Assert.True(intake.BatchesCommitted < keys * copies, $"concurrent requests share transactions ({intake.BatchesCommitted} batches)");
    }

    [Fact]
    public async Task DisposeAsync_WithQueuedEntries_WritesThemBeforeStopping()
    {
        var intake = new WebhookIntake(_db.Factory, TimeProvider.System, new WebhookInboxSignal(), NullLogger<WebhookIntake>.Instance);
        var pending = Enumerable.Range(0, 50).Select(i => intake.AcceptAsync(Notification("20" + i.ToString(CultureInfo.InvariantCulture), "5"), Ct)).ToList();

        await intake.DisposeAsync();

        Assert.All(await Task.WhenAll(pending), o => Assert.Equal(WebhookIntakeOutcome.Accepted, o));
        await using var db = _db.CreateContext();
        Assert.Equal(50, await db.WebhookInbox.CountAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => intake.AcceptAsync(Notification("99", "5"), Ct));
    }

    [Fact]
    public async Task AcceptAsync_DatabaseUnusable_FailsTheRequestInsteadOfAcknowledging()
    {
        await using (var db = _db.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"WebhookInbox\";", Ct);
        }

        await using var intake = new WebhookIntake(_db.Factory, TimeProvider.System, new WebhookInboxSignal(), NullLogger<WebhookIntake>.Instance);

        await Assert.ThrowsAnyAsync<Exception>(() => intake.AcceptAsync(Notification("1", "1"), Ct));
    }

    internal static InboxNotification Notification(string notificationId, string paymentId)
    {
        var body = $$$"""{"id":{{{notificationId}}},"live_mode":true,"type":"payment","date_created":"2026-03-14T19:02:11.000-04:00","user_id":300100200,"api_version":"v1","action":"payment.created","data":{"id":"{{{paymentId}}}"}}""";
        Assert.True(InboxNotification.TryCreate(paymentId, "payment", Encoding.UTF8.GetBytes(body), false, "req-" + notificationId, DateTimeOffset.UtcNow, out var notification, out var invalid), invalid);
        return notification!;
    }
}
