namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// The sums every ledger read model keeps: PEN ledger entries of one organizer added up under one key. Maintained by
/// <see cref="PaymentLedgerWriter"/> in the same transaction as the entries they sum (through <see cref="LedgerRollups"/>),
/// rebuilt in bulk by <see cref="LedgerRollups.RebuildAsync"/>. Each read model has the coarsest key its readers need,
/// so a year of a million sales is a few thousand rows: <see cref="LedgerDayTotal"/> (cards, series),
/// <see cref="LedgerEventMonthTotal"/> and <see cref="LedgerEventDayTotal"/> (per event: whole months, then the days at
/// a period's ends), <see cref="LedgerMethodDayTotal"/> (per payment method), <see cref="LedgerReleaseTotal"/> (the
/// organizer's credited / pending / held) and <see cref="LedgerEventReleaseTotal"/> (the same per event). Key columns are never null (sentinels:
/// <see cref="LedgerRollups.NoEvent"/>, empty method, <see cref="LedgerRollups.NoReleaseDate"/>) so unique indexes hold on
/// every database.
/// </summary>
public abstract class LedgerTotals
{
    public long Id { get; set; }

    public int OrganizerId { get; set; }

    /// <summary>How many ledger entries are summed here (the row is deleted when it reaches 0).</summary>
    public int Entries { get; set; }

    /// <summary>How many of those entries are sales (a payment's sale entry; refunds and chargebacks are not counted).</summary>
    public int Sales { get; set; }

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

/// <summary>The organizer's entries per local day and kind: the cards, the comparison and the series.</summary>
public class LedgerDayTotal : LedgerTotals
{
    /// <summary>The entries' accounting date (organizer's time zone).</summary>
    public DateOnly LocalDate { get; set; }

    public LedgerEntryKind Kind { get; set; }
}

/// <summary>The organizer's entries per local day, event and kind: the per-event figures and an event's own dashboard.</summary>
public class LedgerEventDayTotal : LedgerTotals
{
    public DateOnly LocalDate { get; set; }

    /// <summary>The event, or <see cref="LedgerRollups.NoEvent"/> (0) for entries of payments with no event.</summary>
    public int EventId { get; set; }

    public LedgerEntryKind Kind { get; set; }
}

/// <summary>
/// The organizer's entries per calendar month (of the local date), event and kind: the per-event figures of the whole
/// months of a period (the days at its ends come from <see cref="LedgerEventDayTotal"/>) and the events' all-time figures.
/// </summary>
public class LedgerEventMonthTotal : LedgerTotals
{
    /// <summary>The first day of the entries' local month.</summary>
    public DateOnly Month { get; set; }

    public int EventId { get; set; }

    public LedgerEntryKind Kind { get; set; }
}

/// <summary>The organizer's entries per local day, kind and payment method: the «por medio de pago» chart.</summary>
public class LedgerMethodDayTotal : LedgerTotals
{
    public DateOnly LocalDate { get; set; }

    public LedgerEntryKind Kind { get; set; }

    /// <summary>Mercado Pago's payment_method_id, or empty.</summary>
    public string PaymentMethodId { get; set; } = "";

    /// <summary>Mercado Pago's payment_type_id, or empty.</summary>
    public string PaymentTypeId { get; set; } = "";
}

/// <summary>
/// The organizer's entries per release state and local release day, whatever their accounting day or event: the
/// organizer's balance (credited, pending, held) and next releases. Entries dated after now are taken back out by the reader.
/// </summary>
public class LedgerReleaseTotal : LedgerTotals
{
    public ReleaseState ReleaseState { get; set; }

    /// <summary>The local release date, or <see cref="LedgerRollups.NoReleaseDate"/> when the payment has none.</summary>
    public DateOnly ReleaseLocalDate { get; set; }
}

/// <summary>
/// The organizer's entries per event, release state and local release day, whatever their accounting day: the balance
/// (credited, pending, held) of each event. Entries dated after now are taken back out by the reader.
/// </summary>
public class LedgerEventReleaseTotal : LedgerTotals
{
    public int EventId { get; set; }

    public ReleaseState ReleaseState { get; set; }

    /// <summary>The local release date, or <see cref="LedgerRollups.NoReleaseDate"/> when the payment has none.</summary>
    public DateOnly ReleaseLocalDate { get; set; }
}
