using System.Globalization;
using System.Text;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;
using BillingPortal.Core.Statements.Rendering;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using CsCheck;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using UglyToad.PdfPig;

namespace BillingPortal.Tests.Integration.Statements;

/// <summary>
/// One statement in the three formats, written to real files and read back (PdfPig, MiniExcel, a CSV parser): every
/// total equals the ledger's and the dashboard's, to the cent.
/// </summary>
public sealed class StatementFormatsTests : IAsyncLifetime
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private SqliteTestDatabase _db = null!;
    private string _directory = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);
        _directory = Directory.CreateTempSubdirectory("bp-statements-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task PdfExcelAndCsv_SameStatement_AgreeWithTheLedgerAndTheDashboard()
    {
        var ct = TestContext.Current.CancellationToken;
        await LedgerGenerators.Payment(LedgerGenerators.DefaultStart, spanDays: 60, eventIds: [null, 1, 2]).Array[400]
            .SampleAsync(payments => RenderAndCheckAsync(payments, ct), iter: 1, threads: 1);
    }

    private async Task RenderAndCheckAsync(Payment[] payments, CancellationToken ct)
    {
        var organizer = new OrganizerBuilder().WithPlan(new CommissionPlan { Name = "Plan estándar", Rate = 0.05m, FixedPerTicket = 1.00m }).Build();
        await using (var db = _db.CreateContext())
        {
            db.Organizers.Add(organizer);
            await db.SaveChangesAsync(ct);
            var events = Enumerable.Range(1, 2).Select(i => new Event
            {
                OrganizerId = organizer.Id, ExternalId = $"evt_{i}", Name = i == 1 ? "Festival Selvámonos, «edición 2026»" : "=Concierto; con \"comillas\"",
                Venue = "Lima", StartsAt = new DateTimeOffset(2026, 6, i, 20, 0, 0, Lima), Capacity = 100,
            }).ToList();
            db.Events.AddRange(events);
            await db.SaveChangesAsync(ct);
            foreach (var p in payments)
            {
                p.OrganizerId = organizer.Id;
                p.EventId = p.EventId is { } n ? events[n - 1].Id : null;
                p.PayerEmail = $"persona{p.Id}@example.com";
            }
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, Lima));
        await using (var db = _db.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.AddRange(payments);
            await new PaymentLedgerWriter(time).ReplaceAsync(db, payments, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        var period = new DatePeriod(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31));
        var dashboard = new DashboardQueries(_db.Factory, time);
        var expected = await new LedgerQueries(_db.Factory).GetPeriodSummaryAsync(organizer.Id, period, null, ct);
        Assert.Equal(expected, (await dashboard.GetDashboardAsync(organizer.Id, period, null, ct)).Current);
        var composer = new StatementComposer(_db.Factory, dashboard, new LedgerQueries(_db.Factory), time, Options.Create(new PlatformIdentityOptions()));
        var statement = await composer.ComposeAsync(new StatementRequest(organizer.Id, period), ct, number: "EC-2026-03-000001");
        Assert.NotNull(statement);
        Assert.True(statement.LineCount > 300, $"{statement.LineCount} lines");

        // PDF
        var pdfPath = Path.Combine(_directory, "estado.pdf");
        await using (var file = File.Create(pdfPath)) await PdfStatementRenderer.RenderAsync(statement, file, ct);
        // Kept under artifacts/statements/ (git-ignored) to look at: pdftoppm -png -r 60 estado.pdf page
        var artifacts = Path.Combine(Path.GetDirectoryName(BrowserArtifacts.Root)!, "statements");
        Directory.CreateDirectory(artifacts);
        File.Copy(pdfPath, Path.Combine(artifacts, "estado.pdf"), overwrite: true);
        using (var pdf = PdfDocument.Open(pdfPath))
        {
            var pages = pdf.GetPages().Select(p => p.Text).ToList();
            Assert.True(pages.Count > 3, $"{pages.Count} pages");
            for (var i = 0; i < pages.Count; i++) Assert.Contains($"Página {i + 1} de {pages.Count}", pages[i], StringComparison.Ordinal);
            var first = pages[0];
            Assert.Contains(organizer.LegalName, first, StringComparison.Ordinal);
            Assert.Contains(organizer.TaxId, first, StringComparison.Ordinal);
            Assert.Contains("EC-2026-03-000001", first, StringComparison.Ordinal);
            Assert.Contains("Ventas brutas" + PdfStatementRenderer.Money(expected.GrossSales), first, StringComparison.Ordinal);
            Assert.Contains("Neto" + PdfStatementRenderer.Money(expected.Net), first, StringComparison.Ordinal);
            Assert.Contains("IGV de la comisión" + PdfStatementRenderer.Money(expected.CommissionIgv), first, StringComparison.Ordinal);
            Assert.Contains("Acreditado a la fecha del estado" + PdfStatementRenderer.Money(statement.Balance.Credited), first, StringComparison.Ordinal);
            // The lines' table repeats its header on every page after the first, and ends with the totals.
            Assert.All(pages.Skip(1), p => Assert.Contains("Fecha y horaID de pago", p, StringComparison.Ordinal));
            Assert.Contains("Total bruto de los movimientos" + PdfStatementRenderer.Money(expected.GrossSales + expected.Refunds + expected.Chargebacks), pages[^1], StringComparison.Ordinal);
            Assert.Contains("Total IGV de la comisión" + PdfStatementRenderer.Money(expected.CommissionIgv), pages[^1], StringComparison.Ordinal);
            Assert.Contains("Total neto" + PdfStatementRenderer.Money(expected.Net), pages[^1], StringComparison.Ordinal);
        }

        // Excel
        var xlsxPath = Path.Combine(_directory, "estado.xlsx");
        await using (var file = File.Create(xlsxPath)) await ExcelStatementRenderer.RenderAsync(statement, file, ct);
        Assert.Equal(["Resumen", "Por evento", "Movimientos"], MiniExcel.GetSheetNames(xlsxPath));
        var movements = MiniExcel.Query(xlsxPath, useHeaderRow: true, sheetName: "Movimientos").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(statement.LineCount, movements.Count);
        Assert.All(movements, r => Assert.IsType<double>(r["Neto"]));
        Assert.All(movements, r => Assert.IsType<DateTime>(r["Fecha"]));
        Assert.Equal(expected.Net, movements.Sum(r => Cents(r["Neto"])));
        Assert.Equal(expected.GrossSales, movements.Where(r => (string?)r["Movimiento"] == "Venta").Sum(r => Cents(r["Bruto"])));
        Assert.Equal(expected.CommissionIgv, movements.Sum(r => Cents(r["IGV comisión"])));
        var summary = MiniExcel.Query(xlsxPath, useHeaderRow: true, sheetName: "Resumen").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(expected.Net, Cents(summary.Single(r => (string?)r["Concepto"] == "Neto")["Importe"]));
        Assert.Equal(expected.Sales, Convert.ToInt32(summary.Single(r => (string?)r["Concepto"] == "Ventas (pagos)")["Cantidad"], CultureInfo.InvariantCulture));
        var byEvent = MiniExcel.Query(xlsxPath, useHeaderRow: true, sheetName: "Por evento").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(expected.Net, byEvent.Sum(r => Cents(r["Neto"])));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(xlsxPath))
        {
            using var reader = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open());
            Assert.Contains("&quot;S/&quot; #,##0.00", await reader.ReadToEndAsync(ct), StringComparison.Ordinal);
        }

        // CSV, both separators
        foreach (var separator in new[] { ',', ';' })
        {
            var csvPath = Path.Combine(_directory, $"estado{(separator == ',' ? "-coma" : "-punto-y-coma")}.csv");
            await using (var file = File.Create(csvPath)) await CsvStatementRenderer.RenderAsync(statement, file, separator, ct);
            var bytes = await File.ReadAllBytesAsync(csvPath, ct);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
            var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), separator);
            Assert.Equal(StatementTexts.MovementColumns, rows[0]);
            var data = rows.Skip(1).ToList();
            Assert.Equal(statement.LineCount, data.Count);
            int Col(string name) => StatementTexts.MovementColumns.ToList().IndexOf(name);
            Assert.Equal(expected.Net, data.Sum(r => decimal.Parse(r[Col("Neto")], CultureInfo.InvariantCulture)));
            Assert.Equal(expected.MercadoPagoFees, data.Sum(r => decimal.Parse(r[Col("Comisión Mercado Pago")], CultureInfo.InvariantCulture)));
            Assert.Contains(data, r => r[Col("Evento")] == "'=Concierto; con \"comillas\"");
            Assert.All(data, r => Assert.Matches(@"^p\*\*\*@example\.com$", r[Col("Comprador")]));
        }
    }

    private static decimal Cents(object? value) => Math.Round(Convert.ToDecimal(value, CultureInfo.InvariantCulture), 2);

    /// <summary>RFC 4180: quoted fields, doubled quotes, CRLF rows.</summary>
    private static List<List<string>> ParseCsv(string text, char separator)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == separator) { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++; }
            else field.Append(c);
        }

        return rows;
    }
}
