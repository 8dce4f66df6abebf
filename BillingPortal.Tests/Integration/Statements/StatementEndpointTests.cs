using System.Net;
using System.Text.Json;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.Statements;

/// <summary>The portal with its Quartz statement job on (every second), other jobs off, and a 5-line background threshold.</summary>
public sealed class StatementsPortalFactory : SignedInPortalFactory
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["Jobs:Enabled"] = "true";
        settings["MercadoPago:TokenRenewal:Enabled"] = "false";
        settings["Jobs:TokenKeyRotation:Enabled"] = "false";
        settings["Jobs:PaymentSync:Enabled"] = "false";
        settings["Jobs:PaymentSync:ReconciliationEnabled"] = "false";
        settings["Jobs:Statements:MonthlyEnabled"] = "false";
        settings["Jobs:Statements:Interval"] = "00:00:01";
        settings["Statements:BackgroundThresholdLines"] = "5";
    }
}

/// <summary>Statement downloads over real HTTP: small at once, large through the Quartz job, validation, tenancy.</summary>
public sealed class StatementEndpointTests(StatementsPortalFactory portal) : IClassFixture<StatementsPortalFactory>
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(PortalBrowser Browser, int OrganizerId)> ViewerWithSalesAsync(int sales)
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"lectora{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Viewer);
        var payments = Enumerable.Range(0, sales)
            .Select(i => new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 10, 1 + i, 11, 0, 0, Lima)).Build())
            .ToList();
        await using (var db = portal.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            db.Payments.AddRange(payments);
            await portal.Services.GetRequiredService<PaymentLedgerWriter>().ReplaceAsync(db, payments, Ct);
            await db.SaveChangesAsync(Ct);
            await tx.CommitAsync(Ct);
        }

        return (await portal.SignInWithEmailAsync(email), organizer.Id);
    }

    private static async Task<HttpResponseMessage> GenerateAsync(PortalBrowser browser, int organizerId, string format, string from = "2026-10-01", string to = "2026-10-31", string separator = "coma")
    {
        var token = await browser.AntiforgeryTokenAsync("/sin-organizador");
        return await browser.PostFormAsync("/estados-de-cuenta/generar", ("__RequestVerificationToken", token),
            ("organizerId", organizerId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("desde", from), ("hasta", to), ("evento", ""),
            ("formato", format), ("separador", separator));
    }

    [Fact]
    public async Task SmallStatement_Viewer_DownloadsThePdfAtOnce()
    {
        var (browser, organizerId) = await ViewerWithSalesAsync(3);
        using var _ = browser;

        using var response = await GenerateAsync(browser, organizerId, "pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches("^\"?estado-de-cuenta_.+_2026-10-01_2026-10-31\\.pdf\"?$", response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        Assert.Contains("Neto" + Core.Statements.Rendering.PdfStatementRenderer.Money(3 * 135.42m), pdf.GetPage(1).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeStatement_IsGeneratedByTheJob_AndOnlyItsOrganizerDownloadsIt()
    {
        var (browser, organizerId) = await ViewerWithSalesAsync(12);
        var (stranger, _) = await ViewerWithSalesAsync(1);
        using var _ = browser;
        using var __ = stranger;

        using var response = await GenerateAsync(browser, organizerId, "xlsx");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/estados-de-cuenta?org={organizerId}&exportacion=", location, StringComparison.Ordinal);
        var id = Guid.Parse(location[(location.LastIndexOf('=') + 1)..]);
        var export = await EventuallyAsync(id);
        Assert.Equal((StatementExportStatus.Completed, 12L), (export.Status, export.LinesWritten));

        using var file = await browser.GetAsync($"/estados-de-cuenta/archivos/{id}?org={organizerId}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var bytes = await file.Content.ReadAsByteArrayAsync(Ct);
        using var copy = new MemoryStream(bytes);
        Assert.Equal(12, MiniExcelLibs.MiniExcel.Query(copy, useHeaderRow: true, sheetName: "Movimientos").Count());

        using var foreign = await stranger.GetAsync($"/estados-de-cuenta/archivos/{id}?org={organizerId}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var (page, body) = await browser.GetPageAsync($"/estados-de-cuenta?org={organizerId}");
        Assert.Equal(HttpStatusCode.OK, page);
        Assert.Contains(export.FileName, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docx", "2026-10-01", "2026-10-31", "coma", "formato")]
    [InlineData("pdf", "2026-10-31", "2026-10-01", "coma", "desde")]
    [InlineData("pdf", "2026-10-01", "31/10/2026", "coma", "hasta")]
    [InlineData("pdf", "2025-01-01", "2026-10-31", "coma", "hasta")]
    [InlineData("csv", "2026-10-01", "2026-10-31", "tab", "separador")]
    public async Task BadInput_Is400NamingTheField_AndNothingIsQueued(string format, string from, string to, string separator, string field)
    {
        var (browser, organizerId) = await ViewerWithSalesAsync(1);
        using var _ = browser;

        using var response = await GenerateAsync(browser, organizerId, format, from, to, separator);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), problem.RootElement.ToString());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        await using var db = portal.CreateDbContext();
        Assert.Equal(0, await db.StatementExports.CountAsync(e => e.OrganizerId == organizerId, Ct));
    }

    [Fact]
    public async Task AnotherOrganizer_Or_NoAntiforgery_GetsNothing()
    {
        var (browser, organizerId) = await ViewerWithSalesAsync(1);
        var (stranger, _) = await ViewerWithSalesAsync(1);
        using var _ = browser;
        using var __ = stranger;

        using var foreign = await GenerateAsync(stranger, organizerId, "csv");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        using var forged = await browser.PostFormAsync("/estados-de-cuenta/generar", ("organizerId", organizerId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("desde", "2026-10-01"), ("hasta", "2026-10-31"), ("formato", "csv"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    private async Task<StatementExport> EventuallyAsync(Guid id)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            await using var db = portal.CreateDbContext();
            var export = await db.StatementExports.AsNoTracking().SingleAsync(e => e.Id == id, Ct);
            if (export.Status is StatementExportStatus.Completed or StatementExportStatus.Failed || timeout.IsCancellationRequested) return export;
            await Task.Delay(200, Ct);
        }
    }
}
