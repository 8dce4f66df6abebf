using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;

namespace BillingPortal.Core.Reporting;

/// <summary>How the transactions list is ordered. Every order breaks ties by payment id, so paging is stable.</summary>
public enum TransactionSort
{
    /// <summary>Newest first (the default).</summary>
    DateDescending,
    DateAscending,
    AmountDescending,
    AmountAscending,
}

/// <summary>Where a payment's money stands as of now, as the list filters and shows it.</summary>
public enum TransactionRelease
{
    /// <summary>Never an approved sale (pending, rejected, cancelled…): no money to release.</summary>
    None,

    /// <summary>Not released yet.</summary>
    Pending,

    /// <summary>In the organizer's Mercado Pago balance (acreditado).</summary>
    Credited,

    /// <summary>Held by an open dispute (in_mediation).</summary>
    Held,
}

/// <summary>
/// The filters of the transactions list (all optional, combined with AND). Dates are local dates in the organizer's
/// time zone on the payment's creation date, both included.
/// </summary>
/// <param name="From">First local day of <c>date_created</c>.</param>
/// <param name="To">Last local day of <c>date_created</c>, included.</param>
/// <param name="EventId">One of the organizer's events.</param>
/// <param name="Status">Mercado Pago's payment status.</param>
/// <param name="PaymentMethodId">Mercado Pago's <c>payment_method_id</c> (visa, master, yape, pagoefectivo_atm…).</param>
/// <param name="Release">Credited, pending or held as of now (<see cref="TransactionRelease.None"/> = payments that never were sales).</param>
/// <param name="HasRefund">True: some amount was refunded; false: nothing was.</param>
/// <param name="Search">A payment id (exact), a purchase reference (exact or prefix) or a buyer email (exact, any case).</param>
public sealed record TransactionFilter(
    DateOnly? From = null,
    DateOnly? To = null,
    int? EventId = null,
    PaymentStatus? Status = null,
    string? PaymentMethodId = null,
    TransactionRelease? Release = null,
    bool? HasRefund = null,
    string? Search = null)
{
    /// <summary>No filter: every payment of the organizer.</summary>
    public static TransactionFilter None { get; } = new();

    /// <summary>Longest search text accepted (an email is at most 254 characters).</summary>
    public const int MaxSearchLength = 254;
}

/// <summary>
/// Which page to read: the first (no cursor), the one a cursor points to (next or previous, as the cursor says), or the
/// last. <see cref="Limit"/> rows at most (1–<see cref="MaxLimit"/>).
/// </summary>
public sealed record TransactionPageRequest(
    TransactionFilter Filter,
    TransactionSort Sort = TransactionSort.DateDescending,
    int Limit = TransactionPageRequest.DefaultLimit,
    string? Cursor = null,
    bool Last = false)
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 500;
}

/// <summary>
/// One page of the list. <see cref="NextCursor"/> reads the rows after the last one; <see cref="PreviousCursor"/> the rows
/// before the first one; each is null when there is nothing that way.
/// </summary>
public sealed record TransactionPage(IReadOnlyList<TransactionRow> Items, string? NextCursor, string? PreviousCursor);

/// <summary>
/// A payment as the list shows it. <see cref="Net"/> is the sum of its ledger entries (0 for a payment that was never
/// a sale). <see cref="PayerEmail"/> is masked unless the caller may see personal data.
/// </summary>
public sealed record TransactionRow(
    long Id,
    DateTimeOffset DateCreated,
    DateTimeOffset? DateApproved,
    string? ExternalReference,
    int? EventId,
    string? EventName,
    PaymentStatus Status,
    string? StatusDetail,
    string? PaymentMethodId,
    string? PaymentTypeId,
    int Installments,
    int Tickets,
    decimal Amount,
    decimal Refunded,
    decimal Net,
    string Currency,
    TransactionRelease Release,
    DateTimeOffset? MoneyReleaseDate,
    string? PayerEmail);

