using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Ingestion;
using BillingPortal.Security;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Browser.MercadoPago.Ops;

/// <summary>
/// The demo's «Done when» in Chromium: the owner of a demo organizer (linked at start-up) has its summary open; the
/// ticketing platform sends a purchase, a sale for it is made on the in-process emulator's admin surface, the emulator's
/// signed webhook brings the payment in, and the open page's figures change without a reload; a refund made the same way
/// changes them again.
/// </summary>
public sealed class LiveSummaryBrowserTests(BrowserFixture browser, DemoBrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<DemoBrowserPortalFactory>
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public async Task OpenSummary_SaleAndRefundInTheSandbox_FiguresChangeWithoutReload()
    {
        int organizerId;
        long sellerId;
        string eventId;
        CommissionPlan plan;
        await using (var db = portal.CreateDbContext())
        {
            var second = await db.Organizers.AsNoTracking().OrderBy(o => o.Id).Skip(1).FirstAsync(CancellationToken);
            (organizerId, sellerId) = (second.Id, second.MercadoPagoUserId!.Value);
            var @event = await db.Events.AsNoTracking().Where(e => e.OrganizerId == organizerId).OrderByDescending(e => e.StartsAt).FirstAsync(CancellationToken);
            eventId = @event.ExternalId;
            plan = await db.CommissionPlans.AsNoTracking().SingleAsync(p => p.Id == (@event.CommissionPlanId ?? second.CommissionPlanId), CancellationToken);
        }

        var today = AccountingCalendar.Lima.LocalDate(DateTimeOffset.UtcNow);
        var month = DatePeriod.Month(today.Year, today.Month);
        var ledger = portal.Services.GetRequiredService<LedgerQueries>();
        var before = await ledger.GetPeriodSummaryAsync(organizerId, month, null, CancellationToken);
        var path = string.Create(CultureInfo.InvariantCulture, $"resumen?org={organizerId}&desde={month.From:yyyy-MM-dd}&hasta={month.To:yyyy-MM-dd}");
        var owner = new BrowserUser(DemoMemberships.Accounts[2].Email, organizerId, OrganizerRole.Owner);
        var page = await SignedInPageAsync(portal, owner, path);
        await Expect(page.GetByTestId("summary-period")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");

        // The platform sells 2 tickets; the buyer pays on Mercado Pago (the emulator's admin surface makes the sale).
        const decimal amount = 345.50m;
        var orderId = "ord_browser_" + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var ingested = await portal.Services.GetRequiredService<IngestionService>().IngestPurchasesAsync(
            [new PurchaseRow { Id = orderId, EventId = eventId, BuyerEmail = "comprador@correo.example", Tickets = 2, Amount = amount, Currency = "PEN", Status = "paid", CreatedAt = now, PaymentDate = now }],
            CancellationToken);
        Assert.True(ingested.Succeeded);
        using var client = portal.CreateHttpClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var sale = await client.PostAsJsonAsync("sandbox/mercadopago/_admin/sales", new
        {
            SellerId = sellerId,
            Amount = amount,
            Tickets = 2,
            ExternalReference = orderId,
            ApplicationFee = CommissionCalculator.Expected(plan, amount, 2).Total,
        }, SnakeCase, CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, sale.StatusCode);
        var created = await sale.Content.ReadFromJsonAsync<JsonElement>(CancellationToken);
        var paymentId = created.GetProperty("id").GetInt64();
        var approvedAt = DateTimeOffset.Parse(created.GetProperty("date_last_updated").GetString()!, CultureInfo.InvariantCulture);

        await Expect(page.GetByTestId("summary-gross-sales")).ToHaveTextAsync(Money.Format(before.GrossSales + amount), new() { Timeout = 30_000 });
        var saleShown = clock.Elapsed;
        await Expect(page.GetByTestId("summary-live-updated")).ToBeVisibleAsync();
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
        await ScreenshotAsync(page, "after-sale");

        // The emulator dates a new sale's approval up to 8 s ahead; a refund stamped before that instant would look older
        // than the approval to the portal (ignored as stale), so the buyer asks for the refund after it.
        var wait = approvedAt.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, CancellationToken);
        clock.Restart();

        using var refund = await client.PostAsJsonAsync($"sandbox/mercadopago/_admin/payments/{paymentId.ToString(CultureInfo.InvariantCulture)}/refund", new { }, CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, refund.StatusCode);

        await Expect(page.GetByTestId("summary-refunds")).ToHaveTextAsync(Money.Format(before.Refunds - amount), new() { Timeout = 30_000 });
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sale on the emulator → figure on the open page: {saleShown.TotalSeconds:0.00} s; refund → figure: {clock.Elapsed.TotalSeconds:0.00} s"));
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
        var after = await ledger.GetPeriodSummaryAsync(organizerId, month, null, CancellationToken);
        Assert.Equal(before.GrossSales + amount, after.GrossSales);
        Assert.Equal(before.Refunds - amount, after.Refunds);
        await using (var db = portal.CreateDbContext())
        {
            Assert.NotNull(await db.Payments.Where(p => p.Id == paymentId).Select(p => p.PurchaseId).SingleAsync(CancellationToken));
        }
    }
}
