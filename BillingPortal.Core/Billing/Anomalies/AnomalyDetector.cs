using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;

namespace BillingPortal.Core.Billing.Anomalies;

/// <summary>The per-payment checks of ../shared/domain.md: net vs fees, commission vs plan, currency.</summary>
public static class AnomalyDetector
{
    /// <summary>Returns the anomalies found in one payment (unsaved, without ids).</summary>
    public static List<Anomaly> Check(Payment payment, CommissionPlan? plan, DateTimeOffset detectedAt)
    {
        var found = new List<Anomaly>();
        if (!string.Equals(payment.CurrencyId, Money.Pen, StringComparison.Ordinal))
        {
            found.Add(New(payment, AnomalyKind.ForeignCurrency, null, null,
                $"Moneda {payment.CurrencyId}: no se suma con soles.", detectedAt));
        }

        if (!LedgerEngine.IsSaleStatus(payment.Status)) return found;

        var expectedNet = payment.TransactionAmount - payment.MercadoPagoFee - payment.ApplicationFee - payment.OtherCollectorFees;
        if (Math.Abs(expectedNet - payment.NetReceivedAmount) > CommissionCalculator.Tolerance)
        {
            found.Add(New(payment, AnomalyKind.NetMismatch, expectedNet, payment.NetReceivedAmount,
                "El neto recibido no es igual al monto menos las comisiones pagadas por el vendedor.", detectedAt));
        }

        if (plan is not null)
        {
            var expected = CommissionCalculator.Expected(plan, payment.TransactionAmount, payment.Tickets);
            if (CommissionCalculator.IsMismatch(expected, payment.ApplicationFee))
            {
                found.Add(New(payment, AnomalyKind.CommissionMismatch, expected.Total, payment.ApplicationFee,
                    $"La comisión cobrada difiere de la del plan «{plan.Name}».", detectedAt));
            }
        }

        return found;
    }

    private static Anomaly New(Payment p, AnomalyKind kind, decimal? expected, decimal? actual, string detail, DateTimeOffset at) => new()
    {
        OrganizerId = p.OrganizerId,
        PaymentId = p.Id,
        Kind = kind,
        Expected = expected,
        Actual = actual,
        Detail = detail,
        DetectedAt = at,
    };
}
