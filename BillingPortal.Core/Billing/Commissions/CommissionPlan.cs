namespace BillingPortal.Core.Billing.Commissions;

/// <summary>
/// How the platform charges an organizer (or one event), and the refund/chargeback policies that apply
/// (../shared/domain.md, "Expected commission" and the ledger's refund policies).
/// Expected commission: <c>base = round2(gross × Rate + FixedPerTicket × tickets)</c>,
/// <c>igv = round2(base × 0.18)</c>, <c>application_fee = base + igv</c>.
/// </summary>
public class CommissionPlan
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Share of the gross, e.g. 0.05 for 5% (stored as parts per million).</summary>
    public decimal Rate { get; set; }

    /// <summary>Fixed amount per ticket, before IGV.</summary>
    public decimal FixedPerTicket { get; set; }

    /// <summary>Whether Mercado Pago returns its fee pro-rata on a refund (default yes).</summary>
    public bool ReturnMercadoPagoFeeOnRefund { get; set; } = true;

    /// <summary>Whether the platform returns its commission pro-rata on a refund (default yes).</summary>
    public bool ReturnCommissionOnRefund { get; set; } = true;

    /// <summary>Whether Mercado Pago returns its fee on a chargeback (default no: it keeps it).</summary>
    public bool ReturnMercadoPagoFeeOnChargeback { get; set; }

    /// <summary>Whether the platform returns its commission on a chargeback (default no: it keeps it).</summary>
    public bool ReturnCommissionOnChargeback { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
