using System.Text;
using System.Text.RegularExpressions;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Browser;

/// <summary>
/// The browser portal with a 10-line background threshold, four statement generations per user in ten minutes, and no
/// Quartz (jobs are off in tests): a queued statement waits until the test runs the worker's step itself.
/// </summary>
public sealed class StatementsBrowserPortalFactory : BrowserPortalFactory
{
    public const int GenerationsPerUser = 4;

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["Statements:BackgroundThresholdLines"] = "10";
        settings["RateLimits:Window"] = "00:10:00";
        settings["RateLimits:StatementGeneration:PerUser"] = GenerationsPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// The statements page in Chromium (issue #7 §5, §7): a small statement downloads at once in PDF, Excel and CSV (names
/// with organizer, period and format; valid content), a large one is queued with its progress bar, the portal tells the
/// person on another page when it is ready, the list shows it done, and the rate limit is explained in Spanish.
/// </summary>
public sealed class StatementsPageTests(BrowserFixture browser, StatementsBrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<StatementsBrowserPortalFactory>
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    [Fact]
    public async Task Statements_SmallAtOnce_LargeQueuedWithProgress_ReadyNotifiedOnAnotherPage_AndTheLimitExplained()
    {
        var (organizer, small, period) = await SeedAsync(smallSales: 3, largeSales: 12);
        var page = await SignedInPageAsync(portal, BrowserUser.ViewerOf(organizer.Id), $"estados-de-cuenta?org={organizer.Id}");
        await Expect(page.GetByTestId("statements-empty")).ToBeVisibleAsync();

        // One event (3 lines, under the threshold): each format downloads at once.
        await page.GetByTestId("statements-event").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = small.Name }).ClickAsync();
        // The form's hidden fields follow the controls through the circuit: post once they have.
        await Expect(page.Locator("input[name=evento]")).ToHaveValueAsync(small.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (label, format) in new[] { ("PDF", StatementFormat.Pdf), ("Excel", StatementFormat.Xlsx), ("CSV", StatementFormat.Csv) })
        {
            await page.GetByTestId("statements-format").GetByText(label, new() { Exact = true }).ClickAsync();
            await Expect(page.Locator("input[name=formato]")).ToHaveValueAsync(StatementExports.Extension(format));
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("statements-submit").ClickAsync());
            var extension = StatementExports.Extension(format);
            var expected = new Regex($"^estado-de-cuenta_[a-z0-9-]+_{period.From:yyyy-MM-dd}_{period.To:yyyy-MM-dd}_evento-{small.Id}\\.{extension}$");
            Assert.True(expected.IsMatch(download.SuggestedFilename), $"{download.SuggestedFilename} does not match {expected}");
            Assert.Equal(StatementExports.FileNameFor(organizer.LegalName, new StatementRequest(organizer.Id, period, small.Id), format), download.SuggestedFilename);
            AssertStatement(format, await File.ReadAllBytesAsync(await download.PathAsync(), CancellationToken), lines: 3);
        }

        // All events (15 lines): queued, back on the page with its progress bar.
        await page.GetByTestId("statements-event").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Todos los eventos" }).ClickAsync();
        await Expect(page.Locator("input[name=evento]")).ToHaveValueAsync("");
        await page.WaitForNewDocumentAsync(() => page.GetByTestId("statements-submit").ClickAsync());
        var id = Guid.Parse(page.QueryValue("exportacion")!);
        var status = page.GetByTestId($"statement-status-{id:N}");
        await Expect(status).ToHaveAttributeAsync("data-status", "Queued");
        await Expect(page.GetByTestId($"statement-progress-{id:N}")).ToBeVisibleAsync();
        await Expect(status).ToContainTextAsync("0 % · 0 / 15");
        await SaveGuideShotAsync(page, "estados-de-cuenta-avance");

        // The person goes to the summary (another tab of the same session); the worker generates the file meanwhile.
        var summary = await page.Context.NewPageAsync();
        await summary.GotoAsync($"resumen?org={organizer.Id}");
        await summary.WaitForInteractiveAsync();
        Assert.True(await portal.Services.GetRequiredService<StatementExports>().RunNextAsync(CancellationToken));

        var export = await portal.Services.GetRequiredService<StatementExports>().GetAsync(organizer.Id, id, CancellationToken);
        Assert.Equal(StatementExportStatus.Completed, export!.Status);
        var notice = summary.GetByTestId("statement-ready-notification");
        await Expect(notice).ToContainTextAsync($"Tu estado de cuenta {export.FileName} está listo.");
        await Expect(summary.GetByTestId("statement-notifications-badge")).ToContainTextAsync("1");
        await SaveGuideShotAsync(summary, "estados-de-cuenta-aviso");
        var href = await summary.GetByTestId("statement-ready-download").GetAttributeAsync("href");
        Assert.Equal($"estados-de-cuenta/archivos/{id:D}?org={organizer.Id}", href);
        var file = await summary.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, file.Status);
        Assert.Contains(export.FileName, file.Headers["content-disposition"], StringComparison.Ordinal);
        AssertStatement(StatementFormat.Csv, await file.BodyAsync(), lines: 15);

        // Back on the statements tab, the bar has given way to the file (the page follows it by itself).
        await Expect(status).ToHaveAttributeAsync("data-status", "Completed");
        await Expect(page.GetByTestId($"statement-progress-{id:N}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId($"statement-download-{id:N}")).ToHaveTextAsync(export.FileName);
        await page.BringToFrontAsync();
        await SaveGuideShotAsync(page, "estados-de-cuenta");

        // A fifth statement within ten minutes: the limit, said in Spanish on the page instead of an error.
        await page.WaitForNewDocumentAsync(() => page.GetByTestId("statements-submit").ClickAsync());
        var limited = page.GetByTestId("statements-rate-limited");
        await Expect(limited).ToContainTextAsync(new Regex(@"^Has generado demasiados estados de cuenta en poco tiempo\. Intenta de nuevo en \d+ segundos\.$"));
        Assert.Equal("generar", page.QueryValue("limite"));
        await SaveGuideShotAsync(page, "estados-de-cuenta-limite");
    }

    [Fact]
    public async Task Statements_PeriodTypedAndFormatPicked_SubmittedInTheSameInstant_PostsWhatWasChosen()
    {
        var (organizer, _, period) = await SeedAsync(smallSales: 3, largeSales: 0);
        var page = await SignedInPageAsync(portal, BrowserUser.ViewerOf(organizer.Id), $"estados-de-cuenta?org={organizer.Id}");
        await Expect(page.Locator("input[name=hasta]")).ToHaveValueAsync($"{period.To:yyyy-MM-dd}");
        var to = period.From.AddDays(14);
        // The live page has taken over the form's submit (Statements.razor.js).
        await Expect(page.GetByTestId("statements-form")).ToHaveAttributeAsync("data-synced-submit", "on");

        // In one browser task: type the end date, pick CSV, click «Generar». None of it has reached the server when the
        // form is submitted, so the hidden fields still hold the old period and PDF at that instant.
        var download = await page.RunAndWaitForDownloadAsync(() => page.EvaluateAsync(
            """
            to => {
              const picker = document.querySelector('[data-testid=statements-to]');
              const input = picker.matches('input') ? picker : picker.querySelector('input');
              input.value = to;
              input.dispatchEvent(new Event('input', { bubbles: true }));
              input.dispatchEvent(new Event('change', { bubbles: true }));
              const csv = [...document.querySelectorAll('[data-testid=statements-format] label')].find(l => l.textContent.trim() === 'CSV');
              csv.querySelector('input').click();
              if (document.querySelector('input[name=formato]')?.value !== 'pdf') throw new Error('the hidden format changed at once: this test proves nothing');
              document.querySelector('[data-testid=statements-submit]').click();
            }
            """, to.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)));

        var chosen = new StatementRequest(organizer.Id, new DatePeriod(period.From, to), null);
        Assert.Equal(StatementExports.FileNameFor(organizer.LegalName, chosen, StatementFormat.Csv), download.SuggestedFilename);
        AssertStatement(StatementFormat.Csv, await File.ReadAllBytesAsync(await download.PathAsync(), CancellationToken), lines: 3);
    }

    private static void AssertStatement(StatementFormat format, byte[] bytes, int lines)
    {
        Assert.NotEmpty(bytes);
        switch (format)
        {
            case StatementFormat.Pdf:
                Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
                using (var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes))
                {
                    Assert.True(pdf.NumberOfPages >= 1);
                    Assert.Contains("Neto", pdf.GetPage(1).Text, StringComparison.Ordinal);
                }

                break;
            case StatementFormat.Xlsx:
                Assert.Equal("PK"u8.ToArray(), bytes[..2]);
                using (var copy = new MemoryStream(bytes))
                {
                    Assert.Equal(lines, MiniExcelLibs.MiniExcel.Query(copy, useHeaderRow: true, sheetName: "Movimientos").Count());
                }

                break;
            default:
                Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
                var rows = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(lines + 1, rows.Length);
                break;
        }
    }

    /// <summary>An organizer with two events last month (Lima): a small one and a larger one.</summary>
    private async Task<(Organizer Organizer, Event Small, DatePeriod Period)> SeedAsync(int smallSales, int largeSales)
    {
        var ct = CancellationToken;
        var today = AccountingCalendar.Lima.LocalDate(DateTimeOffset.UtcNow);
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var period = new DatePeriod(from, from.AddMonths(1).AddDays(-1));
        var organizer = new OrganizerBuilder().Build();
        Event small, large;
        await using (var db = portal.CreateDbContext())
        {
            db.Organizers.Add(organizer);
            await db.SaveChangesAsync(ct);
            small = new Event { OrganizerId = organizer.Id, ExternalId = "evt_" + Guid.NewGuid().ToString("N"), Name = "Festival del Sol", Venue = "Playa Agua Dulce", StartsAt = new DateTimeOffset(from.Year, from.Month, 20, 20, 0, 0, Lima) };
            large = new Event { OrganizerId = organizer.Id, ExternalId = "evt_" + Guid.NewGuid().ToString("N"), Name = "Noche Criolla", Venue = "Teatro Municipal", StartsAt = new DateTimeOffset(from.Year, from.Month, 25, 21, 0, 0, Lima) };
            db.Events.AddRange(small, large);
            await db.SaveChangesAsync(ct);
        }

        var payments = Enumerable.Range(0, smallSales).Select(i => (small.Id, i))
            .Concat(Enumerable.Range(0, largeSales).Select(i => (large.Id, i)))
            .Select(x => new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(x.Item1).ApprovedAt(new DateTimeOffset(from.Year, from.Month, 2 + x.i, 11, 0, 0, Lima)).Build())
            .ToList();
        await using (var db = portal.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.AddRange(payments);
            await new BillingPortal.Core.Billing.Ledger.PaymentLedgerWriter(TimeProvider.System).ReplaceAsync(db, payments, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return (organizer, small, period);
    }

    private static async Task SaveGuideShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserArtifacts.Screenshots, $"guide.{name}.png"), FullPage = false, Animations = ScreenshotAnimations.Disabled });
}
