using System.Text.Json.Serialization;
using BillingPortal.Core.Common;
using BillingPortal.Core.Reporting;

namespace BillingPortal.OpenApi;

/// <summary>The summary's figures for the period it is compared with.</summary>
/// <param name="From">First day of the comparison period (yyyy-MM-dd).</param>
/// <param name="To">Last day of the comparison period (yyyy-MM-dd), included.</param>
/// <param name="Summary">The comparison period's figures, the same fields as <c>summary</c>.</param>
public sealed record SummaryComparison(
    [property: JsonPropertyName("from")] DateOnly From,
    [property: JsonPropertyName("to")] DateOnly To,
    [property: JsonPropertyName("summary")] SummaryFigures Summary)
{
    public static SummaryComparison Of(Core.Billing.Ledger.PeriodSummary previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return new SummaryComparison(previous.Period.From, previous.Period.To, SummaryResponse.FiguresOf(previous));
    }
}

/// <summary>The period's figures bucketed by day or by month (<c>include=series</c>); the points add up to <c>summary</c>.</summary>
/// <param name="Granularity"><c>day</c> for periods up to 62 days, otherwise <c>month</c>.</param>
/// <param name="Points">One point per day or month of the period, in order, including empty ones.</param>
public sealed record SummarySeries(
    [property: JsonPropertyName("granularity")] string Granularity,
    [property: JsonPropertyName("points")] IReadOnlyList<SummarySeriesPoint> Points)
{
    public static SummarySeries From(SeriesGranularity granularity, IReadOnlyList<SeriesPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return new SummarySeries(
            granularity == SeriesGranularity.Day ? "day" : "month",
            [.. points.Select(p => new SummarySeriesPoint(p.Start, p.Sales, p.TicketsSold,
                SummaryResponse.Amount(p.GrossSales), SummaryResponse.Amount(p.Refunds), SummaryResponse.Amount(p.Chargebacks), SummaryResponse.Amount(p.Net)))]);
    }
}

/// <summary>One day or month of a series.</summary>
/// <param name="Start">The day, or the first day of the month (yyyy-MM-dd).</param>
/// <param name="Sales">Approved sales dated in the bucket.</param>
/// <param name="TicketsSold">Tickets of those sales.</param>
/// <param name="GrossSales">Sum of the sales' amounts.</param>
/// <param name="Refunds">Refunded amounts (negative).</param>
/// <param name="Chargebacks">Chargebacks less their reversals (negative or zero).</param>
/// <param name="Net">The net of every entry dated in the bucket.</param>
public sealed record SummarySeriesPoint(
    [property: JsonPropertyName("start")] DateOnly Start,
    [property: JsonPropertyName("sales")] int Sales,
    [property: JsonPropertyName("tickets_sold")] int TicketsSold,
    [property: JsonPropertyName("gross_sales")] decimal GrossSales,
    [property: JsonPropertyName("refunds")] decimal Refunds,
    [property: JsonPropertyName("chargebacks")] decimal Chargebacks,
    [property: JsonPropertyName("net")] decimal Net);

/// <summary><c>GET /api/v1/events</c>: the organizer's events with their figures and their balance now.</summary>
/// <param name="Period">The period the figures cover, or null when they cover all time (no <c>from</c>/<c>to</c>).</param>
/// <param name="Currency">Always <c>PEN</c>.</param>
/// <param name="AsOf">The instant of the balances (UTC).</param>
/// <param name="Events">Upcoming events soonest first, then past and cancelled ones, most recent first.</param>
public sealed record EventsResponse(
    [property: JsonPropertyName("period")] SummaryPeriod? Period,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("as_of")] DateTimeOffset AsOf,
    [property: JsonPropertyName("events")] IReadOnlyList<ApiEvent> Events);

/// <summary><c>GET /api/v1/events/{id}</c>: one event with its figures, its balance now and its next releases.</summary>
/// <param name="Period">The period the figures cover, or null for all time.</param>
/// <param name="Currency">Always <c>PEN</c>.</param>
/// <param name="Event">The event and its figures.</param>
/// <param name="Balance">The event's credited, pending and held money now, with its next releases.</param>
public sealed record EventResponse(
    [property: JsonPropertyName("period")] SummaryPeriod? Period,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("event")] ApiEvent Event,
    [property: JsonPropertyName("balance")] SummaryBalance Balance);

