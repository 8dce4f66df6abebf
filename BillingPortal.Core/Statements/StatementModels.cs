using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Reporting;

namespace BillingPortal.Core.Statements;

/// <summary>What a statement is asked for: one organizer, one period, optionally one event.</summary>
public sealed record StatementRequest(int OrganizerId, DatePeriod Period, int? EventId = null);

/// <summary>
/// One statement (../shared/domain.md, "A statement"), composed once by <see cref="StatementComposer"/> and rendered by
/// renderers that never query: the header, the summary (the dashboard's figures for the same request), credited vs
/// pending as of the statement date, the per-event breakdown, the policies that applied and every ledger line.
/// <see cref="Lines"/> streams the lines in order (date, then entry); each call reads them again, so a million lines never
/// sit in memory and several renderers can each walk them.
/// </summary>
public sealed record StatementDocument(
    StatementHeader Header,
    PeriodSummary Summary,
    BalanceSnapshot Balance,
    IReadOnlyList<BreakdownRow> ByEvent,
    StatementPolicy Policy,
    long LineCount,
    Func<CancellationToken, IAsyncEnumerable<StatementLine>> Lines);

/// <summary>Who and what the statement is about.</summary>
public sealed record StatementHeader(
    string PlatformLegalName,
    string PlatformTaxId,
    int OrganizerId,
    string OrganizerLegalName,
    TaxIdKind OrganizerTaxIdKind,
    string OrganizerTaxId,
    DatePeriod Period,
    int? EventId,
    string? EventName,
    string? Number,
    DateTimeOffset AsOf,
    string TimeZoneId);

/// <summary>The commission and the refund/chargeback policies that applied (the organizer's plan, or the event's).</summary>
public sealed record StatementPolicy(
    string PlanName,
    decimal CommissionRate,
    decimal CommissionFixedPerTicket,
    decimal IgvRate,
    bool ReturnMercadoPagoFeeOnRefund,
    bool ReturnCommissionOnRefund,
    bool ReturnMercadoPagoFeeOnChargeback,
    bool ReturnCommissionOnChargeback);

/// <summary>
/// One ledger line as a statement shows it: local date and time, payment, purchase reference, event, method, kind and
/// the payment's status, every money column (signed as in the ledger), the release date and where the money stands as
/// of the statement date, and the buyer's email masked.
/// </summary>
public sealed record StatementLine(
    DateTime LocalDateTime,
    long PaymentId,
    string? PurchaseReference,
    string? EventName,
    string? PaymentMethodId,
    string? PaymentTypeId,
    LedgerEntryKind Kind,
    Payments.PaymentStatus PaymentStatus,
    int Tickets,
    decimal Gross,
    decimal MercadoPagoFee,
    decimal CommissionBase,
    decimal CommissionIgv,
    decimal OtherFees,
    decimal Net,
    DateOnly? ReleaseDate,
    StatementReleaseStatus ReleaseStatus,
    string? BuyerEmailMasked);

/// <summary>Where a line's money stands as of the statement date.</summary>
public enum StatementReleaseStatus
{
    Pending,
    Credited,
    Held,
}

/// <summary>The platform's identity on statements (configuration section <c>Platform</c>).</summary>
public sealed class PlatformIdentityOptions
{
    public const string SectionName = "Platform";

    /// <summary>The platform's razón social.</summary>
    public string LegalName { get; set; } = "Plataforma de Entradas S.A.C.";

    /// <summary>The platform's RUC.</summary>
    public string TaxId { get; set; } = "20100070970";
}
