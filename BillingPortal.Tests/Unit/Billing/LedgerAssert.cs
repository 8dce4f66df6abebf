using BillingPortal.Core.Billing.Ledger;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>Assertions on ledger entries, column by column, so a failure names the column that is off.</summary>
internal static class LedgerAssert
{
    public static void Columns(LedgerEntry entry, decimal gross, decimal mercadoPagoFee, decimal commissionBase, decimal commissionIgv,
        decimal otherFees, decimal net)
    {
        Assert.Equal((gross, mercadoPagoFee, commissionBase, commissionIgv, otherFees, net),
            (entry.Gross, entry.MercadoPagoFee, entry.CommissionBase, entry.CommissionIgv, entry.OtherFees, entry.Net));
        Assert.Equal(entry.Gross + entry.MercadoPagoFee + entry.CommissionBase + entry.CommissionIgv + entry.OtherFees, entry.Net);
    }

    /// <summary>The column totals of several entries, as (gross, MP fee, base, IGV, other, net).</summary>
    public static (decimal Gross, decimal Mp, decimal Base, decimal Igv, decimal Other, decimal Net) Totals(IEnumerable<LedgerEntry> entries)
    {
        var list = entries.ToList();
        return (list.Sum(e => e.Gross), list.Sum(e => e.MercadoPagoFee), list.Sum(e => e.CommissionBase),
            list.Sum(e => e.CommissionIgv), list.Sum(e => e.OtherFees), list.Sum(e => e.Net));
    }

    public static LedgerEntry Only(IEnumerable<LedgerEntry> entries, LedgerEntryKind kind) => Assert.Single(entries, e => e.Kind == kind);
}
