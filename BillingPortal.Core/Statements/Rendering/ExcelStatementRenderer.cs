using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace BillingPortal.Core.Statements.Rendering;

/// <summary>
/// A statement as an Excel workbook (MiniExcel; see docs/decisions for why not ClosedXML): «Resumen» (who, period and
/// the summary), «Por evento» (the per-event breakdown) and «Movimientos» (every line). Cells are typed: money is a
/// number formatted <c>"S/" #,##0.00</c>, dates are dates, counts are integers. The header row is frozen and filtered.
/// The lines stream from the composer into the zip: memory stays flat on a million lines.
/// </summary>
public static class ExcelStatementRenderer
{
    private const string MoneyFormat = "\"S/\" #,##0.00;\"S/\" -#,##0.00";

    public static async Task RenderAsync(StatementDocument statement, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var sheets = new Dictionary<string, object>
        {
            ["Resumen"] = SummaryRows(statement),
            ["Por evento"] = statement.ByEvent.Select(e => new EventRow
            {
                Evento = e.Label.Length == 0 ? "(sin evento)" : e.Label,
                Ventas = e.Sales,
                Entradas = e.TicketsSold,
                Bruto = e.GrossSales,
                Devoluciones = e.Refunds,
                Contracargos = e.Chargebacks,
                ComisionMercadoPago = e.MercadoPagoFees,
                ComisionPlataforma = e.Commission,
                Neto = e.Net,
            }).ToList(),
            ["Movimientos"] = Movements(statement, cancellationToken),
        };
        var configuration = new OpenXmlConfiguration { FreezeRowCount = 1, AutoFilter = true, TableStyles = TableStyles.None };

        // MiniExcel pulls the rows synchronously; the lines come from an async stream, so the workbook is written on a
        // pool thread (the request thread is not blocked) into the caller's stream.
        await Task.Run(() => output.SaveAs(sheets, printHeader: true, excelType: ExcelType.XLSX, configuration: configuration), cancellationToken);
    }

    private static List<SummaryRow> SummaryRows(StatementDocument statement)
    {
        var h = statement.Header;
        var rows = new List<SummaryRow>
        {
            new() { Concepto = "Plataforma", Detalle = $"{h.PlatformLegalName} — RUC {h.PlatformTaxId}" },
            new() { Concepto = "Organizador", Detalle = h.OrganizerLegalName },
            new() { Concepto = h.OrganizerTaxIdKind.ToString().ToUpperInvariant(), Detalle = h.OrganizerTaxId },
            new() { Concepto = "Periodo", Detalle = $"{h.Period.From.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} – {h.Period.To.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}" },
            new() { Concepto = "Evento", Detalle = h.EventName ?? "Todos" },
            new() { Concepto = "Estado de cuenta N.º", Detalle = h.Number ?? "—" },
            new() { Concepto = "Saldos a la fecha", Detalle = ToLocal(h).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " (hora de Lima)" },
        };
        foreach (var (concept, value, isMoney) in StatementTexts.SummaryRows(statement))
        {
            rows.Add(isMoney ? new SummaryRow { Concepto = concept, Importe = value } : new SummaryRow { Concepto = concept, Cantidad = (long)value });
        }

        return rows;
    }

    private static DateTime ToLocal(StatementHeader h) =>
        Common.AccountingCalendar.For(h.TimeZoneId).ToLocal(h.AsOf).DateTime;

    private static IEnumerable<MovementRow> Movements(StatementDocument statement, CancellationToken cancellationToken)
    {
        foreach (var l in statement.Lines(cancellationToken).ToBlockingEnumerable(cancellationToken))
        {
            yield return new MovementRow
            {
                Fecha = l.LocalDateTime,
                IdDePago = l.PaymentId,
                Referencia = l.PurchaseReference,
                Evento = l.EventName,
                MedioDePago = StatementTexts.Method(l.PaymentMethodId, l.PaymentTypeId),
                Movimiento = StatementTexts.Kind(l.Kind),
                EstadoDelPago = StatementTexts.Status(l.PaymentStatus),
                Entradas = l.Tickets,
                Bruto = l.Gross,
                ComisionMercadoPago = l.MercadoPagoFee,
                ComisionPlataforma = l.CommissionBase,
                IgvComision = l.CommissionIgv,
                OtrosCargos = l.OtherFees,
                Neto = l.Net,
                FechaDeAcreditacion = l.ReleaseDate?.ToDateTime(TimeOnly.MinValue),
                Acreditacion = StatementTexts.Release(l.ReleaseStatus),
                Comprador = l.BuyerEmailMasked,
            };
        }
    }

