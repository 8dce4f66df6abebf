namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// A read model: the PEN ledger entries of one organizer summed per local day, event, kind, payment method, release
/// state and release day. Maintained by <see cref="PaymentLedgerWriter"/> in the same transaction as the entries it
/// sums (and rebuilt in bulk by <see cref="LedgerRollups.RebuildAsync"/>), so the dashboard, the events list and the
/// API read a few thousand rows instead of a million entries and still agree with the ledger to the cent.
/// Key columns are never null (sentinels: <see cref="LedgerRollups.NoEvent"/>, empty method, <see cref="LedgerRollups.NoReleaseDate"/>)
/// so the unique index holds on every database.
/// </summary>
public class LedgerDailyRollup
{
    public long Id { get; set; }

    public int OrganizerId { get; set; }

    /// <summary>The entries' accounting date (organizer's time zone).</summary>
    public DateOnly LocalDate { get; set; }

    /// <summary>The event, or <see cref="LedgerRollups.NoEvent"/> (0) for entries of payments with no event.</summary>
    public int EventId { get; set; }

    public LedgerEntryKind Kind { get; set; }

    /// <summary>Mercado Pago's payment_method_id, or empty.</summary>
    public string PaymentMethodId { get; set; } = "";

    /// <summary>Mercado Pago's payment_type_id, or empty.</summary>
    public string PaymentTypeId { get; set; } = "";

    public ReleaseState ReleaseState { get; set; }

    /// <summary>The local release date, or <see cref="LedgerRollups.NoReleaseDate"/> when the payment has none.</summary>
    public DateOnly ReleaseLocalDate { get; set; }

    /// <summary>How many ledger entries are summed here (the row is deleted when it reaches 0).</summary>
    public int Entries { get; set; }

    public int Tickets { get; set; }

    public decimal Gross { get; set; }

    public decimal MercadoPagoFee { get; set; }

    public decimal CommissionBase { get; set; }

    public decimal CommissionIgv { get; set; }

    public decimal OtherFees { get; set; }

    public decimal Net { get; set; }

    /// <summary>Optimistic concurrency token: two writers adjusting one row cannot lose an update.</summary>
    public int Version { get; set; }
}
