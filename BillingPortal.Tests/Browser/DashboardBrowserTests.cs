using System.Globalization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Browser;

/// <summary>
/// The dashboard, the events list and an event's page in Chromium over a real portal and SQLite file. Every figure
/// checked is summed here straight from the organizer's LedgerEntries rows (LINQ over the table, not DashboardQueries
/// nor LedgerQueries), and the charts' tables must add up to the cards.
/// </summary>
/// <remarks>The data is dated relative to the portal's clock, so "this month" and the previous month always have figures.</remarks>
public sealed class DashboardBrowserTests(BrowserFixture browser, BrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<BrowserPortalFactory>
{
    private static readonly TimeSpan LimaOffset = TimeSpan.FromHours(-5);

    [Fact]
    public async Task Dashboard_PreviousMonth_CardsEqualTheLedgerAndChartTablesAddUpToThem()
    {
        var data = await StoreOrganizerAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(data.OrganizerId), SummaryPath(data.OrganizerId, data.PreviousMonth));
        await page.SetViewportSizeAsync(1366, 900);

        var expected = await ExpectedAsync(data.OrganizerId, data.PreviousMonth, null);
        await ExpectCardsAsync(page, expected);
        // By hand, so the test does not only mirror the database: 1,250.00 + 99.99 + 200.00 + 120.00 (the USD sale does not count).
        Assert.Equal(1669.99m, expected.Gross);
        await Expect(page.GetByTestId("kpi-commission")).ToContainTextAsync("IGV (18 %)");

        // The charts' tables, read as a screen reader would, add up to the cards.
        await page.GetByTestId("chart-sales-toggle").ClickAsync();
        await Expect(page.GetByTestId("chart-sales-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
        Assert.Equal(expected.Gross, await SumAsync(page, "chart-sales-gross"));
        Assert.Equal(expected.Net, await SumAsync(page, "chart-sales-net"));
        Assert.Equal(data.PreviousMonth.Days, await page.GetByTestId("chart-sales-row").CountAsync());
        Assert.Equal(expected.Gross, await SumAsync(page, "chart-methods-gross"));
        Assert.Equal(expected.Gross, await SumAsync(page, "chart-events-gross"));
        Assert.Equal(expected.Net, await SumAsync(page, "chart-events-net"));
        Assert.Equal(expected.Refunds, await SumAsync(page, "chart-refunds-refunds"));
        Assert.Equal(expected.Chargebacks, await SumAsync(page, "chart-refunds-chargebacks"));
        await Expect(page.GetByTestId("chart-methods-label").First).ToHaveTextAsync("Visa (crédito)");
        await Expect(page.GetByTestId("chart-methods-label").Filter(new() { HasText = "Yape" })).ToHaveCountAsync(1);
        await page.GetByTestId("chart-sales-toggle").ClickAsync();
        await page.GetByTestId("chart-sales").ScrollIntoViewIfNeededAsync();
        await ViewportShotAsync(page, "dashboard-charts");

        var (credited, pending) = await ExpectedBalanceAsync(data.OrganizerId);
        await Expect(page.GetByTestId("balance-credited")).ToHaveTextAsync(Soles(credited));
        await Expect(page.GetByTestId("balance-pending")).ToHaveTextAsync(Soles(pending));
        await Expect(page.GetByTestId("balance-held")).ToHaveCountAsync(0);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ViewportShotAsync(page, "dashboard");
    }

    [Fact]
    public async Task Dashboard_Presets_ChangeTheUrlAndFiguresAndAReloadKeepsThem()
    {
        var data = await StoreOrganizerAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(data.OrganizerId), SummaryPath(data.OrganizerId, data.PreviousMonth));
        await ExpectCardsAsync(page, await ExpectedAsync(data.OrganizerId, data.PreviousMonth, null));
        await Expect(page.GetByTestId("preset-previous-month")).ToHaveAttributeAsync("aria-pressed", "true");

        await page.GetByTestId("preset-this-month").ClickAsync();

        var thisMonth = await ExpectedAsync(data.OrganizerId, data.ThisMonth, null);
        Assert.Equal(300.00m, thisMonth.Gross);
        await ExpectCardsAsync(page, thisMonth);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("preset=este-mes"));
        Assert.Equal(Query(data.ThisMonth.From), page.QueryValue("desde"));
        Assert.Equal(Query(data.ThisMonth.To), page.QueryValue("hasta"));
        await Expect(page.GetByTestId("preset-this-month")).ToHaveAttributeAsync("aria-pressed", "true");

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await ExpectCardsAsync(page, thisMonth);
        Assert.Equal("este-mes", page.QueryValue("preset"));
        await Expect(page.GetByTestId("preset-this-month")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task Dashboard_PhoneWidth_FitsTheScreen()
    {
        var data = await StoreOrganizerAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(data.OrganizerId), SummaryPath(data.OrganizerId, data.PreviousMonth));
        await page.SetViewportSizeAsync(390, 844);

        var expected = await ExpectedAsync(data.OrganizerId, data.PreviousMonth, null);
        await ExpectCardsAsync(page, expected);
        await Expect(page.GetByTestId("kpi-net")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 1, $"The page is {overflow}px wider than a 390px phone screen.");

        // The app bar is fixed (it never widens the page): each of its controls must itself be on the screen.
        var offScreen = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('.mud-appbar .mud-toolbar > *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)" +
            ".map(e => (e.getAttribute('data-testid') || e.className || e.tagName) + ' ends at ' + Math.round(e.getBoundingClientRect().right))");
        Assert.True(offScreen.Length == 0, "App bar controls off a 390px screen: " + string.Join("; ", offScreen));
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ViewportShotAsync(page, "dashboard-phone");
    }

    [Fact]
    public async Task Events_ListAndEventPage_ShowTheEventsFiguresFromTheLedger()
    {
        var data = await StoreOrganizerAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(data.OrganizerId), $"eventos?org={data.OrganizerId}");
        await page.SetViewportSizeAsync(1366, 900);

        foreach (var ev in data.Events)
        {
            var all = await ExpectedAsync(data.OrganizerId, null, ev.Id);
            await Expect(page.GetByTestId($"event-gross-{ev.Id}")).ToHaveTextAsync(Soles(all.Gross));
            await Expect(page.GetByTestId($"event-net-{ev.Id}")).ToHaveTextAsync(Soles(all.Net));
            await Expect(page.GetByTestId($"event-commission-{ev.Id}")).ToHaveTextAsync(Soles(all.CommissionBase + all.CommissionIgv));
            await Expect(page.GetByTestId($"event-refunds-{ev.Id}")).ToHaveTextAsync(Soles(all.Refunds + all.Chargebacks));
        }

        await Expect(page.GetByTestId($"event-state-{data.Events[0].Id}")).ToContainTextAsync("Próximo");
        await Expect(page.GetByTestId($"event-state-{data.Events[1].Id}")).ToContainTextAsync("Pagos congelados");
        await ViewportShotAsync(page, "events");

        await page.GetByTestId($"event-link-{data.Events[1].Id}").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"eventos/{data.Events[1].Id}\\?org={data.OrganizerId}"));
        await Expect(page.GetByTestId("event-name")).ToHaveTextAsync(data.Events[1].Name);

        await page.GotoAsync(EventPath(data.OrganizerId, data.Events[1].Id, data.PreviousMonth));
        await page.WaitForInteractiveAsync();
        var scoped = await ExpectedAsync(data.OrganizerId, data.PreviousMonth, data.Events[1].Id);
        Assert.NotEqual(0m, scoped.Gross);
        await ExpectCardsAsync(page, scoped);
        await Expect(page.GetByTestId("chart-events")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("event-purchase-row")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("event-refund-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("event-refund-amount")).ToHaveTextAsync("S/ 33.33");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ViewportShotAsync(page, "event");
    }

    private static string SummaryPath(int organizerId, DatePeriod period) =>
        string.Create(CultureInfo.InvariantCulture, $"resumen?org={organizerId}&desde={Query(period.From)}&hasta={Query(period.To)}");

    private static string EventPath(int organizerId, int eventId, DatePeriod period) =>
        string.Create(CultureInfo.InvariantCulture, $"eventos/{eventId}?org={organizerId}&desde={Query(period.From)}&hasta={Query(period.To)}");

    private static async Task ExpectCardsAsync(IPage page, Figures expected)
    {
        await Expect(page.GetByTestId("summary-gross-sales")).ToHaveTextAsync(Soles(expected.Gross));
        await Expect(page.GetByTestId("summary-tickets-sold")).ToHaveTextAsync(expected.Tickets.ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("summary-refunds")).ToHaveTextAsync(Soles(expected.Refunds));
        await Expect(page.GetByTestId("summary-chargebacks")).ToHaveTextAsync(Soles(expected.Chargebacks));
        await Expect(page.GetByTestId("summary-refunds-chargebacks")).ToHaveTextAsync(Soles(expected.Refunds + expected.Chargebacks));
        await Expect(page.GetByTestId("summary-mp-fees")).ToHaveTextAsync(Soles(expected.MercadoPagoFees));
        await Expect(page.GetByTestId("summary-commission")).ToHaveTextAsync(Soles(expected.CommissionBase + expected.CommissionIgv));
        await Expect(page.GetByTestId("summary-commission-base")).ToHaveTextAsync(Soles(expected.CommissionBase));
        await Expect(page.GetByTestId("summary-commission-igv")).ToHaveTextAsync(Soles(expected.CommissionIgv));
        await Expect(page.GetByTestId("summary-other-fees")).ToHaveTextAsync(Soles(expected.OtherFees));
        await Expect(page.GetByTestId("summary-net")).ToHaveTextAsync(Soles(expected.Net));
    }

    private static async Task<decimal> SumAsync(IPage page, string testId)
    {
        var texts = await page.GetByTestId(testId).AllTextContentsAsync();
        Assert.NotEmpty(texts);
        return texts.Sum(ParseSoles);
    }

    /// <summary>A viewport (not full page) screenshot, small enough for the user guide.</summary>
    private static async Task ViewportShotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserArtifacts.Screenshots, $"guide-{name}.png"),
            FullPage = false,
        });
    }

    /// <summary>
    /// A period's figures (all time when null), optionally of one event, summed here from the stored LedgerEntries:
    /// PEN only, local date in the period.
    /// </summary>
    private async Task<Figures> ExpectedAsync(int organizerId, DatePeriod? period, int? eventId)
    {
        await using var db = portal.CreateDbContext();
        var query = db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId && e.Currency == "PEN");
        if (eventId is { } id) query = query.Where(e => e.EventId == id);
        var rows = await query.ToListAsync(CancellationToken);
        if (period is not null) rows = rows.Where(e => e.LocalDate >= period.From && e.LocalDate <= period.To).ToList();
        var sales = rows.Where(e => e.Kind == LedgerEntryKind.Sale).ToList();
        var figures = new Figures(
            sales.Sum(e => e.Tickets),
            sales.Sum(e => e.Gross),
            rows.Where(e => e.Kind == LedgerEntryKind.Refund).Sum(e => e.Gross),
            rows.Where(e => e.Kind is LedgerEntryKind.Chargeback or LedgerEntryKind.ChargebackReversal).Sum(e => e.Gross),
            rows.Sum(e => e.MercadoPagoFee),
            rows.Sum(e => e.CommissionBase),
            rows.Sum(e => e.CommissionIgv),
            rows.Sum(e => e.OtherFees),
            rows.Sum(e => e.Net));
        Assert.Equal(figures.Net, figures.Gross + figures.Refunds + figures.Chargebacks + figures.MercadoPagoFees + figures.CommissionBase + figures.CommissionIgv + figures.OtherFees);
        return figures;
    }

    private async Task<(decimal Credited, decimal Pending)> ExpectedBalanceAsync(int organizerId)
    {
        await using var db = portal.CreateDbContext();
        var rows = await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId && e.Currency == "PEN").ToListAsync(CancellationToken);
        Assert.DoesNotContain(rows, e => e.ReleaseState is ReleaseState.ReleasesOnDate or ReleaseState.Held);
        return (rows.Where(e => e.ReleaseState == ReleaseState.Released).Sum(e => e.Net), rows.Where(e => e.ReleaseState == ReleaseState.Pending).Sum(e => e.Net));
    }

    /// <summary>
    /// An organizer with three events (an upcoming one, a finished one with payouts frozen, a cancelled one) and, in
    /// the previous month (Lima): sales by Visa and Yape for the first two events, a refund, a chargeback, a USD sale
    /// that never counts; in this month a S/ 300.00 sale. The frozen event has three purchases.
    /// </summary>
    private async Task<SeededOrganizer> StoreOrganizerAsync()
    {
        var ct = CancellationToken;
        var now = portal.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(LimaOffset).DateTime);
        var thisMonth = new DatePeriod(new DateOnly(today.Year, today.Month, 1), today);
        var previous = today.AddMonths(-1);
        var previousMonth = DatePeriod.Month(previous.Year, previous.Month);
        DateTimeOffset InPrevious(int day, int hour) => new(previousMonth.From.AddDays(day - 1).ToDateTime(new TimeOnly(hour, 0)), LimaOffset);
        var startOfThisMonth = new DateTimeOffset(thisMonth.From.ToDateTime(TimeOnly.MinValue), LimaOffset);
        var recent = now.AddHours(-1) > startOfThisMonth ? now.AddHours(-1) : startOfThisMonth;

        var organizer = new OrganizerBuilder().Build();
        List<Event> events;
        await using (var db = portal.CreateDbContext())
        {
            db.Organizers.Add(organizer);
            await db.SaveChangesAsync(ct);
            Event Make(string name, DateTimeOffset starts, EventStatus status = EventStatus.Scheduled, bool frozen = false) => new()
            {
                OrganizerId = organizer.Id,
                ExternalId = $"{organizer.ExternalId}_{name}",
                Name = name,
                Venue = "Arena Lima",
                City = "Lima",
                StartsAt = starts,
                Capacity = 500,
                Status = status,
                PayoutsFrozen = frozen,
                CreatedAt = now,
                UpdatedAt = now,
            };
            events =
            [
                Make("Festival de Verano", now.AddDays(40)),
                Make("Noche de Jazz", InPrevious(25, 21), EventStatus.Finished, frozen: true),
                Make("Rock en el Parque", now.AddDays(60), EventStatus.Cancelled),
            ];
            db.Events.AddRange(events);
            await db.SaveChangesAsync(ct);
            db.Purchases.AddRange(Enumerable.Range(1, 3).Select(i => new Purchase
            {
                ExternalId = $"{organizer.ExternalId}_ord_{i}",
                OrganizerId = organizer.Id,
                EventId = events[1].Id,
                BuyerEmail = $"comprador{i}@correo.example",
                Tickets = i,
                Amount = 50m * i,
                Status = PurchaseStatus.Paid,
                CreatedAt = InPrevious(i, 12),
                UpdatedAt = InPrevious(i, 12),
                PaymentDate = InPrevious(i, 12),
            }));
            await db.SaveChangesAsync(ct);
        }

        var released = (DateTimeOffset?)InPrevious(previousMonth.Days, 12);
        var yape = new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[1].Id).WithAmounts(200.00m, 9.44m, 10.00m, otherFees: 3.50m).WithTickets(2)
            .ApprovedAt(InPrevious(20, 15)).WithRelease(released, MoneyReleaseStatus.Released).Build();
        yape.PaymentMethodId = "yape";
        yape.PaymentTypeId = "bank_transfer";
        Payment[] payments =
        [
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[0].Id).WithAmounts(1250.00m, 59.00m, 62.50m).WithTickets(4)
                .ApprovedAt(InPrevious(3, 10)).WithRelease(released, MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[1].Id).WithAmounts(99.99m, 4.72m, 5.00m).WithTickets(1)
                .ApprovedAt(InPrevious(10, 18)).WithRelease(released, MoneyReleaseStatus.Released)
                .WithRefund(33.33m, InPrevious(12, 9)).Build(),
            yape,
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[0].Id).WithAmounts(120.00m, 5.66m, 6.00m).WithTickets(1)
                .ApprovedAt(InPrevious(8, 11)).WithRelease(released, MoneyReleaseStatus.Released)
                .WithStatusChange(PaymentStatus.ChargedBack, "in_process", InPrevious(15, 16)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithCurrency("USD").WithAmounts(80.00m, 3.78m, 4.00m)
                .ApprovedAt(InPrevious(6, 10)).WithRelease(released, MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[0].Id).WithAmounts(300.00m, 14.16m, 15.00m).WithTickets(3)
                .ApprovedAt(recent).WithRelease(recent.AddDays(14), MoneyReleaseStatus.Pending).Build(),
        ];

        var writer = new PaymentLedgerWriter(new FakeTimeProvider(now));
        await using (var db = portal.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.AddRange(payments);
            await writer.ReplaceAsync(db, payments, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return new SeededOrganizer(organizer.Id, previousMonth, thisMonth, events);
    }

    private static string Soles(decimal amount) =>
        (amount < 0 ? "-" : "") + "S/ " + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static decimal ParseSoles(string text)
    {
        var t = text.Replace('\u00A0', ' ').Trim();
        var amount = decimal.Parse(t.TrimStart('-').Replace("S/", "", StringComparison.Ordinal).Trim(), NumberStyles.Number, CultureInfo.InvariantCulture);
        return t.StartsWith('-') ? -amount : amount;
    }

    private static string Query(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Figures(int Tickets, decimal Gross, decimal Refunds, decimal Chargebacks, decimal MercadoPagoFees, decimal CommissionBase, decimal CommissionIgv, decimal OtherFees, decimal Net);

    private sealed record SeededOrganizer(int OrganizerId, DatePeriod PreviousMonth, DatePeriod ThisMonth, List<Event> Events);
}
