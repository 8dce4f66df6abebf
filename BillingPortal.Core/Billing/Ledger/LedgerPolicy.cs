using BillingPortal.Core.Billing.Commissions;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// Which fees are returned to the organizer on a refund or chargeback (../shared/domain.md): defaults are that
/// Mercado Pago and the platform both return their fee pro-rata on a refund, and both keep it on a chargeback.
/// "Other fees" paid by the collector (financing, shipping, …) are Mercado Pago's and follow its fee policy.
/// </summary>
public sealed record LedgerPolicy(
    bool ReturnMercadoPagoFeeOnRefund = true,
    bool ReturnCommissionOnRefund = true,
    bool ReturnMercadoPagoFeeOnChargeback = false,
    bool ReturnCommissionOnChargeback = false)
{
    /// <summary>The documented defaults.</summary>
    public static LedgerPolicy Default { get; } = new();

    /// <summary>The policy a commission plan sets.</summary>
    public static LedgerPolicy From(CommissionPlan plan) => new(
        plan.ReturnMercadoPagoFeeOnRefund,
        plan.ReturnCommissionOnRefund,
        plan.ReturnMercadoPagoFeeOnChargeback,
        plan.ReturnCommissionOnChargeback);
}
