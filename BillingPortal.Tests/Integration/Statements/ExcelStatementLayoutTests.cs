using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Statements;
using BillingPortal.Core.Statements.Rendering;

namespace BillingPortal.Tests.Integration.Statements;

/// <summary>
/// The workbook's layout as Excel reads it (issue #7 §3), checked in the package's XML: every sheet has a frozen header
/// row and a filter over all its rows; «Movimientos» cells are typed (dates and money are numbers, not text) and carry
/// the <c>S/</c> and date formats; and the lines stream into the file instead of being gathered first.
/// </summary>
public sealed class ExcelStatementLayoutTests : IDisposable
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly DatePeriod Period = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
    private readonly string _directory = Directory.CreateTempSubdirectory("bp-excel-layout-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Workbook_EverySheet_HasAFrozenHeaderAndAFilterOverAllRows_AndMovementsAreTypedWithSolesFormats()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_directory, "estado.xlsx");
        await using (var file = File.Create(path)) await ExcelStatementRenderer.RenderAsync(Statement(25), file, ct);

        using var zip = ZipFile.OpenRead(path);
        var sheets = Sheets(zip);
        Assert.Equal(["Resumen", "Por evento", "Movimientos"], sheets.Keys);
        foreach (var (name, sheet) in sheets)
        {
            var pane = sheet.Descendants(Main + "pane").SingleOrDefault();
            Assert.True(pane is not null, $"{name}: no frozen pane");
            Assert.Equal("frozen", (string?)pane.Attribute("state"));
            Assert.Equal("1", (string?)pane.Attribute("ySplit"));
            Assert.Equal("A2", (string?)pane.Attribute("topLeftCell"));
            var rows = sheet.Descendants(Main + "row").Count();
            var filter = (string?)sheet.Element(Main + "autoFilter")?.Attribute("ref");
            Assert.True(filter is not null, $"{name}: no filter");
            Assert.EndsWith(rows.ToString(CultureInfo.InvariantCulture), filter, StringComparison.Ordinal);
            Assert.StartsWith("A1:", filter, StringComparison.Ordinal);
        }

        var movements = sheets["Movimientos"];
        Assert.Equal("A1:Q26", (string?)movements.Element(Main + "autoFilter")!.Attribute("ref"));
        var formats = CellFormats(zip);
        var second = movements.Descendants(Main + "row").Single(r => (string?)r.Attribute("r") == "2");
        XElement Cell(string column) => second.Elements(Main + "c").Single(c => (string?)c.Attribute("r") == column + "2");

        // Fecha (A), Bruto (I), Neto (N), Fecha de acreditación (O): numbers with a date or S/ format, never text.
        foreach (var (column, format) in new[] { ("A", "yyyy-mm-dd hh:mm:ss"), ("I", "\"S/\" #,##0.00;\"S/\" -#,##0.00"), ("N", "\"S/\" #,##0.00;\"S/\" -#,##0.00"), ("O", "yyyy-mm-dd") })
        {
            var cell = Cell(column);
            Assert.Null(cell.Attribute("t"));
            Assert.True(double.TryParse((string?)cell.Element(Main + "v"), NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{column}2 is not a number");
            Assert.Equal(format, formats[int.Parse((string)cell.Attribute("s")!, CultureInfo.InvariantCulture)]);
        }

        Assert.Equal(100.5, double.Parse((string)Cell("I").Element(Main + "v")!, CultureInfo.InvariantCulture));
        Assert.Equal("str", (string?)Cell("F").Attribute("t"));
        Assert.Equal("Venta", (string?)Cell("F").Element(Main + "v"));
    }

    [Fact]
    public async Task Workbook_WritesTheLinesAsTheyCome_NotAfterGatheringThemAll()
    {
        // 40,000 lines are about 5 MB of sheet XML: by the time the source hands over its last line, a streaming
        // writer has already pushed compressed bytes to the output; one that gathers the lines first has written nothing.
        var ct = TestContext.Current.CancellationToken;
        var output = new CountingStream(File.Create(Path.Combine(_directory, "grande.xlsx")));
        long writtenBeforeTheLastLine = -1;
        var walks = 0;
        var statement = Statement(40_000, onLast: () => writtenBeforeTheLastLine = output.Written, onWalk: () => walks++);

        await using (output) await ExcelStatementRenderer.RenderAsync(statement, output, ct);

        Assert.Equal(1, walks);
        Assert.True(writtenBeforeTheLastLine > 256 * 1024, $"only {writtenBeforeTheLastLine} bytes written before the last line");
        Assert.True(output.Written > writtenBeforeTheLastLine);
    }

    private static StatementDocument Statement(int lines, Action? onLast = null, Action? onWalk = null)
    {
        var asOf = new DateTimeOffset(2026, 4, 1, 4, 59, 59, TimeSpan.Zero);
        var header = new StatementHeader("Plataforma de Entradas S.A.C.", "20100070970", 1, "Producciones Andinas S.A.C.", TaxIdKind.Ruc, "20601234567",
            Period, null, null, "EC-2026-03-000001", asOf, "America/Lima");
        var policy = new StatementPolicy("Estándar", 0.05m, 1m, Money.IgvRate, true, true, false, false);
        return new StatementDocument(header, PeriodSummary.Empty(Period), new BalanceSnapshot(asOf, 0m, 0m, 0m, []), [], policy, lines,
            ct => Lines(lines, onLast, onWalk, ct));
    }

    private static async IAsyncEnumerable<StatementLine> Lines(int count, Action? onLast, Action? onWalk, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        onWalk?.Invoke();
        var start = new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < count; i++)
        {
            if (i % 1000 == 0) await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (i == count - 1) onLast?.Invoke();
            var refund = i % 10 == 9;
            yield return new StatementLine(
                start.AddMinutes(i), 90_000_000_000 + i, "PF-" + i.ToString("D7", CultureInfo.InvariantCulture), "Festival de Verano", "visa", "credit_card",
                refund ? LedgerEntryKind.Refund : LedgerEntryKind.Sale, refund ? PaymentStatus.Refunded : PaymentStatus.Approved, refund ? -2 : 2,
                refund ? -100.50m : 100.50m, refund ? 4.73m : -4.73m, refund ? 6.03m : -6.03m, refund ? 1.09m : -1.09m, 0m, refund ? -88.65m : 88.65m,
                DateOnly.FromDateTime(start).AddDays(14), StatementReleaseStatus.Pending, "c***@example.com");
        }
    }

    /// <summary>Each sheet's XML by its name, in the workbook's order.</summary>
    private static Dictionary<string, XElement> Sheets(ZipArchive zip)
    {
        var targets = Load(zip, "xl/_rels/workbook.xml.rels").Elements(PackageRelationships + "Relationship")
            .ToDictionary(r => (string)r.Attribute("Id")!, r => (string)r.Attribute("Target")!);
        return Load(zip, "xl/workbook.xml").Descendants(Main + "sheet").ToDictionary(
            s => (string)s.Attribute("name")!,
            s => Load(zip, "xl/" + targets[(string)s.Attribute(Relationships + "id")!].TrimStart('/').Replace("xl/", "", StringComparison.Ordinal)));
    }

    /// <summary>The number format code of every cell style (<c>cellXfs</c>), built-in ids as their code or the id.</summary>
    private static List<string> CellFormats(ZipArchive zip)
    {
        var styles = Load(zip, "xl/styles.xml");
        var custom = styles.Descendants(Main + "numFmt").ToDictionary(f => (string)f.Attribute("numFmtId")!, f => (string)f.Attribute("formatCode")!);
        return [.. styles.Element(Main + "cellXfs")!.Elements(Main + "xf").Select(x => (string?)x.Attribute("numFmtId") ?? "0").Select(id => custom.GetValueOrDefault(id, id))];
    }

    private static XElement Load(ZipArchive zip, string entry)
    {
        using var stream = zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException($"No {entry} in the package");
        return XElement.Load(stream);
    }

    /// <summary>A write-only stream that counts what reaches it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Interlocked.Add(ref _written, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Interlocked.Add(ref _written, buffer.Length);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
