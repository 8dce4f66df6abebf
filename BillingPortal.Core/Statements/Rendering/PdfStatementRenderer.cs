using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BillingPortal.Core.Statements.Rendering;

/// <summary>
/// A statement as a PDF liquidación (PDFsharp): A4 landscape; platform and organizer identity, period, number and
/// statement date; the summary; credited vs pending; the per-event breakdown; the policies that applied; then every
/// ledger line in a table whose header repeats on each page, refunds and chargebacks as explicit, shaded adjustment
/// lines; «Página X de N» on every page. Spanish, DejaVu fonts shipped in the assembly. Money as <c>S/ 1,234.56</c>.
/// </summary>
public static class PdfStatementRenderer
{
    private const double Margin = 36;
    private const double RowHeight = 13;
    private static readonly XColor Accent = XColor.FromArgb(0x1F, 0x4E, 0x79);
    private static readonly XColor Shade = XColor.FromArgb(0xF3, 0xF5, 0xF8);
    private static readonly XColor Adjustment = XColor.FromArgb(0xFD, 0xF1, 0xE7);
    private static readonly XColor Rule = XColor.FromArgb(0xC8, 0xCE, 0xD6);

    private static readonly Column[] LineColumns =
    [
        new("Fecha y hora", 66, false), new("ID de pago", 60, false), new("Referencia", 78, false), new("Evento", 118, false),
        new("Movimiento", 62, false), new("Bruto", 56, true), new("Com. MP", 50, true), new("Comisión", 50, true),
        new("IGV", 42, true), new("Otros", 40, true), new("Neto", 58, true), new("Acreditación", 56, false), new("F. acred.", 52, false),
    ];

    public static async Task RenderAsync(StatementDocument statement, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        StatementFonts.EnsureRegistered();
        using var document = new PdfDocument();
        var h = statement.Header;
        document.Info.Title = $"Estado de cuenta {h.OrganizerLegalName} {Period(h)}";
        document.Info.Author = h.PlatformLegalName;
        document.Info.Creator = "BillingPortal";
        document.Info.Subject = "Liquidación de ventas de entradas";

        var fonts = new Fonts();
        var writer = new PageWriter(document, statement, fonts);
        writer.NewPage();
        writer.Identity();
        writer.Summary();
        writer.Events();
        writer.Policies();
        writer.LinesTitle();
        await foreach (var line in statement.Lines(cancellationToken).WithCancellation(cancellationToken))
        {
            writer.Line(line);
        }

        writer.EndOfLines();
        writer.Close();
        writer.Footers();
        await Task.Run(() => document.Save(output, closeStream: false), cancellationToken);
    }

    /// <summary><c>S/ 1,234.56</c> / <c>S/ -1,234.56</c>, as Peru writes it.</summary>
    public static string Money(decimal value) => "S/ " + value.ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static string Period(StatementHeader h) =>
        $"{h.Period.From.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} al {h.Period.To.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}";

    private sealed record Column(string Title, double Width, bool Right);

    private sealed class Fonts
    {
        public XFont Title { get; } = new(StatementFonts.Family, 15, XFontStyleEx.Bold);

        public XFont Heading { get; } = new(StatementFonts.Family, 10.5, XFontStyleEx.Bold);

        public XFont Body { get; } = new(StatementFonts.Family, 8.5, XFontStyleEx.Regular);

        public XFont BodyBold { get; } = new(StatementFonts.Family, 8.5, XFontStyleEx.Bold);

        public XFont Small { get; } = new(StatementFonts.Family, 7, XFontStyleEx.Regular);

        public XFont SmallBold { get; } = new(StatementFonts.Family, 7, XFontStyleEx.Bold);
    }

    private sealed class PageWriter(PdfDocument document, StatementDocument statement, Fonts fonts)
    {
        private PdfPage _page = null!;
        private XGraphics? _gfx;
        private double _y;
        private int _lineIndex;
        private bool _inLines;

        private double Width => _page.Width.Point;

        private double Bottom => _page.Height.Point - Margin - 18;

        public void NewPage()
        {
            _gfx?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _page.Orientation = PdfSharp.PageOrientation.Landscape;
            _gfx = XGraphics.FromPdfPage(_page);
            var h = statement.Header;
            _gfx.DrawString("Estado de cuenta · Liquidación", fonts.Title, new XSolidBrush(Accent), new XPoint(Margin, Margin + 12));
            _gfx.DrawString(h.OrganizerLegalName, fonts.BodyBold, XBrushes.Black, new XRect(Margin, Margin, Width - (2 * Margin), 12), XStringFormats.TopRight);
            _gfx.DrawString($"Periodo {Period(h)}" + (h.EventName is null ? "" : $" · Evento: {h.EventName}"), fonts.Body, XBrushes.Black,
                new XRect(Margin, Margin + 13, Width - (2 * Margin), 12), XStringFormats.TopRight);
            _gfx.DrawLine(new XPen(Accent, 1.2), Margin, Margin + 28, Width - Margin, Margin + 28);
            _y = Margin + 40;
            if (_inLines) TableHeader();
        }

