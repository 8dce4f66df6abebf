using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Core.Payments;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BillingPortal.Tests.Integration.MercadoPago.Webhooks.Convergence.ConvergenceKit;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks.Convergence;

/// <summary>
/// Issue #5 §4: whatever set of notifications arrives — duplicated, out of order (an «approved» <c>payment.created</c>
/// after the refund's <c>payment.updated</c>), late, some lost — plus the next incremental sync leaves the portal exactly
/// as a single full sync from scratch into an empty database does: payments, fees, refunds, status end states, ledger
/// entries, anomalies, the period summary and the balance.
/// </summary>
public sealed class ConvergenceTests : IAsyncLifetime
{
    private const long Seller = 410_500_600;
    private string _sandboxDirectory = null!;
    private MercadoPagoSandboxServer _sandbox = null!;
    private ConvergencePortalFactory _portal = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandboxDirectory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "convergence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_sandboxDirectory);
        _sandbox = await MercadoPagoSandboxServer.StartAsync(_sandboxDirectory, o =>
        {
            o.RedirectUris = [Linking.LinkingTestKit.Callback];
            o.Webhooks.Url = null;
            o.Webhooks.RetryInterval = TimeSpan.FromMilliseconds(100);
            o.Webhooks.DeliveryTimeout = TimeSpan.FromSeconds(10);
        }, cancellationToken: Ct);
        await _sandbox.Accounts.UpsertSellerAsync(new SandboxSeller(Seller, "CONVERGENCIA", "ventas@convergencia.example", "Luz", "Mamani", "Convergencia Producciones S.A.C."), Ct);
        _admin = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        _portal = new ConvergencePortalFactory(_sandbox);
        await _portal.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _portal.DisposeAsync();
        await _sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_sandboxDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    [Fact]
    public async Task NotificationsInAnyOrderPlusIncrementalSync_EqualAFullSyncFromScratch()
    {
        var portalDb = _portal.Services.GetRequiredService<IDbContextFactory<BillingDbContext>>();
        using var receiver = _portal.CreateHttpClient();

        // Before: two sales, the organizer linked, a first sync (the cursor). Their notifications stay in the outbox (late).
        var early1 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 100m, external_reference = "conv-early-1", date_created = Ago(TimeSpan.FromDays(2)) }));
        var early2 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 200m, date_created = Ago(TimeSpan.FromDays(1)) }));
        var organizerA = await LinkedOrganizerAsync(portalDb, _portal.Services.GetRequiredService<IMercadoPagoLinking>(), Seller);
        await SyncAsync(_portal.Services, organizerA);

        // Held: everything happens while the webhook URL points nowhere. The emulator approves a card sale 1–8 s after
        // its date_created: dating the sales 10 s back keeps every date_last_updated in the past (as Mercado Pago's are).
        var outboxBefore = (await PendingAsync(_sandbox)).Select(n => n.Id).ToHashSet();
        var p1 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 150m, external_reference = "conv-1", tickets = 2, date_created = Ago(Approval) }));
        await AdminAsync(_admin, $"_admin/payments/{Text(p1.Id)}/refund", new { amount = 50m });
        await AdminAsync(_admin, $"_admin/payments/{Text(p1.Id)}/refund", new { });
        var p2 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 300m, date_created = Ago(Approval) }));
        await AdminAsync(_admin, $"_admin/payments/{Text(p2.Id)}/chargeback", new { status_detail = "in_process" });
        await AdminAsync(_admin, $"_admin/payments/{Text(p2.Id)}/chargeback", new { status_detail = "reimbursed" });
        var p3 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 80m, status = "pending", date_created = Ago(Approval) }));
        await AdminAsync(_admin, $"_admin/payments/{Text(p3.Id)}/approve", new { });
        var p4 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 60m, payment_method_id = "pagoefectivo_atm", date_created = Ago(Approval) }));
        var p5 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 90m, date_created = Ago(Approval) }));
        await AdminAsync(_admin, $"_admin/payments/{Text(p5.Id)}/refund", new { });
        await AdminAsync(_admin, $"_admin/payments/{Text(early1.Id)}/refund", new { amount = 30m });
        var p6 = Payment(await AdminAsync(_admin, "_admin/sales", new { seller_id = Seller, amount = 120m, date_created = Ago(Approval) }));
        await AdminAsync(_admin, $"_admin/payments/{Text(p6.Id)}/release", new { });

        var held = (await PendingAsync(_sandbox)).Where(n => !outboxBefore.Contains(n.Id)).OrderBy(n => n.Id).ToList();
        List<SandboxNotification> Of(long paymentId) => [.. held.Where(n => n.DataId == Text(paymentId))];
        var (p1Created, p1Partial, p1Refunded) = (Of(p1.Id)[0], Of(p1.Id)[1], Of(p1.Id)[2]);
        var (p2Created, p2Dispute, p2Reimbursed) = (Of(p2.Id)[0], Of(p2.Id)[1], Of(p2.Id)[2]);
        var (p3Created, p3Approved) = (Of(p3.Id)[0], Of(p3.Id)[1]);
        Assert.Equal(14, held.Count);

        // Lost: the new cash sale; the full refund of p5 (its earlier payment.created still arrives, late); both
        // notifications of the first early sale, so its later partial refund reaches the portal only through the sync.
        await LoseAsync(_sandbox, Of(p4.Id).Single());
        await LoseAsync(_sandbox, Of(p5.Id)[1]);
        await LoseAsync(_sandbox, Of(early1.Id).Single(n => n.Action == "payment.updated"));
        await LoseAsync(_sandbox, (await PendingAsync(_sandbox)).Single(n => n.DataId == Text(early1.Id)));

        // Out of order and duplicated, delivered by hand as the emulator would sign them: the refund before the approval.
        await DeliverAsync(receiver, _sandbox, p1Refunded);
        await DeliverAsync(receiver, _sandbox, p1Created);
        await DeliverAsync(receiver, _sandbox, p1Partial);
        await DeliverAsync(receiver, _sandbox, p1Refunded);
        await DeliverAsync(receiver, _sandbox, p2Reimbursed);
        await DeliverAsync(receiver, _sandbox, p2Created);
        await DeliverAsync(receiver, _sandbox, p3Approved);
        await DeliverAsync(receiver, _sandbox, p2Dispute);
        await DeliverAsync(receiver, _sandbox, p3Created);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => DeliverAsync(receiver, _sandbox, Of(p5.Id)[0])));

        // Late: the emulator's own sender now delivers everything still in its outbox (the early sales' notifications,
        // second copies of those delivered by hand, p6's), plus a simulated re-notification of p1.
        await AdminAsync(_admin, $"_admin/payments/{Text(p1.Id)}/notify", new { notification_action = "payment.updated" });
        await AdminAsync(_admin, "_admin/webhook", new { url = new Uri(_portal.ServerAddress, "/api/webhooks/mercadopago").AbsoluteUri });
        await EventuallyAsync(async () => (await PendingAsync(_sandbox)).Count == 0, "the emulator's outbox to drain");
        await EventuallyAsync(() => InboxSettledAsync(portalDb), "the portal's inbox to be processed");

        await using (var db = await portalDb.CreateDbContextAsync(Ct))
        {
            var refundedKey = "id:" + Text(p1Refunded.NotificationId);
            var p5CreatedKey = "id:" + Text(Of(p5.Id)[0].NotificationId);
            Assert.Equal(2, (await db.WebhookInbox.AsNoTracking().SingleAsync(e => e.DedupKey == refundedKey, Ct)).Duplicates);
            Assert.Equal(5, (await db.WebhookInbox.AsNoTracking().SingleAsync(e => e.DedupKey == p5CreatedKey, Ct)).Duplicates);
            Assert.DoesNotContain(await db.WebhookInbox.AsNoTracking().Select(e => e.Status).ToListAsync(Ct), s => s == WebhookInboxStatus.DeadLettered);

            // What the webhooks alone could not know: the lost notifications' changes.
            Assert.False(await db.Payments.AnyAsync(p => p.Id == p4.Id, Ct));
            Assert.Equal(0m, (await db.Payments.AsNoTracking().SingleAsync(p => p.Id == early1.Id, Ct)).TransactionAmountRefunded);

            // What they could: the processor reads the payment as it is now, whatever notification brought it.
            Assert.Equal(PaymentStatus.Refunded, (await db.Payments.AsNoTracking().SingleAsync(p => p.Id == p5.Id, Ct)).Status);
            Assert.Equal(150m, (await db.Payments.AsNoTracking().SingleAsync(p => p.Id == p1.Id, Ct)).TransactionAmountRefunded);
            Assert.Equal(PaymentStatus.ChargedBack, (await db.Payments.AsNoTracking().SingleAsync(p => p.Id == p2.Id, Ct)).Status);
        }

        // The next incremental sync.
        await SyncAsync(_portal.Services, organizerA);
        var asOf = DateTimeOffset.UtcNow;
        var converged = await SnapshotAsync(portalDb, organizerA, asOf);

        // A second database filled by one full sync from scratch.
        await using var scratch = await SqliteTestDatabase.CreateAsync(Ct);
        await using var instanceB = CoreInstance(_sandbox, scratch);
        var organizerB = await LinkedOrganizerAsync(scratch.Factory, instanceB.GetRequiredService<IMercadoPagoLinking>(), Seller);
        await SyncAsync(instanceB, organizerB);
        var full = await SnapshotAsync(scratch.Factory, organizerB, asOf);

        Assert.True(full["payments"].Contains(Text(p4.Id), StringComparison.Ordinal) && full["payments"].Contains(Text(early2.Id), StringComparison.Ordinal),
            $"the full sync has every payment:\n{full["payments"]}\n--- webhooks + incremental sync ---\n{converged["payments"]}");
        foreach (var (part, expected) in full)
        {
            Assert.True(expected == converged[part], $"{part} differ.\n--- full sync ---\n{expected}\n--- webhooks + incremental sync ---\n{converged[part]}");
        }
    }

    private static readonly TimeSpan Approval = TimeSpan.FromSeconds(10);

    private string Ago(TimeSpan span) => _sandbox.Clock.GetUtcNow().Subtract(span).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