/// <summary>
/// One line of a payment's fee breakdown: one ledger entry (the sale, a refund, a chargeback or its reversal), signed as
/// the ledger is. <c>Net = Gross + MercadoPagoFee + CommissionBase + CommissionIgv + OtherFees</c> on every line.
/// </summary>
public sealed record BreakdownLine(
    LedgerEntryKind Kind,
    long? RefundId,
    DateTimeOffset OccurredAt,
    DateOnly LocalDate,
    decimal Gross,
    decimal MercadoPagoFee,
    decimal CommissionBase,
    decimal CommissionIgv,
    decimal OtherFees,
    decimal Net)
{
    /// <summary>Whether the columns add up to the net (they always should: the ledger writes them so).</summary>
    public bool AddsUp => Gross + MercadoPagoFee + CommissionBase + CommissionIgv + OtherFees == Net;
}

/// <summary>The breakdown's lines and their column totals (the payment's whole effect on the organizer's money).</summary>
public sealed record FeeBreakdown(IReadOnlyList<BreakdownLine> Lines, BreakdownLine? Total)
{
    /// <summary>Sums the lines; <see cref="Total"/> is null when there are none (a payment that never was a sale).</summary>
    public static FeeBreakdown Of(IReadOnlyList<BreakdownLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) return new FeeBreakdown(lines, null);
        var first = lines[0];
        var total = new BreakdownLine(LedgerEntryKind.Sale, null, first.OccurredAt, first.LocalDate,
            lines.Sum(l => l.Gross), lines.Sum(l => l.MercadoPagoFee), lines.Sum(l => l.CommissionBase),
            lines.Sum(l => l.CommissionIgv), lines.Sum(l => l.OtherFees), lines.Sum(l => l.Net));
        return new FeeBreakdown(lines, total);
    }
}

/// <summary>A status the payment was seen in.</summary>
public sealed record TimelineStep(PaymentStatus Status, string? StatusDetail, DateTimeOffset ChangedAt);

/// <summary>One refund as Mercado Pago reported it (only approved ones are in the ledger).</summary>
public sealed record RefundItem(long Id, decimal Amount, string Status, DateTimeOffset DateCreated, string? SourceType);

/// <summary>The purchase the payment paid for; the buyer's name and document are masked unless revealed.</summary>
public sealed record PurchaseInfo(long Id, string ExternalId, int Tickets, decimal Amount, string Status, DateTimeOffset CreatedAt, string? BuyerName, string? BuyerDocument);

/// <summary>The event of the payment.</summary>
public sealed record EventInfo(int Id, string Name, string Venue, string? City, DateTimeOffset StartsAt);

/// <summary>
/// Everything the detail drawer (and <c>GET /api/v1/transactions/{id}</c>) shows of one payment. Personal data
/// (<see cref="PayerEmail"/>, <see cref="PayerDocument"/>, the purchase's buyer) is masked unless
/// <see cref="PersonalDataRevealed"/>.
/// </summary>
public sealed record TransactionDetail(
    TransactionRow Row,
    string? PayerEmail,
    string? PayerDocumentType,
    string? PayerDocument,
    bool PersonalDataRevealed,
    decimal MercadoPagoFeeReported,
    decimal ApplicationFeeReported,
    decimal OtherFeesReported,
    decimal PayerFees,
    decimal NetReceivedReported,
    FeeBreakdown Breakdown,
    IReadOnlyList<TimelineStep> Timeline,
    IReadOnlyList<RefundItem> Refunds,
    ReleaseState? LedgerReleaseState,
    DateOnly? ReleaseLocalDate,
    PurchaseInfo? Purchase,
    EventInfo? Event,
    string TimeZoneId)
{
    /// <summary>The organizer's calendar (dates shown local).</summary>
    public AccountingCalendar Calendar => AccountingCalendar.For(TimeZoneId);
}
