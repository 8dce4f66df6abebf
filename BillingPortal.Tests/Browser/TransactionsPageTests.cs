using System.Globalization;
using BillingPortal.Core.Events;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Browser;

/// <summary>
/// The transactions page in Chromium over a real portal and SQLite file: paging with the cursor buttons, a filter chosen in
/// the filter bar (kept in the link), and the drawer, whose breakdown adds up to the net and equals the database's ledger.
/// </summary>
public sealed class TransactionsPageTests(BrowserFixture browser, BrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<BrowserPortalFactory>
{
    private static long _nextId = 73_000_000_000;

    [Fact]
    public async Task Transactions_FilterPageAndOpenDrawer_BreakdownAddsUpAndEqualsTheDatabase()
    {
        var (organizerId, payments) = await StoreAsync(60);
        var expected = TransactionSeed.Sort(payments, TransactionSort.DateDescending).Select(p => p.Id).ToList();

        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(organizerId), $"transacciones?org={organizerId}&desde=2026-03-01&hasta=2026-03-31");
        await page.SetViewportSizeAsync(1366, 900);

        await Expect(page.GetByTestId("row-open")).ToHaveCountAsync(25);
        await Expect(page.GetByTestId("transactions-total")).ToContainTextAsync("60");
        Assert.Equal(expected.Take(25), await ShownIdsAsync(page));
        await SaveGuideShotAsync(page, "transacciones-grilla");

        await page.GetByTestId("page-next").ClickAsync();
        await Expect(page.GetByTestId("page-number")).ToHaveTextAsync("Página 2 de 3");
        Assert.Equal(expected.Skip(25).Take(25), await ShownIdsAsync(page));
        await page.GetByTestId("page-last").ClickAsync();
        await Expect(page.GetByTestId("page-number")).ToHaveTextAsync("Página 3 de 3");
        await Expect(page.GetByTestId("row-open")).ToHaveCountAsync(10);
        Assert.Equal(expected.Skip(50), await ShownIdsAsync(page));
        await page.GetByTestId("page-previous").ClickAsync();
        await Expect(page.GetByTestId("page-number")).ToHaveTextAsync("Página 2 de 3");
        Assert.Equal(expected.Skip(25).Take(25), await ShownIdsAsync(page));

        // A filter from the bar: only payments with a refund; the link keeps it.
        await page.GetByTestId("filter-refund").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Con reembolso" }).ClickAsync();
        var refunded = TransactionSeed.Sort(payments.Where(p => p.TransactionAmountRefunded > 0), TransactionSort.DateDescending).Select(p => p.Id).ToList();
        Assert.NotEmpty(refunded);
        await Expect(page.GetByTestId("row-open")).ToHaveCountAsync(refunded.Count);
        Assert.Equal(refunded, await ShownIdsAsync(page));
        Assert.Equal("si", page.QueryValue("reembolso"));
        await Expect(page.GetByTestId("page-number")).ToHaveTextAsync("Página 1 de 1");
        await SaveGuideShotAsync(page, "transacciones-filtros");

        // The drawer of a refunded sale: its lines add up to the net shown, which is the ledger's.
        var payment = payments.First(p => p.Id == refunded.First(id => payments.Single(x => x.Id == id).Status == PaymentStatus.Approved));
        await page.GetByTestId("row-open").Filter(new() { HasText = payment.Id.ToString(CultureInfo.InvariantCulture) }).ClickAsync();
        await Expect(page.GetByTestId("detail-net")).ToBeVisibleAsync();
        var gross = Amount(await page.GetByTestId("detail-gross").InnerTextAsync());
        decimal fees = 0;
        foreach (var id in new[] { "detail-mp-fee", "detail-commission-base", "detail-igv", "detail-other-fees" })
            fees += Amount(await page.GetByTestId(id).InnerTextAsync());
        var net = Amount(await page.GetByTestId("detail-net").InnerTextAsync());
        Assert.Equal(net, gross + fees);

        await using (var db = portal.CreateDbContext())
        {
            var ledger = await db.LedgerEntries.AsNoTracking().Where(e => e.PaymentId == payment.Id && e.OrganizerId == organizerId).ToListAsync(CancellationToken);
            Assert.Equal(2, ledger.Count);
            Assert.Equal(ledger.Sum(e => e.Net), net);
            Assert.Equal(ledger.Sum(e => e.Gross), gross);
        }

        await Expect(page.GetByTestId("detail-payer-email")).ToHaveTextAsync(payment.PayerEmail!);
        await SaveGuideShotAsync(page, "transacciones-detalle");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("detail-net")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Transactions_Viewer_SeesMaskedEmails()
    {
        var (organizerId, payments) = await StoreAsync(5);

        var page = await SignedInPageAsync(portal, BrowserUser.ViewerOf(organizerId), $"transacciones?org={organizerId}&desde=2026-03-01&hasta=2026-03-31");

        await Expect(page.GetByTestId("row-open")).ToHaveCountAsync(5);
        var emails = await page.GetByTestId("row-email").AllInnerTextsAsync();
        Assert.All(emails, e => Assert.Contains("***", e, StringComparison.Ordinal));
        Assert.DoesNotContain(payments[0].PayerEmail!, await page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(int OrganizerId, List<Payment> Payments)> StoreAsync(int count)
    {
        var ct = CancellationToken;
        var organizer = new OrganizerBuilder().Build();
        var events = new List<Event>();
        await using (var db = portal.CreateDbContext())
        {
            db.Organizers.Add(organizer);
            await db.SaveChangesAsync(ct);
            events.Add(new Event { OrganizerId = organizer.Id, ExternalId = "evt_" + Guid.NewGuid().ToString("N"), Name = "Festival del Sol", Venue = "Playa Agua Dulce", StartsAt = new DateTimeOffset(2026, 4, 4, 20, 0, 0, TransactionSeed.Lima) });
            events.Add(new Event { OrganizerId = organizer.Id, ExternalId = "evt_" + Guid.NewGuid().ToString("N"), Name = "Noche Criolla", Venue = "Teatro Municipal", StartsAt = new DateTimeOffset(2026, 5, 9, 21, 0, 0, TransactionSeed.Lima) });
            db.Events.AddRange(events);
            await db.SaveChangesAsync(ct);
        }

        var first = Interlocked.Add(ref _nextId, 1_000) - 1_000;
        var payments = TransactionSeed.Payments(organizer.Id, events.Select(e => e.Id).ToList(), count, seed: 21, firstId: first);
        await using (var db = portal.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.AddRange(payments);
            await new BillingPortal.Core.Billing.Ledger.PaymentLedgerWriter(TimeProvider.System).ReplaceAsync(db, payments, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return (organizer.Id, payments);
    }

    private static async Task<List<long>> ShownIdsAsync(IPage page) =>
        [.. (await page.GetByTestId("row-open").AllInnerTextsAsync()).Select(t => long.Parse(t.Trim(), CultureInfo.InvariantCulture))];

    /// <summary>Reads "S/ 1,234.56", "-S/ 1.00", "− S/ 7.08" or "+ S/ 1.00" back into a number.</summary>
    private static decimal Amount(string text)
    {
        text = text.Replace('\u00A0', ' ').Trim();
        var negative = text.StartsWith('-') || text.StartsWith('−');
        var digits = text.Replace("S/", "", StringComparison.Ordinal).Trim('-', '−', '+', ' ').Replace(",", "", StringComparison.Ordinal);
        var value = decimal.Parse(digits, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    /// <summary>A viewport-sized shot (small, for docs/user-guide/capturas) next to the test's other screenshots.</summary>
    private static async Task SaveGuideShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserArtifacts.Screenshots, $"guide.{name}.png"), FullPage = false });
}
