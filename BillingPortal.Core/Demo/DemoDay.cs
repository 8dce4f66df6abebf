using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;

namespace BillingPortal.Core.Demo;

/// <summary>One day of generated data, in creation order, and the SHA-256 of its content.</summary>
internal sealed record DemoDay(int DayIndex, List<DemoSale> Sales, byte[] Hash)
{
    public int PaymentCount => Sales.Sum(s => s.Payments.Count);
}

/// <summary>A purchase and its payment attempts (a rejected attempt may precede the approved one).</summary>
internal sealed record DemoSale(Purchase Purchase, List<DemoPaymentRecord> Payments);

/// <summary>
/// One Mercado Pago payment in both forms: the API object and its JSON (for the sandbox), and the portal's entity
/// mapped from it by <see cref="MercadoPago.PaymentMapper"/>, with its ledger entries and anomalies.
/// </summary>
internal sealed record DemoPaymentRecord(
    MpPayment Mp,
    byte[] Json,
    Payment Entity,
    List<LedgerEntry> Ledger,
    List<Anomaly> Anomalies,
    AnomalyKind? Injected);
