using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;

namespace BillingPortal.Core.Reporting;

/// <summary>How a chart's points are bucketed.</summary>
public enum SeriesGranularity
{
    Day,
    Month,
}

/// <summary>
/// Everything the dashboard shows for one period (and optionally one event), read from the daily rollups: the summary
/// cards, the same figures for the comparison period, the balance as of now, and the charts. Every chart is a split of
/// the same rows the cards sum, so the sum of a chart's points equals the matching card to the cent.
/// </summary>
public sealed record Dashboard(
    int OrganizerId,
    int? EventId,
    PeriodSummary Current,
    PeriodSummary Previous,
    BalanceSnapshot Balance,
    SeriesGranularity Granularity,
    IReadOnlyList<SeriesPoint> Series,
    IReadOnlyList<BreakdownRow> ByEvent,
    IReadOnlyList<BreakdownRow> ByPaymentMethod);

/// <summary>
/// One bucket of a time series (a local day, or a month starting on <see cref="Start"/>): gross sales (positive),
/// refunds and chargebacks (negative, as in the ledger), tickets sold and the net of every entry dated in the bucket.
/// </summary>
public sealed record SeriesPoint(DateOnly Start, int Sales, int TicketsSold, decimal GrossSales, decimal Refunds, decimal Chargebacks, decimal Net);

/// <summary>
/// One slice of a period (an event, or a payment method): sales count and gross, refunds and chargebacks (negative),
/// Mercado Pago fees and the commission with its IGV (negative) and the net. <see cref="Key"/> is the event id as text
/// or <c>method/type</c>; <see cref="Label"/> the event's name or the method id (the UI translates it).
/// </summary>
public sealed record BreakdownRow(
    string Key,
    string Label,
    int Sales,
    int TicketsSold,
    decimal GrossSales,
    decimal Refunds,
    decimal Chargebacks,
    decimal MercadoPagoFees,
    decimal Commission,
    decimal Net);

/// <summary>An event's state as the portal shows it.</summary>
public enum EventState
{
    Upcoming,
    Finished,
    Cancelled,
}

/// <summary>
/// A row of the events list: the event and its figures (for the requested period, or all time), with what is
/// credited, pending and held as of now.
/// </summary>
public sealed record EventFigures(
    int EventId,
    string Name,
    string Venue,
    string? City,
    DateTimeOffset StartsAt,
    EventState State,
    bool PayoutsFrozen,
    int Sales,
    int TicketsSold,
    decimal GrossSales,
    decimal Refunds,
    decimal Chargebacks,
    decimal MercadoPagoFees,
    decimal CommissionBase,
    decimal CommissionIgv,
    decimal Net,
    decimal Credited,
    decimal Pending,
    decimal Held)
{
    public decimal Commission => CommissionBase + CommissionIgv;

    public static EventState StateOf(Event e, DateTimeOffset now) => e.Status switch
    {
        EventStatus.Cancelled => EventState.Cancelled,
        EventStatus.Finished => EventState.Finished,
        _ => e.StartsAt > now ? EventState.Upcoming : EventState.Finished,
    };
}

/// <summary>Period presets of the picker; <see cref="DashboardPeriods"/> turns them into dates in the organizer's zone.</summary>
public enum PeriodPreset
{
    Today,
    Last7Days,
    Last30Days,
    ThisMonth,
    PreviousMonth,
    ThisYear,
    Custom,
}

/// <summary>Period arithmetic for the dashboard (all in local dates of the organizer's time zone).</summary>
public static class DashboardPeriods
{
    /// <summary>The dates of a preset on <paramref name="today"/> (local). <see cref="PeriodPreset.Custom"/> is not a preset.</summary>
    public static DatePeriod Of(PeriodPreset preset, DateOnly today) => preset switch
    {
        PeriodPreset.Today => new DatePeriod(today, today),
        PeriodPreset.Last7Days => new DatePeriod(today.AddDays(-6), today),
        PeriodPreset.Last30Days => new DatePeriod(today.AddDays(-29), today),
        PeriodPreset.ThisMonth => new DatePeriod(new DateOnly(today.Year, today.Month, 1), today),
        PeriodPreset.PreviousMonth => DatePeriod.Month(today.AddMonths(-1).Year, today.AddMonths(-1).Month),
        PeriodPreset.ThisYear => new DatePeriod(new DateOnly(today.Year, 1, 1), today),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Custom has no dates of its own."),
    };

    /// <summary>
    /// The period a period is compared with: the previous calendar month(s) when it is whole months (or a month to
    /// date: the same days of the previous month), the previous year to date for a year to date, otherwise the same
    /// number of days just before.
    /// </summary>
    public static DatePeriod PreviousOf(DatePeriod period)
    {
        var from = period.From;
        var to = period.To;
        if (from.Day == 1)
        {
            var months = ((to.Year - from.Year) * 12) + to.Month - from.Month + 1;
            var lastOfTo = new DateOnly(to.Year, to.Month, 1).AddMonths(1).AddDays(-1);
            if (to == lastOfTo) return new DatePeriod(from.AddMonths(-months), from.AddDays(-1));
            if (from.Month == 1 && months > 1) return new DatePeriod(from.AddYears(-1), to.AddYears(-1));
            if (months == 1)
            {
                var previousFrom = from.AddMonths(-1);
                var previousLast = from.AddDays(-1);
                return new DatePeriod(previousFrom, new DateOnly(previousFrom.Year, previousFrom.Month, Math.Min(to.Day, previousLast.Day)));
            }
        }

        return new DatePeriod(from.AddDays(-period.Days), from.AddDays(-1));
    }

    /// <summary>Days up to two months are charted by day, longer periods by month.</summary>
    public static SeriesGranularity GranularityOf(DatePeriod period) => period.Days <= 62 ? SeriesGranularity.Day : SeriesGranularity.Month;
}
