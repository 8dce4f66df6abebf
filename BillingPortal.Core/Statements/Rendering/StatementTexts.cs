using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Payments;

namespace BillingPortal.Core.Statements.Rendering;

/// <summary>
/// The Spanish words every statement format uses (column titles, kinds, statuses), in one place so the PDF, the Excel
/// workbook and the CSV file say the same thing.
/// </summary>
public static class StatementTexts
{
    /// <summary>The «Movimientos» columns, in order (Excel and CSV; the PDF shows a narrower selection).</summary>
    public static readonly IReadOnlyList<string> MovementColumns =
    [
        "Fecha", "ID de pago", "Referencia de compra", "Evento", "Medio de pago", "Movimiento", "Estado del pago", "Entradas",
        "Bruto", "Comisión Mercado Pago", "Comisión plataforma", "IGV comisión", "Otros cargos", "Neto",
        "Fecha de acreditación", "Acreditación", "Comprador",
    ];

    public static string Kind(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.Sale => "Venta",
        LedgerEntryKind.Refund => "Devolución",
        LedgerEntryKind.Chargeback => "Contracargo",
        LedgerEntryKind.ChargebackReversal => "Reversión de contracargo",
        _ => kind.ToString(),
    };

    public static string Status(PaymentStatus status) => status switch
    {
        PaymentStatus.Approved => "Aprobado",
        PaymentStatus.Pending => "Pendiente",
        PaymentStatus.Authorized => "Autorizado",
        PaymentStatus.InProcess => "En proceso",
        PaymentStatus.InMediation => "En disputa",
        PaymentStatus.Rejected => "Rechazado",
        PaymentStatus.Cancelled => "Cancelado",
        PaymentStatus.Refunded => "Devuelto",
        PaymentStatus.ChargedBack => "Contracargo",
        _ => status.ToString(),
    };

    public static string Release(StatementReleaseStatus status) => status switch
    {
        StatementReleaseStatus.Credited => "Acreditado",
        StatementReleaseStatus.Held => "Retenido",
        _ => "Pendiente",
    };

    /// <summary>A payment method as people call it: «Visa (crédito)», «Yape», «PagoEfectivo».</summary>
    public static string Method(string? methodId, string? typeId)
    {
        if (string.IsNullOrEmpty(methodId)) return "—";
        var name = methodId.ToLowerInvariant() switch
        {
            "visa" => "Visa",
            "master" => "Mastercard",
            "amex" => "American Express",
            "diners" => "Diners Club",
            "yape" => "Yape",
            "pagoefectivo_atm" => "PagoEfectivo",
            "account_money" => "Dinero en cuenta",
            _ => methodId,
        };
        return typeId switch
        {
            "credit_card" => name + " (crédito)",
            "debit_card" => name + " (débito)",
            _ => name,
        };
    }

    /// <summary>The «Resumen» rows: (concept, amount or count), signed as in the ledger.</summary>
    public static IReadOnlyList<(string Concept, decimal Value, bool IsMoney)> SummaryRows(StatementDocument statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var s = statement.Summary;
        var b = statement.Balance;
        return
        [
            ("Ventas (pagos)", s.Sales, false),
            ("Entradas vendidas", s.TicketsSold, false),
            ("Ventas brutas", s.GrossSales, true),
            ("Devoluciones", s.Refunds, true),
            ("Contracargos", s.Chargebacks, true),
            ("Comisión Mercado Pago", s.MercadoPagoFees, true),
            ("Comisión plataforma (base)", s.CommissionBase, true),
            ("IGV de la comisión", s.CommissionIgv, true),
            ("Otros cargos", s.OtherFees, true),
            ("Neto", s.Net, true),
            ("Acreditado a la fecha del estado", b.Credited, true),
            ("Pendiente de acreditación", b.Pending, true),
            ("Retenido en disputas", b.Held, true),
        ];
    }
}