        public void Identity()
        {
            var h = statement.Header;
            var asOf = Common.AccountingCalendar.For(h.TimeZoneId).ToLocal(h.AsOf);
            var half = (Width - (2 * Margin)) / 2;
            Block(Margin, "Plataforma", [h.PlatformLegalName, "RUC " + h.PlatformTaxId]);
            Block(Margin + half, "Organizador", [h.OrganizerLegalName, $"{h.OrganizerTaxIdKind.ToString().ToUpperInvariant()} {h.OrganizerTaxId}"]);
            _y += 44;
            Block(Margin, "Estado de cuenta", [
                "N.º " + (h.Number ?? "— (a pedido)"),
                "Periodo: " + Period(h) + (h.EventName is null ? " · todos los eventos" : " · " + h.EventName),
            ]);
            Block(Margin + half, "Saldos a la fecha del estado", [
                asOf.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " (hora de Lima)",
                $"{statement.LineCount.ToString("#,##0", CultureInfo.InvariantCulture)} movimientos",
            ]);
            _y += 50;
        }

        public void Summary()
        {
            Heading("Resumen del periodo");
            var rows = StatementTexts.SummaryRows(statement);
            var left = rows.Take(10).ToList();
            var right = rows.Skip(10).ToList();
            var top = _y;
            var colWidth = 260;
            foreach (var (concept, value, isMoney) in left)
            {
                KeyValue(Margin, colWidth, concept, isMoney ? Money(value) : value.ToString("#,##0", CultureInfo.InvariantCulture), concept == "Neto");
            }

            var end = _y;
            _y = top;
            foreach (var (concept, value, _) in right) KeyValue(Margin + colWidth + 60, colWidth, concept, Money(value), concept.StartsWith("Acreditado", StringComparison.Ordinal));
            if (statement.Balance.NextReleases.Count > 0)
            {
                _y += 6;
                _gfx!.DrawString("Próximas acreditaciones", fonts.SmallBold, XBrushes.Black, Margin + colWidth + 60, _y + 8);
                _y += RowHeight;
                foreach (var r in statement.Balance.NextReleases)
                {
                    KeyValue(Margin + colWidth + 60, colWidth, r.Date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), Money(r.Amount), false);
                }
            }

            _y = Math.Max(_y, end) + 10;
        }

        public void Events()
        {
            if (statement.ByEvent.Count == 0 || statement.Header.EventId is not null) return;
            Heading("Por evento");
            Column[] columns = [new("Evento", 250, false), new("Ventas", 60, true), new("Bruto", 90, true), new("Devoluciones", 90, true), new("Comisión (con IGV)", 100, true), new("Neto", 90, true)];
            Row(columns, [.. columns.Select(c => c.Title)], fonts.SmallBold, Shade);
            foreach (var e in statement.ByEvent)
            {
                if (_y + RowHeight > Bottom) NewPage();
                Row(columns, [e.Label.Length == 0 ? "(sin evento)" : e.Label, e.Sales.ToString("#,##0", CultureInfo.InvariantCulture), Money(e.GrossSales),
                    Money(e.Refunds + e.Chargebacks), Money(e.Commission), Money(e.Net)], fonts.Small, null);
            }

            _y += 8;
        }

        public void Policies()
        {
            var p = statement.Policy;
            if (_y + 60 > Bottom) NewPage();
            Heading("Políticas aplicadas");
            string[] lines =
            [
                $"Comisión de la plataforma ({p.PlanName}): {(p.CommissionRate * 100).ToString("0.##", CultureInfo.InvariantCulture)} % del importe" +
                (p.CommissionFixedPerTicket == 0 ? "" : $" + {Money(p.CommissionFixedPerTicket)} por entrada") +
                $", más IGV ({(p.IgvRate * 100).ToString("0", CultureInfo.InvariantCulture)} %).",
                $"Devoluciones: la comisión de Mercado Pago {(p.ReturnMercadoPagoFeeOnRefund ? "se devuelve" : "no se devuelve")} y la de la plataforma " +
                $"{(p.ReturnCommissionOnRefund ? "se devuelve" : "no se devuelve")} en proporción al importe devuelto.",
                $"Contracargos: la comisión de Mercado Pago {(p.ReturnMercadoPagoFeeOnChargeback ? "se devuelve" : "no se devuelve")} y la de la plataforma " +
                $"{(p.ReturnCommissionOnChargeback ? "se devuelve" : "no se devuelve")}. Una devolución posterior nunca reescribe un periodo anterior: aparece con su fecha.",
            ];
            foreach (var line in lines)
            {
                _gfx!.DrawString(line, fonts.Small, XBrushes.Black, Margin, _y + 8);
                _y += 11;
            }

            _y += 8;
        }

        public void LinesTitle()
        {
            if (_y + 60 > Bottom) NewPage();
            Heading("Movimientos");
            _inLines = true;
            TableHeader();
            if (statement.LineCount == 0)
            {
                _gfx!.DrawString("No hay movimientos en el periodo.", fonts.Body, XBrushes.Gray, Margin, _y + 10);
                _y += RowHeight;
            }
        }