/// <summary>An event of the organizer with its figures.</summary>
/// <param name="Id">The portal's id of the event (use it in <c>event_id</c> and <c>/events/{id}</c>).</param>
/// <param name="ExternalId">The ticketing platform's id of the event.</param>
/// <param name="Name">The event's name.</param>
/// <param name="Venue">Where it takes place.</param>
/// <param name="City">The city, when known.</param>
/// <param name="StartsAt">When it starts, with the offset of the organizer's time zone (e.g. <c>-05:00</c> in Lima).</param>
/// <param name="State"><c>upcoming</c>, <c>finished</c> or <c>cancelled</c>.</param>
/// <param name="PayoutsFrozen">True when the platform froze the event's payouts.</param>
/// <param name="Figures">The event's figures for the period (or all time).</param>
/// <param name="Credited">Released to the organizer's Mercado Pago balance, now (all time, not limited to the period).</param>
/// <param name="Pending">Not released yet, now.</param>
/// <param name="Held">Held by open disputes, now.</param>
public sealed record ApiEvent(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("external_id")] string ExternalId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("venue")] string Venue,
    [property: JsonPropertyName("city")] string? City,
    [property: JsonPropertyName("starts_at")] DateTimeOffset StartsAt,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("payouts_frozen")] bool PayoutsFrozen,
    [property: JsonPropertyName("figures")] ApiEventFigures Figures,
    [property: JsonPropertyName("credited")] decimal Credited,
    [property: JsonPropertyName("pending")] decimal Pending,
    [property: JsonPropertyName("held")] decimal Held)
{
    /// <summary>Maps Core's figures to the wire (amounts with two decimals, the start in the organizer's zone).</summary>
    public static ApiEvent From(EventFigures e, string externalId, AccountingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(calendar);
        return new ApiEvent(e.EventId, externalId, e.Name, e.Venue, e.City, calendar.ToLocal(e.StartsAt), StateName(e.State), e.PayoutsFrozen,
            new ApiEventFigures(e.Sales, e.TicketsSold, SummaryResponse.Amount(e.GrossSales), SummaryResponse.Amount(e.Refunds),
                SummaryResponse.Amount(e.Chargebacks), SummaryResponse.Amount(e.MercadoPagoFees), SummaryResponse.Amount(e.CommissionBase),
                SummaryResponse.Amount(e.CommissionIgv), SummaryResponse.Amount(e.Commission), SummaryResponse.Amount(e.Net)),
            SummaryResponse.Amount(e.Credited), SummaryResponse.Amount(e.Pending), SummaryResponse.Amount(e.Held));
    }

    /// <summary>The wire name of a state.</summary>
    public static string StateName(EventState state) => state switch
    {
        EventState.Upcoming => "upcoming",
        EventState.Cancelled => "cancelled",
        _ => "finished",
    };
}

/// <summary>An event's figures, each a sum of its ledger entries dated in the period; <c>net</c> is the sum of every money column.</summary>
/// <param name="Sales">Approved sales.</param>
/// <param name="TicketsSold">Tickets of those sales.</param>
/// <param name="GrossSales">Sum of the sales' amounts.</param>
/// <param name="Refunds">Refunded amounts (negative).</param>
/// <param name="Chargebacks">Chargebacks less their reversals (negative or zero).</param>
/// <param name="MercadoPagoFees">Mercado Pago's fees, net of fees returned on refunds (negative).</param>
/// <param name="CommissionBase">The platform's commission before IGV (negative).</param>
/// <param name="CommissionIgv">The IGV on the commission (negative).</param>
/// <param name="Commission"><c>commission_base + commission_igv</c>.</param>
/// <param name="Net">What the organizer receives for the event in the period.</param>
public sealed record ApiEventFigures(
    [property: JsonPropertyName("sales")] int Sales,
    [property: JsonPropertyName("tickets_sold")] int TicketsSold,
    [property: JsonPropertyName("gross_sales")] decimal GrossSales,
    [property: JsonPropertyName("refunds")] decimal Refunds,
    [property: JsonPropertyName("chargebacks")] decimal Chargebacks,
    [property: JsonPropertyName("mercadopago_fees")] decimal MercadoPagoFees,
    [property: JsonPropertyName("commission_base")] decimal CommissionBase,
    [property: JsonPropertyName("commission_igv")] decimal CommissionIgv,
    [property: JsonPropertyName("commission")] decimal Commission,
    [property: JsonPropertyName("net")] decimal Net);
