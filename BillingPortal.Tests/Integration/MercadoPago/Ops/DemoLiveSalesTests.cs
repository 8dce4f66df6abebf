using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;
using BillingPortal.Demo;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.Ops;

/// <summary>
/// «Demo live sales» switched on (every half second here): the platform's purchases appear in the portal through
/// ingestion and their payments, created in the emulator with the purchase's reference and the plan's fee, come back
/// through the signed webhook, matched and without anomalies; a refund made through the emulator reaches the portal too.
/// </summary>
public sealed class DemoLiveSalesTests(DemoLiveSalesTests.LiveSalesPortalFactory portal) : IClassFixture<DemoLiveSalesTests.LiveSalesPortalFactory>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DemoLiveSales Live => portal.Services.GetRequiredService<DemoLiveSales>();

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Guard;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTimeOffset.UtcNow > deadline) return value;
            await Task.Delay(200, Ct);
        }
    }

    private async Task<List<Payment>> LivePaymentsAsync()
    {
        await using var db = portal.CreateDbContext();
        return await db.Payments.AsNoTracking()
            .Where(p => p.ExternalReference != null && p.ExternalReference.StartsWith(DemoLiveSales.OrderPrefix))
            .ToListAsync(Ct);
    }

    [Fact]
    public async Task LiveSales_On_PurchasesAndTheirPaymentsArriveMatchedWithoutAnomalies()
    {
        var payments = await EventuallyAsync(LivePaymentsAsync, p => p.Count(x => x.PurchaseId != null) >= 3);

        var matched = payments.Where(p => p.PurchaseId != null).ToList();
        Assert.True(matched.Count >= 3, $"{matched.Count} live payments matched so far ({Live.SalesCreated} sales created)");
        await using var db = portal.CreateDbContext();
        var first = await db.Organizers.MinAsync(o => o.Id, Ct);
        var ids = matched.Select(p => p.Id).ToList();
        var purchaseIds = matched.Select(p => p.PurchaseId!.Value).ToList();
        var purchases = await db.Purchases.AsNoTracking().Where(p => purchaseIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, Ct);
        Assert.All(matched, p =>
        {
            var purchase = purchases[p.PurchaseId!.Value];
            Assert.Equal(purchase.ExternalId, p.ExternalReference);
            Assert.Equal(purchase.OrganizerId, p.OrganizerId);
            Assert.Equal(purchase.Amount, p.TransactionAmount);
            Assert.Equal(purchase.Tickets, p.Tickets);
            Assert.NotEqual(first, p.OrganizerId);
            Assert.True(p.ApplicationFee > 0);
        });
        Assert.False(await db.Anomalies.AnyAsync(a => a.PaymentId != null && ids.Contains(a.PaymentId.Value), Ct));
        Assert.True(await db.LedgerEntries.CountAsync(e => ids.Contains(e.PaymentId), Ct) >= matched.Count);
    }

    [Fact]
    public async Task LiveSales_ARefundThroughTheEmulator_ReachesThePortalAndTheOrderIsRefunded()
    {
        // A live sale becomes refundable once its approval (dated a few seconds ahead by the emulator) is past.
        Assert.True(await EventuallyAsync(() => Live.RefundRecentAsync(Ct), refunded => refunded));

        var refunded = await EventuallyAsync(
            async () => (await LivePaymentsAsync()).Where(p => p.Status == PaymentStatus.Refunded).ToList(),
            r => r.Count > 0);
        var payment = refunded[0];
        Assert.Equal(payment.TransactionAmount, payment.TransactionAmountRefunded);
        await using var db = portal.CreateDbContext();
        Assert.Equal(PurchaseStatus.Refunded, await db.Purchases.Where(p => p.ExternalId == payment.ExternalReference).Select(p => p.Status).SingleAsync(Ct));
        Assert.True(Live.RefundsMade >= 1);
    }

    /// <summary>
    /// Demo mode (300 purchases), the emulator in-process, live sales every 0.5 s, no refunds by chance. On a dynamic port,
    /// like a real start where the address is known only once the server listens: the emulator's webhook outbox, created
    /// at start-up, gets the portal's address when the application has started.
    /// </summary>
    public sealed class LiveSalesPortalFactory : BillingPortalFactory
    {
        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            settings["Demo:Enabled"] = "true";
            settings["Demo:Scale"] = "300";
            settings["Demo:LiveSales:Enabled"] = "true";
            settings["Demo:LiveSales:Interval"] = "00:00:00.500";
            settings["Demo:LiveSales:RefundRate"] = "0";
            settings["Sandbox:MercadoPago:Webhooks:RetryInterval"] = "00:00:00.200";
        }
    }
}