        public void Line(StatementLine l)
        {
            if (_y + RowHeight > Bottom) NewPage();
            var adjustment = l.Kind != Billing.Ledger.LedgerEntryKind.Sale;
            Row(LineColumns,
            [
                l.LocalDateTime.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture), l.PaymentId.ToString(CultureInfo.InvariantCulture),
                l.PurchaseReference ?? "", l.EventName ?? "", StatementTexts.Kind(l.Kind), Money(l.Gross), Money(l.MercadoPagoFee),
                Money(l.CommissionBase), Money(l.CommissionIgv), Money(l.OtherFees), Money(l.Net), StatementTexts.Release(l.ReleaseStatus),
                l.ReleaseDate?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "",
            ], adjustment ? fonts.SmallBold : fonts.Small, adjustment ? Adjustment : (_lineIndex % 2 == 1 ? Shade : null));
            _lineIndex++;
        }

        public void EndOfLines()
        {
            if (statement.LineCount == 0) return;
            var s = statement.Summary;
            (string Key, decimal Value)[] totals =
            [
                ("Total bruto de los movimientos", s.GrossSales + s.Refunds + s.Chargebacks), ("Total comisión Mercado Pago", s.MercadoPagoFees),
                ("Total comisión plataforma", s.CommissionBase), ("Total IGV de la comisión", s.CommissionIgv), ("Total otros cargos", s.OtherFees),
                ("Total neto", s.Net),
            ];

            // The totals under the table, full width: a column of the table is too narrow for a period's sums.
            if (_y + ((totals.Length + 1) * RowHeight) > Bottom) NewPage();
            _gfx!.DrawLine(new XPen(Accent, 0.8), Margin, _y, Margin + LineColumns.Sum(c => c.Width), _y);
            _y += 4;
            foreach (var (key, value) in totals) KeyValue(Margin + LineColumns.Sum(c => c.Width) - 300, 300, key, Money(value), key == "Total neto");
        }

        public void Close() => _gfx?.Dispose();

        public void Footers()
        {
            var total = document.PageCount;
            var h = statement.Header;
            for (var i = 0; i < total; i++)
            {
                var page = document.Pages[i];
                using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var y = page.Height.Point - Margin;
                gfx.DrawLine(new XPen(Rule, 0.5), Margin, y - 10, page.Width.Point - Margin, y - 10);
                gfx.DrawString($"{h.PlatformLegalName} · RUC {h.PlatformTaxId} · Montos en soles (S/), fechas en hora de Lima", fonts.Small, XBrushes.Gray, Margin, y);
                gfx.DrawString($"Página {i + 1} de {total}", fonts.Small, XBrushes.Black,
                    new XRect(Margin, y - 8, page.Width.Point - (2 * Margin), 10), XStringFormats.TopRight);
            }
        }

        private void TableHeader()
        {
            Row(LineColumns, [.. LineColumns.Select(c => c.Title)], fonts.SmallBold, Shade);
            _gfx!.DrawLine(new XPen(Rule, 0.5), Margin, _y, Margin + LineColumns.Sum(c => c.Width), _y);
        }

        private void Heading(string text)
        {
            _gfx!.DrawString(text, fonts.Heading, new XSolidBrush(Accent), Margin, _y + 10);
            _y += 18;
        }

        private void Block(double x, string title, IReadOnlyList<string> lines)
        {
            _gfx!.DrawString(title, fonts.SmallBold, new XSolidBrush(Accent), x, _y + 8);
            var y = _y + 8;
            foreach (var line in lines)
            {
                y += 12;
                _gfx.DrawString(line, fonts.Body, XBrushes.Black, x, y);
            }
        }

        private void KeyValue(double x, double width, string key, string value, bool strong)
        {
            var font = strong ? fonts.BodyBold : fonts.Body;
            _gfx!.DrawString(key, font, XBrushes.Black, x, _y + 9);
            _gfx.DrawString(value, font, XBrushes.Black, new XRect(x, _y, width, RowHeight), XStringFormats.CenterRight);
            _gfx.DrawLine(new XPen(Rule, 0.3), x, _y + RowHeight, x + width, _y + RowHeight);
            _y += RowHeight;
        }

        private void Row(IReadOnlyList<Column> columns, IReadOnlyList<string> cells, XFont font, XColor? background)
        {
            var x = Margin;
            if (background is { } color) _gfx!.DrawRectangle(new XSolidBrush(color), Margin, _y, columns.Sum(c => c.Width), RowHeight);
            for (var i = 0; i < columns.Count; i++)
            {
                var c = columns[i];
                var text = Fit(cells[i], font, c.Width - 4);
                _gfx!.DrawString(text, font, XBrushes.Black, new XRect(x + 2, _y, c.Width - 4, RowHeight), c.Right ? XStringFormats.CenterRight : XStringFormats.CenterLeft);
                x += c.Width;
            }

            _y += RowHeight;
        }

        private string Fit(string text, XFont font, double width)
        {
            if (text.Length == 0 || _gfx!.MeasureString(text, font).Width <= width) return text;
            var cut = text;
            while (cut.Length > 1 && _gfx.MeasureString(cut + "…", font).Width > width) cut = cut[..^1];
            return cut + "…";
        }
    }
}
