using System.Globalization;
using BillingPortal.Core.Common;
using BillingPortal.Core.Statements;
using BillingPortal.Core.Statements.Rendering;
using ClosedXML.Excel;

namespace BillingPortal.Benchmarks;

/// <summary>
/// The statement workbook written with ClosedXML 0.95.4, the reference point of ADR-009: the same sheets («Resumen»,
/// «Por evento», «Movimientos»), the same columns as <see cref="StatementTexts.MovementColumns"/>, typed cells (numbers,
/// dates), the same <c>S/</c> and date formats set per column, a frozen header row and a filter, as
/// <see cref="ExcelStatementRenderer"/> writes them. ClosedXML builds the whole workbook in memory before saving: that is
/// what the benchmark measures against MiniExcel's streaming writer. Benchmark only; the portal never references it.
/// </summary>
internal static class ClosedXmlWorkbook
{
    private const string MoneyFormat = "\"S/\" #,##0.00;\"S/\" -#,##0.00";

    public static void Save(StatementDocument statement, Stream output)
    {
        using var workbook = new XLWorkbook();
        Summary(workbook.Worksheets.Add("Resumen"), statement);
        ByEvent(workbook.Worksheets.Add("Por evento"), statement);
        Movements(workbook.Worksheets.Add("Movimientos"), statement);
        workbook.SaveAs(output);
    }

    private static void Summary(IXLWorksheet sheet, StatementDocument statement)
    {
        Header(sheet, ["Concepto", "Detalle", "Cantidad", "Importe"], [34, 48, 12, 18]);
        sheet.Column(3).Style.NumberFormat.Format = "#,##0";
        sheet.Column(4).Style.NumberFormat.Format = MoneyFormat;
        var h = statement.Header;
        var row = 2;
        foreach (var (concept, detail) in new[]
                 {
                     ("Plataforma", $"{h.PlatformLegalName} — RUC {h.PlatformTaxId}"), ("Organizador", h.OrganizerLegalName),
                     (h.OrganizerTaxIdKind.ToString().ToUpperInvariant(), h.OrganizerTaxId),
                     ("Periodo", $"{h.Period.From.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} – {h.Period.To.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}"),
                     ("Evento", h.EventName ?? "Todos"), ("Estado de cuenta N.º", h.Number ?? "—"),
                     ("Saldos a la fecha", AccountingCalendar.For(h.TimeZoneId).ToLocal(h.AsOf).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " (hora de Lima)"),
                 })
        {
            sheet.Cell(row, 1).SetValue(concept);
            sheet.Cell(row++, 2).SetValue(detail);
        }

        foreach (var (concept, value, isMoney) in StatementTexts.SummaryRows(statement))
        {
            sheet.Cell(row, 1).SetValue(concept);
            if (isMoney) sheet.Cell(row++, 4).SetValue(value);
            else sheet.Cell(row++, 3).SetValue((long)value);
        }

        Finish(sheet, row - 1, 4);
    }

    private static void ByEvent(IXLWorksheet sheet, StatementDocument statement)
    {
        Header(sheet, ["Evento", "Ventas", "Entradas", "Bruto", "Devoluciones", "Contracargos", "Comisión Mercado Pago", "Comisión plataforma (con IGV)", "Neto"],
            [40, 10, 10, 16, 16, 16, 20, 24, 16]);
        sheet.Columns(2, 3).Style.NumberFormat.Format = "#,##0";
        sheet.Columns(4, 9).Style.NumberFormat.Format = MoneyFormat;
        var row = 2;
        foreach (var e in statement.ByEvent)
        {
            sheet.Cell(row, 1).SetValue(e.Label.Length == 0 ? "(sin evento)" : e.Label);
            sheet.Cell(row, 2).SetValue(e.Sales);
            sheet.Cell(row, 3).SetValue(e.TicketsSold);
            sheet.Cell(row, 4).SetValue(e.GrossSales);
            sheet.Cell(row, 5).SetValue(e.Refunds);
            sheet.Cell(row, 6).SetValue(e.Chargebacks);
            sheet.Cell(row, 7).SetValue(e.MercadoPagoFees);
            sheet.Cell(row, 8).SetValue(e.Commission);
            sheet.Cell(row++, 9).SetValue(e.Net);
        }

        Finish(sheet, row - 1, 9);
    }

    private static void Movements(IXLWorksheet sheet, StatementDocument statement)
    {
        Header(sheet, StatementTexts.MovementColumns, [18, 14, 22, 30, 20, 14, 14, 9, 14, 14, 14, 12, 12, 14, 14, 12, 24]);
        sheet.Column(1).Style.NumberFormat.Format = "yyyy-mm-dd hh:mm:ss";
        sheet.Column(2).Style.NumberFormat.Format = "0";
        sheet.Column(8).Style.NumberFormat.Format = "0";
        sheet.Columns(9, 14).Style.NumberFormat.Format = MoneyFormat;
        sheet.Column(15).Style.NumberFormat.Format = "yyyy-mm-dd";
        var row = 1;
        foreach (var l in statement.Lines(CancellationToken.None).ToBlockingEnumerable())
        {
            row++;
            sheet.Cell(row, 1).SetValue(l.LocalDateTime);
            sheet.Cell(row, 2).SetValue(l.PaymentId);
            sheet.Cell(row, 3).SetValue(l.PurchaseReference ?? "");
            sheet.Cell(row, 4).SetValue(l.EventName ?? "");
            sheet.Cell(row, 5).SetValue(StatementTexts.Method(l.PaymentMethodId, l.PaymentTypeId));
            sheet.Cell(row, 6).SetValue(StatementTexts.Kind(l.Kind));
            sheet.Cell(row, 7).SetValue(StatementTexts.Status(l.PaymentStatus));
            sheet.Cell(row, 8).SetValue(l.Tickets);
            sheet.Cell(row, 9).SetValue(l.Gross);
            sheet.Cell(row, 10).SetValue(l.MercadoPagoFee);
            sheet.Cell(row, 11).SetValue(l.CommissionBase);
            sheet.Cell(row, 12).SetValue(l.CommissionIgv);
            sheet.Cell(row, 13).SetValue(l.OtherFees);
            sheet.Cell(row, 14).SetValue(l.Net);
            if (l.ReleaseDate is { } release) sheet.Cell(row, 15).SetValue(release.ToDateTime(TimeOnly.MinValue));
            sheet.Cell(row, 16).SetValue(StatementTexts.Release(l.ReleaseStatus));
            sheet.Cell(row, 17).SetValue(l.BuyerEmailMasked ?? "");
        }

        Finish(sheet, row, StatementTexts.MovementColumns.Count);
    }

    private static void Header(IXLWorksheet sheet, IReadOnlyList<string> titles, IReadOnlyList<double> widths)
    {
        for (var i = 0; i < titles.Count; i++)
        {
            sheet.Cell(1, i + 1).SetValue(titles[i]);
            sheet.Column(i + 1).Width = widths[i];
        }

        sheet.Row(1).Style.Font.Bold = true;
    }

    private static void Finish(IXLWorksheet sheet, int lastRow, int lastColumn)
    {
        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, Math.Max(1, lastRow), lastColumn).SetAutoFilter();
    }
}
