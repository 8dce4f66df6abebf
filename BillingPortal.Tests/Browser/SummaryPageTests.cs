using System.Globalization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Browser;

/// <summary>
/// The summary page in Chromium, over a real portal and SQLite file: every figure on screen equals the sum of the
/// organizer's ledger rows read straight from the database, written as "S/ 1,234.56".
/// </summary>
/// <remarks>
/// The data is dated relative to the portal's clock (its TimeProvider, the system clock), so the presets "this month"
/// and the previous month always have figures. Each test stores an organizer of its own and opens the page for it,
/// so the tests of this class share one portal without seeing each other's data.
/// </remarks>
public sealed class SummaryPageTests(BrowserFixture browser, BrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<BrowserPortalFactory>
{
    private static readonly TimeSpan LimaOffset = TimeSpan.FromHours(-5);

    /// <summary>The figures of the period section, by data-testid, as the page must show them.</summary>
    private static readonly string[] FigureIds =
    [
        "summary-tickets-sold", "summary-gross-sales", "summary-refunds", "summary-chargebacks", "summary-mp-fees",
        "summary-commission-base", "summary-commission-igv", "summary-other-fees", "summary-net",
    ];

    [Fact]
    public async Task Summary_PreviousMonthWithPayments_ShowsTheLedgerTotalsFromTheDatabase()
    {
        var data = await StoreOrganizerWithPaymentsAsync();

        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(data.OrganizerId), SummaryPath(data.OrganizerId, data.PreviousMonth));

        var expected = await ExpectedFiguresAsync(data.OrganizerId, data.PreviousMonth);
        await ExpectFiguresAsync(page, expected);
        // The sums by hand, so the test does not only mirror the database: 1,250.00 + 99.99 + 150.00 + 200.00 + 120.00.
        Assert.Equal("S/ 1,819.99", expected["summary-gross-sales"]);
        Assert.Equal("-S/ 33.33", expected["summary-refunds"]);
        Assert.Equal("-S/ 120.00", expected["summary-chargebacks"]);
        Assert.Equal("10", expected["summary-tickets-sold"]);
        await Expect(page.GetByTestId("summary-period"))
            .ToHaveTextAsync($"Del {Day(data.PreviousMonth.From)} al {Day(data.PreviousMonth.To)}");
        await Expect(page.GetByTestId("summary-organizer")).ToContainTextAsync(data.LegalName);

        var balance = await ExpectedBalanceAsync(data.OrganizerId);
        await Expect(page.GetByTestId("balance-credited")).ToHaveTextAsync(balance.Credited);
        await Expect(page.GetByTestId("balance-pending")).ToHaveTextAsync(balance.Pending);
        await Expect(page.GetByTestId("balance-held")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Summary_ThisMonthPreset_UpdatesFiguresAndLink()
    {
        var data = await StoreOrganizerWithPaymentsAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(data.OrganizerId), SummaryPath(data.OrganizerId, data.PreviousMonth));
        var before = await ExpectedFiguresAsync(data.OrganizerId, data.PreviousMonth);
        await ExpectFiguresAsync(page, before);
        await ScreenshotAsync(page, "previous-month");

        await page.GetByTestId("preset-this-month").ClickAsync();

        var after = await ExpectedFiguresAsync(data.OrganizerId, data.ThisMonth);
        Assert.NotEqual(before["summary-gross-sales"], after["summary-gross-sales"]);
        Assert.Equal("S/ 300.00", after["summary-gross-sales"]);
        Assert.Equal("-S/ 50.00", after["summary-refunds"]);
        await ExpectFiguresAsync(page, after);
        await Expect(page.GetByTestId("summary-period")).ToHaveTextAsync($"Del {Day(data.ThisMonth.From)} al {Day(data.ThisMonth.To)}");
        Assert.Equal(Query(data.ThisMonth.From), page.QueryValue("desde"));
        Assert.Equal(Query(data.ThisMonth.To), page.QueryValue("hasta"));
        Assert.Equal(data.OrganizerId.ToString(CultureInfo.InvariantCulture), page.QueryValue("org"));
    }

    [Fact]
    public async Task Summary_SwitchToEnglish_TranslatesLabelsAndKeepsFiguresAndPeriod()
    {
        var data = await StoreOrganizerWithPaymentsAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(data.OrganizerId), SummaryPath(data.OrganizerId, data.PreviousMonth));
        var expected = await ExpectedFiguresAsync(data.OrganizerId, data.PreviousMonth);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Resumen");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Ventas brutas" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Idioma: Español" }).ClickAsync();
        await page.WaitForNewDocumentAsync(() => page.GetByTestId("language-en").ClickAsync());

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Summary");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Gross sales" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("preset-this-month")).ToHaveTextAsync("This month");
        await ExpectFiguresAsync(page, expected);
        Assert.Equal(Query(data.PreviousMonth.From), page.QueryValue("desde"));
        Assert.Equal(Query(data.PreviousMonth.To), page.QueryValue("hasta"));
    }

    private static string SummaryPath(int organizerId, DatePeriod period) =>
        string.Create(CultureInfo.InvariantCulture, $"resumen?org={organizerId}&desde={Query(period.From)}&hasta={Query(period.To)}");

    private static async Task ExpectFiguresAsync(IPage page, IReadOnlyDictionary<string, string> expected)
    {
        foreach (var id in FigureIds)
        {
            await Expect(page.GetByTestId(id)).ToHaveTextAsync(expected[id]);
        }
    }

    /// <summary>
    /// The period's figures summed here from the organizer's stored ledger rows (PEN only, occurred in
    /// [from 00:00, to+1 00:00) Lima), not through LedgerQueries, and written the way the page must write them.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> ExpectedFiguresAsync(int organizerId, DatePeriod period)
    {
        var start = new DateTimeOffset(period.From.ToDateTime(TimeOnly.MinValue), LimaOffset);
        var end = new DateTimeOffset(period.To.AddDays(1).ToDateTime(TimeOnly.MinValue), LimaOffset);
        List<LedgerEntry> rows;
        await using (var db = portal.CreateDbContext())
        {
            rows = await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId).ToListAsync(CancellationToken);
        }

        var inPeriod = rows.Where(e => e.Currency == "PEN" && e.OccurredAt >= start && e.OccurredAt < end).ToList();
        Assert.NotEmpty(inPeriod);
        var sales = inPeriod.Where(e => e.Kind == LedgerEntryKind.Sale).ToList();
        var figures = new Dictionary<string, decimal>
        {
            ["summary-gross-sales"] = sales.Sum(e => e.Gross),
            ["summary-refunds"] = inPeriod.Where(e => e.Kind == LedgerEntryKind.Refund).Sum(e => e.Gross),
            ["summary-chargebacks"] = inPeriod.Where(e => e.Kind is LedgerEntryKind.Chargeback or LedgerEntryKind.ChargebackReversal).Sum(e => e.Gross),
            ["summary-mp-fees"] = inPeriod.Sum(e => e.MercadoPagoFee),
            ["summary-commission-base"] = inPeriod.Sum(e => e.CommissionBase),
            ["summary-commission-igv"] = inPeriod.Sum(e => e.CommissionIgv),
            ["summary-other-fees"] = inPeriod.Sum(e => e.OtherFees),
            ["summary-net"] = inPeriod.Sum(e => e.Net),
        };
        Assert.Equal(figures["summary-net"], figures.Where(f => f.Key != "summary-net").Sum(f => f.Value));

        var text = figures.ToDictionary(f => f.Key, f => Soles(f.Value));
        text["summary-tickets-sold"] = sales.Sum(e => e.Tickets).ToString(CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>Credited and pending as of now, from the stored rows: every row here is in the past.</summary>
    private async Task<(string Credited, string Pending)> ExpectedBalanceAsync(int organizerId)
    {
        await using var db = portal.CreateDbContext();
        var rows = await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId && e.Currency == "PEN").ToListAsync(CancellationToken);
        Assert.DoesNotContain(rows, e => e.ReleaseState is ReleaseState.ReleasesOnDate or ReleaseState.Held);
        return (Soles(rows.Where(e => e.ReleaseState == ReleaseState.Released).Sum(e => e.Net)),
            Soles(rows.Where(e => e.ReleaseState == ReleaseState.Pending).Sum(e => e.Net)));
    }

    /// <summary>
    /// An organizer with, in the previous month (Lima): a S/ 1,250.00 sale, a S/ 99.99 sale with a S/ 33.33 refund,
    /// a sale at 23:59:59 on the month's last day, a S/ 200.00 sale with other fees, a S/ 120.00 sale charged back,
    /// a rejected payment and a USD sale (neither counts); and in this month a S/ 300.00 sale and a S/ 50.00 refund
    /// of the previous month's S/ 200.00 sale (dated when it happened, so it never changes the previous month).
    /// </summary>
    private async Task<SeededOrganizer> StoreOrganizerWithPaymentsAsync()
    {
        var ct = CancellationToken;
        var now = portal.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(LimaOffset).DateTime);
        // «Este mes» is the month to date.
        var thisMonth = new DatePeriod(new DateOnly(today.Year, today.Month, 1), today);
        var previous = today.AddMonths(-1);
        var previousMonth = DatePeriod.Month(previous.Year, previous.Month);
        DateTimeOffset InPrevious(int day, int hour, int minute = 0, int second = 0) =>
            new(previousMonth.From.AddDays(day - 1).ToDateTime(new TimeOnly(hour, minute, second)), LimaOffset);
        var startOfThisMonth = new DateTimeOffset(thisMonth.From.ToDateTime(TimeOnly.MinValue), LimaOffset);
        var recent = now.AddHours(-1) > startOfThisMonth ? now.AddHours(-1) : startOfThisMonth;
        var lastDay = previousMonth.To.Day;

        var organizer = new OrganizerBuilder().Build();
        await using (var db = portal.CreateDbContext())
        {
            db.Organizers.Add(organizer);
            await db.SaveChangesAsync(ct);
        }

        var released = (DateTimeOffset?)InPrevious(lastDay, 12);
        Payment[] payments =
        [
            new PaymentBuilder().ForOrganizer(organizer.Id).WithAmounts(1250.00m, 59.00m, 62.50m).WithTickets(4)
                .ApprovedAt(InPrevious(3, 10)).WithRelease(released, MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithAmounts(99.99m, 4.72m, 5.00m).WithTickets(1)
                .ApprovedAt(InPrevious(10, 18, 30)).WithRelease(released, MoneyReleaseStatus.Released)
                .WithRefund(33.33m, InPrevious(12, 9)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithTickets(2)
                .ApprovedAt(InPrevious(lastDay, 23, 59, 59)).WithRelease(InPrevious(lastDay, 23, 59, 59).AddDays(14), MoneyReleaseStatus.Pending).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithAmounts(200.00m, 9.44m, 10.00m, otherFees: 3.50m).WithTickets(2)
                .ApprovedAt(InPrevious(20, 15)).WithRelease(released, MoneyReleaseStatus.Released)
                .WithRefund(50.00m, recent).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithAmounts(120.00m, 5.66m, 6.00m).WithTickets(1)
                .ApprovedAt(InPrevious(8, 11)).WithRelease(released, MoneyReleaseStatus.Released)
                .WithStatusChange(PaymentStatus.ChargedBack, "in_process", InPrevious(15, 16)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithStatus(PaymentStatus.Rejected, "cc_rejected_other_reason")
                .WithoutApprovalDate(InPrevious(5, 10)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithCurrency("USD").WithAmounts(80.00m, 3.78m, 4.00m)
                .ApprovedAt(InPrevious(6, 10)).WithRelease(released, MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithAmounts(300.00m, 14.16m, 15.00m).WithTickets(3)
                .ApprovedAt(recent).WithRelease(recent.AddDays(14), MoneyReleaseStatus.Pending).Build(),
        ];

        // As ingestion stores them: one transaction, through the one write path of the ledger.
        var writer = new PaymentLedgerWriter(new FakeTimeProvider(now));
        await using (var db = portal.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.AddRange(payments);
            await writer.ReplaceAsync(db, payments, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return new SeededOrganizer(organizer.Id, organizer.LegalName, previousMonth, thisMonth);
    }

    /// <summary>An amount as the portal writes money in every language: "S/ 1,234.56", "-S/ 33.33".</summary>
    private static string Soles(decimal amount) =>
        (amount < 0 ? "-" : "") + "S/ " + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static string Day(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Query(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record SeededOrganizer(int OrganizerId, string LegalName, DatePeriod PreviousMonth, DatePeriod ThisMonth);
}
