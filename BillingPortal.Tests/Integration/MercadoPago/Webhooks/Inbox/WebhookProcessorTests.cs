using System.Globalization;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks.Inbox;

/// <summary>
/// The inbox processor against the emulator over HTTP and a real SQLite file: payments fetched with the organizer's
/// token and upserted, unknown sellers ignored, mp-connect through the inbox, retries with backoff, dead letters and
/// their replay, and exclusive claims. MaxAttempts 3, backoff 30 s doubling (see <see cref="InboxTestKit"/>).
/// </summary>
public sealed class WebhookProcessorTests : IAsyncLifetime
{
    private InboxTestKit _kit = null!;
    private FakeTimeProvider _time = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _kit = await InboxTestKit.StartAsync(Ct);
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
    }

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task ProcessDueAsync_PaymentOfLinkedSeller_FetchesAndUpsertsIt()
    {
        var (organizerId, sellerId, _) = await _kit.LinkedOrganizerAsync(Ct);
        var paymentId = await _kit.SaleAsync(sellerId, 150m, Ct);
        var id = await _kit.AcceptAsync("payment", "payment.created", paymentId.ToString(CultureInfo.InvariantCulture), sellerId, Ct);

        var round = await _kit.Processor(_time).ProcessDueAsync(Ct);

        Assert.Equal(1, round.Processed);
        var entry = await _kit.EntryAsync(id, Ct);
        Assert.Equal(WebhookInboxStatus.Processed, entry.Status);
        Assert.Equal(organizerId, entry.OrganizerId);
        Assert.Equal(_time.GetUtcNow(), entry.ProcessedAt);
        Assert.Null(entry.LeaseUntil);
        await using var db = _kit.Linking.Database.CreateContext();
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, Ct);
        Assert.Equal(organizerId, payment.OrganizerId);
        Assert.Equal(150m, payment.TransactionAmount);
        Assert.NotEmpty(await db.LedgerEntries.Where(l => l.PaymentId == paymentId).ToListAsync(Ct));
    }

    [Fact]
    public async Task ProcessDueAsync_UnknownSeller_IgnoredWithoutCallingMercadoPago()
    {
        await _kit.LinkedOrganizerAsync(Ct);
        var stranger = await _kit.Linking.NewSellerAsync(Ct);
        var paymentId = await _kit.SaleAsync(stranger.Id, 80m, Ct);
        await _kit.FailPaymentReadsAsync(null, Ct);
        var id = await _kit.AcceptAsync("payment", "payment.created", paymentId.ToString(CultureInfo.InvariantCulture), stranger.Id, Ct);

        var round = await _kit.Processor(_time).ProcessDueAsync(Ct);

        Assert.Equal(1, round.Ignored);
        var entry = await _kit.EntryAsync(id, Ct);
        Assert.Equal(WebhookInboxStatus.Ignored, entry.Status);
        Assert.Equal(0, entry.Attempts);
        Assert.Contains("Ningún organizador", entry.LastError, StringComparison.Ordinal);
        await using var db = _kit.Linking.Database.CreateContext();
        Assert.False(await db.Payments.AnyAsync(p => p.Id == paymentId, Ct));
    }

    [Fact]
    public async Task ProcessDueAsync_OtherTopic_Ignored()
    {
        var id = await _kit.AcceptAsync("topic_claims_integration_wh", "claim.created", "123", 1, Ct);

        await _kit.Processor(_time).ProcessDueAsync(Ct);

        Assert.Equal(WebhookInboxStatus.Ignored, (await _kit.EntryAsync(id, Ct)).Status);
    }

    [Fact]
    public async Task ProcessDueAsync_MpConnectDeauthorized_RevokesTheLink()
    {
        var (organizerId, sellerId, _) = await _kit.LinkedOrganizerAsync(Ct);
        var seller = sellerId.ToString(CultureInfo.InvariantCulture);
        var id = await _kit.AcceptAsync("mp-connect", MercadoPagoNotificationTypes.ApplicationDeauthorized, seller, sellerId, Ct);

        await _kit.Processor(_time).ProcessDueAsync(Ct);

        Assert.Equal(WebhookInboxStatus.Processed, (await _kit.EntryAsync(id, Ct)).Status);
        var link = await _kit.Linking.ReadLinkAsync(organizerId, Ct);
        Assert.Equal(MercadoPagoLinkStatus.Revoked, link.Status);
        Assert.Null(link.AccessTokenCiphertext);
    }

    [Fact]
    public async Task ProcessDueAsync_MercadoPagoFailsThenRecovers_RetriedWithBackoffThenProcessed()
    {
        var (_, sellerId, _) = await _kit.LinkedOrganizerAsync(Ct);
        var paymentId = await _kit.SaleAsync(sellerId, 99.90m, Ct);
        var id = await _kit.AcceptAsync("payment", "payment.created", paymentId.ToString(CultureInfo.InvariantCulture), sellerId, Ct);
        await _kit.FailPaymentReadsAsync(2, Ct);
        var processor = _kit.Processor(_time);

        var first = await processor.ProcessDueAsync(Ct);
        var afterFirst = await _kit.EntryAsync(id, Ct);
        var early = await processor.ProcessDueAsync(Ct);
        _time.Advance(TimeSpan.FromSeconds(30));
        var second = await processor.ProcessDueAsync(Ct);

        Assert.Equal(1, first.Retried);
        Assert.Equal(WebhookInboxStatus.Pending, afterFirst.Status);
        Assert.Equal(1, afterFirst.Attempts);
        Assert.Equal(_time.GetUtcNow(), afterFirst.NextAttemptAt);
        Assert.Contains("Mercado Pago tiene un problema", afterFirst.LastError, StringComparison.Ordinal);
        Assert.Equal(0, early.Claimed);
        Assert.True(second.Processed == 1, $"{second} {(await _kit.EntryAsync(id, Ct)).LastError}");
        var entry = await _kit.EntryAsync(id, Ct);
        Assert.Equal(WebhookInboxStatus.Processed, entry.Status);
        Assert.Equal(1, entry.Attempts);
    }

    [Fact]
    public async Task ProcessDueAsync_FailsMaxAttempts_DeadLetteredWithAlertThenReplayedByAnAdmin()
    {
        var (organizerId, sellerId, _) = await _kit.LinkedOrganizerAsync(Ct);
        var paymentId = await _kit.SaleAsync(sellerId, 45m, Ct);
        var id = await _kit.AcceptAsync("payment", "payment.updated", paymentId.ToString(CultureInfo.InvariantCulture), sellerId, Ct);
        await _kit.FailPaymentReadsAsync(null, Ct);
        var processor = _kit.Processor(_time);

        await processor.ProcessDueAsync(Ct);
        _time.Advance(TimeSpan.FromSeconds(30));
        await processor.ProcessDueAsync(Ct);
        var beforeLast = await _kit.EntryAsync(id, Ct);
        _time.Advance(TimeSpan.FromSeconds(60));
        var last = await processor.ProcessDueAsync(Ct);

        Assert.Equal(2, beforeLast.Attempts);
        Assert.Equal(1, last.DeadLettered);
        var dead = await _kit.EntryAsync(id, Ct);
        Assert.Equal(WebhookInboxStatus.DeadLettered, dead.Status);
        Assert.Equal(3, dead.Attempts);
        await using (var db = _kit.Linking.Database.CreateContext())
        {
            var alert = await db.AdminAlerts.AsNoTracking().SingleAsync(a => a.Kind == AlertKinds.WebhookDeadLettered && a.ResolvedAt == null, Ct);
            Assert.Equal(organizerId, alert.OrganizerId);
        }

        var admin = new PortalIdentity(1, "admin@plataforma.pe", IsPlatformAdmin: true);
        var deadLetters = _kit.DeadLetters(_time);
        var listed = await deadLetters.ListAsync(admin, 0, 50, Ct);
        Assert.Equal(id, Assert.Single(listed!.Rows).Id);
        Assert.Equal(1, listed.CountsByStatus[WebhookInboxStatus.DeadLettered]);
        Assert.False(await deadLetters.RetryAsync(admin with { IsPlatformAdmin = false }, id, AuditOrigin.None, Ct));
        Assert.Null(await deadLetters.ListAsync(admin with { IsPlatformAdmin = false }, 0, 50, Ct));

        await _kit.ClearFaultsAsync(Ct);
        Assert.True(await deadLetters.RetryAsync(admin, id, AuditOrigin.None, Ct));
        var replayed = await _kit.EntryAsync(id, Ct);
        var round = await processor.ProcessDueAsync(Ct);

        Assert.Equal(WebhookInboxStatus.Pending, replayed.Status);
        Assert.Equal(0, replayed.Attempts);
        Assert.Equal(1, round.Processed);
        Assert.Equal(WebhookInboxStatus.Processed, (await _kit.EntryAsync(id, Ct)).Status);
        await using (var db = _kit.Linking.Database.CreateContext())
        {
            var audit = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == AuditAction.WebhookReplayed, Ct);
            Assert.Equal("admin@plataforma.pe", audit.Actor);
            Assert.Equal("webhook:" + id.ToString(CultureInfo.InvariantCulture), audit.Target);
            Assert.False(await db.AdminAlerts.AnyAsync(a => a.Kind == AlertKinds.WebhookDeadLettered && a.ResolvedAt == null, Ct));
            Assert.True(await db.Payments.AnyAsync(p => p.Id == paymentId, Ct));
        }
    }

    [Fact]
    public async Task ProcessDueAsync_PaymentNotVisibleYet_RetriedThenDeadLettered()
    {
        var (_, sellerId, _) = await _kit.LinkedOrganizerAsync(Ct);
        var id = await _kit.AcceptAsync("payment", "payment.created", "999000111222", sellerId, Ct);
        var processor = _kit.Processor(_time);

        await processor.ProcessDueAsync(Ct);
        var first = await _kit.EntryAsync(id, Ct);
        _time.Advance(TimeSpan.FromMinutes(10));
        await processor.ProcessDueAsync(Ct);
        _time.Advance(TimeSpan.FromMinutes(10));
        await processor.ProcessDueAsync(Ct);

        Assert.Equal(WebhookInboxStatus.Pending, first.Status);
        Assert.StartsWith("2000", first.LastError, StringComparison.Ordinal);
        Assert.Equal(WebhookInboxStatus.DeadLettered, (await _kit.EntryAsync(id, Ct)).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProcessDueAsync_TwoProcessorsAtOnce_EachEntryClaimedOnce(bool portableClaims)
    {
        var ids = new List<long>();
        for (var i = 0; i < 30; i++) ids.Add(await _kit.AcceptAsync("topic_other", "x", i.ToString(CultureInfo.InvariantCulture), 1, Ct));
        var a = _kit.Processor(_time, portableClaims);
        var b = _kit.Processor(_time, portableClaims);

        var rounds = await Task.WhenAll(a.ProcessDueAsync(Ct), b.ProcessDueAsync(Ct), a.ProcessDueAsync(Ct), b.ProcessDueAsync(Ct));

        Assert.Equal(30, rounds.Sum(r => r.Claimed));
        Assert.Equal(30, rounds.Sum(r => r.Ignored));
        foreach (var id in ids) Assert.Equal(WebhookInboxStatus.Ignored, (await _kit.EntryAsync(id, Ct)).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProcessDueAsync_ExpiredLeaseOfAStoppedProcessor_TakenAgain(bool portableClaims)
    {
        var id = await _kit.AcceptAsync("topic_other", "x", "1", 1, Ct);
        await using (var db = _kit.Linking.Database.CreateContext())
        {
            var lease = _time.GetUtcNow().AddMinutes(2);
            await db.WebhookInbox.Where(e => e.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, WebhookInboxStatus.Processing).SetProperty(e => e.LeaseUntil, lease), Ct);
        }

        var held = await _kit.Processor(_time, portableClaims).ProcessDueAsync(Ct);
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var taken = await _kit.Processor(_time, portableClaims).ProcessDueAsync(Ct);

        Assert.Equal(0, held.Claimed);
        Assert.Equal(1, taken.Claimed);
        Assert.Equal(WebhookInboxStatus.Ignored, (await _kit.EntryAsync(id, Ct)).Status);
    }
}