    /// <summary>A «Resumen» row: a concept with a text, a count or an amount.</summary>
    public sealed class SummaryRow
    {
        [ExcelColumn(Name = "Concepto", Width = 34)]
        public string Concepto { get; set; } = "";

        [ExcelColumn(Name = "Detalle", Width = 48)]
        public string? Detalle { get; set; }

        [ExcelColumn(Name = "Cantidad", Width = 12, Format = "#,##0")]
        public long? Cantidad { get; set; }

        [ExcelColumn(Name = "Importe", Width = 18, Format = MoneyFormat)]
        public decimal? Importe { get; set; }
    }

    /// <summary>A «Por evento» row.</summary>
    public sealed class EventRow
    {
        [ExcelColumn(Name = "Evento", Width = 40)]
        public string Evento { get; set; } = "";

        [ExcelColumn(Name = "Ventas", Width = 10, Format = "#,##0")]
        public int Ventas { get; set; }

        [ExcelColumn(Name = "Entradas", Width = 10, Format = "#,##0")]
        public int Entradas { get; set; }

        [ExcelColumn(Name = "Bruto", Width = 16, Format = MoneyFormat)]
        public decimal Bruto { get; set; }

        [ExcelColumn(Name = "Devoluciones", Width = 16, Format = MoneyFormat)]
        public decimal Devoluciones { get; set; }

        [ExcelColumn(Name = "Contracargos", Width = 16, Format = MoneyFormat)]
        public decimal Contracargos { get; set; }

        [ExcelColumn(Name = "Comisión Mercado Pago", Width = 20, Format = MoneyFormat)]
        public decimal ComisionMercadoPago { get; set; }

        [ExcelColumn(Name = "Comisión plataforma (con IGV)", Width = 24, Format = MoneyFormat)]
        public decimal ComisionPlataforma { get; set; }

        [ExcelColumn(Name = "Neto", Width = 16, Format = MoneyFormat)]
        public decimal Neto { get; set; }
    }

    /// <summary>A «Movimientos» row: the columns of <see cref="StatementTexts.MovementColumns"/>.</summary>
    public sealed class MovementRow
    {
        [ExcelColumn(Name = "Fecha", Width = 18, Format = "yyyy-mm-dd hh:mm:ss")]
        public DateTime Fecha { get; set; }

        [ExcelColumn(Name = "ID de pago", Width = 14, Format = "0")]
        public long IdDePago { get; set; }

        [ExcelColumn(Name = "Referencia de compra", Width = 22)]
        public string? Referencia { get; set; }

        [ExcelColumn(Name = "Evento", Width = 30)]
        public string? Evento { get; set; }

        [ExcelColumn(Name = "Medio de pago", Width = 20)]
        public string MedioDePago { get; set; } = "";

        [ExcelColumn(Name = "Movimiento", Width = 14)]
        public string Movimiento { get; set; } = "";

        [ExcelColumn(Name = "Estado del pago", Width = 14)]
        public string EstadoDelPago { get; set; } = "";

        [ExcelColumn(Name = "Entradas", Width = 9, Format = "0")]
        public int Entradas { get; set; }

        [ExcelColumn(Name = "Bruto", Width = 14, Format = MoneyFormat)]
        public decimal Bruto { get; set; }

        [ExcelColumn(Name = "Comisión Mercado Pago", Width = 14, Format = MoneyFormat)]
        public decimal ComisionMercadoPago { get; set; }

        [ExcelColumn(Name = "Comisión plataforma", Width = 14, Format = MoneyFormat)]
        public decimal ComisionPlataforma { get; set; }

        [ExcelColumn(Name = "IGV comisión", Width = 12, Format = MoneyFormat)]
        public decimal IgvComision { get; set; }

        [ExcelColumn(Name = "Otros cargos", Width = 12, Format = MoneyFormat)]
        public decimal OtrosCargos { get; set; }

        [ExcelColumn(Name = "Neto", Width = 14, Format = MoneyFormat)]
        public decimal Neto { get; set; }

        [ExcelColumn(Name = "Fecha de acreditación", Width = 14, Format = "yyyy-mm-dd")]
        public DateTime? FechaDeAcreditacion { get; set; }

        [ExcelColumn(Name = "Acreditación", Width = 12)]
        public string Acreditacion { get; set; } = "";

        [ExcelColumn(Name = "Comprador", Width = 24)]
        public string? Comprador { get; set; }
    }
}
