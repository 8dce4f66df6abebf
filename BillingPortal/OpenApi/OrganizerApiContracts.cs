using System.Globalization;
using System.Text.Json.Serialization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BillingPortal.OpenApi;

/// <summary>One broken rule of an organizer API request: the field (or header), a stable rule code and a Spanish message.</summary>
/// <param name="Field">The query parameter or header at fault (<c>from</c>, <c>to</c>, <c>event_id</c>, <c>include</c>, <c>id</c>, <c>X-Api-Key</c>).</param>
/// <param name="Rule">A stable snake_case code from the documented list; clients may switch on it.</param>
/// <param name="Message">A Spanish explanation for people; it may be reworded.</param>
public sealed record ApiError(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The stable rule codes of the organizer API's errors (snake_case). Never rename one, only add.</summary>
public static class OrganizerApiRules
{
    public const string ApiKeyMissing = "api_key_missing";
    public const string ApiKeyInvalid = "api_key_invalid";
    public const string Scope = "scope";
    public const string Required = "required";
    public const string DateFormat = "date_format";
    public const string FromAfterTo = "from_after_to";
    public const string MaxDays = "max_days";
    public const string WholeNumber = "integer";
    public const string NotFound = "not_found";
    public const string OneOf = "one_of";
}

/// <summary>ProblemDetails bodies in the shape every <c>/api/v1</c> error has: title, detail and <c>errors</c>.</summary>
public static class ApiProblems
{
    /// <summary>A ProblemDetails result whose detail is the first error's message unless given.</summary>
    public static ProblemHttpResult Create(int status, string title, IReadOnlyList<ApiError> errors, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.Problem(
            statusCode: status,
            title: title,
            detail: detail ?? (errors.Count > 0 ? errors[0].Message : null),
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }
}

/// <summary>
/// <c>GET /api/v1/summary</c>: an organizer's figures for a period of whole local dates and its balance now. Amounts are
/// PEN with exactly two decimals, signed as a statement is (charges and refunds negative).
/// </summary>
/// <param name="Period">The requested period.</param>
/// <param name="Organizer">The organizer the key belongs to.</param>
/// <param name="EventId">The event the figures are limited to, or null for all the organizer's events.</param>
/// <param name="Currency">Always <c>PEN</c>: only soles are summed.</param>
/// <param name="Summary">The period's figures (ledger entries dated in the period).</param>
/// <param name="Balance">Credited, pending and held money as of the moment of the request.</param>
/// <param name="Comparison">The same figures for the period it is compared with: the previous month(s) for whole months, the
/// same days of the previous month for a month to date, the previous year to date, otherwise as many days just before.</param>
public sealed record SummaryResponse(
    [property: JsonPropertyName("period")] SummaryPeriod Period,
    [property: JsonPropertyName("organizer")] SummaryOrganizer Organizer,
    [property: JsonPropertyName("event_id")] int? EventId,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("summary")] SummaryFigures Summary,
    [property: JsonPropertyName("balance")] SummaryBalance Balance,
    [property: JsonPropertyName("comparison")] SummaryComparison Comparison)
{
    /// <summary>The period's figures by day (periods up to 62 days) or by month; only with <c>include=series</c>.</summary>
    [JsonPropertyName("series")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SummarySeries? Series { get; init; }

    /// <summary>Maps Core's figures to the wire; no figure is computed here.</summary>
    public static SummaryResponse From(OrganizerListItem organizer, int? eventId, PeriodSummary summary, BalanceSnapshot balance, PeriodSummary previous)
    {
        ArgumentNullException.ThrowIfNull(organizer);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(balance);
        return new SummaryResponse(
            new SummaryPeriod(summary.Period.From, summary.Period.To, organizer.TimeZoneId),
            new SummaryOrganizer(organizer.LegalName, organizer.TaxIdKind == TaxIdKind.Ruc ? "RUC" : "DNI", organizer.TaxId),
            eventId,
            Money.Pen,
            FiguresOf(summary),
            BalanceOf(balance),
            SummaryComparison.Of(previous));
    }

    /// <summary>A period summary on the wire.</summary>
    public static SummaryFigures FiguresOf(PeriodSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new SummaryFigures(
            summary.Sales,
            summary.TicketsSold,
            summary.TicketsNet,
            Amount(summary.GrossSales),
            summary.RefundCount,
            Amount(summary.Refunds),
            summary.ChargebackCount,
            Amount(summary.Chargebacks),
            Amount(summary.MercadoPagoFees),
            Amount(summary.CommissionBase),
            Amount(summary.CommissionIgv),
            Amount(summary.Commission),
            Amount(summary.OtherFees),
            Amount(summary.Net));
    }

    /// <summary>A balance snapshot on the wire.</summary>
    public static SummaryBalance BalanceOf(BalanceSnapshot balance)
    {
        ArgumentNullException.ThrowIfNull(balance);
        return new SummaryBalance(
            balance.AsOf.ToUniversalTime(),
            Amount(balance.Credited),
            Amount(balance.Pending),
            Amount(balance.Held),
            [.. balance.NextReleases.Select(r => new SummaryRelease(r.Date, Amount(r.Amount), r.Payments))]);
    }

    /// <summary>
    /// The same amount with exactly two decimal places, so the JSON number reads <c>150.00</c> and not <c>150</c>
    /// (System.Text.Json writes a decimal with its own scale). Amounts from the ledger are whole céntimos already.
    /// </summary>
    internal static decimal Amount(decimal value) =>
        decimal.Parse(value.ToString("F2", CultureInfo.InvariantCulture), NumberStyles.Number, CultureInfo.InvariantCulture);
}

/// <summary>A period of whole local dates in the organizer's time zone, both ends included.</summary>
/// <param name="From">First day (yyyy-MM-dd).</param>
/// <param name="To">Last day (yyyy-MM-dd), included.</param>
/// <param name="TimeZone">The IANA time zone the dates are in (America/Lima unless the organizer has another).</param>
public sealed record SummaryPeriod(
    [property: JsonPropertyName("from")] DateOnly From,
    [property: JsonPropertyName("to")] DateOnly To,
    [property: JsonPropertyName("time_zone")] string TimeZone);

/// <summary>The organizer as its statements name it.</summary>
/// <param name="LegalName">Razón social (company) or full name (person).</param>
/// <param name="TaxIdType"><c>RUC</c> or <c>DNI</c>.</param>
/// <param name="TaxId">The RUC (11 digits) or DNI (8 digits).</param>
public sealed record SummaryOrganizer(
    [property: JsonPropertyName("legal_name")] string LegalName,
    [property: JsonPropertyName("tax_id_type")] string TaxIdType,
    [property: JsonPropertyName("tax_id")] string TaxId);

/// <summary>The period's figures, each a sum of the period's ledger entries; <c>net</c> is the sum of every money column.</summary>
/// <param name="Sales">Approved sales dated in the period.</param>
/// <param name="TicketsSold">Tickets of those sales.</param>
/// <param name="TicketsNet">Tickets sold less tickets of refunds and chargebacks dated in the period.</param>
/// <param name="GrossSales">Sum of the sales' amounts.</param>
/// <param name="RefundCount">Refunds dated in the period.</param>
/// <param name="Refunds">Refunded amounts (negative).</param>
/// <param name="ChargebackCount">Chargebacks dated in the period.</param>
/// <param name="Chargebacks">Chargebacks less their reversals (negative or zero).</param>
/// <param name="MercadoPagoFees">Mercado Pago's fees, net of fees returned on refunds (negative).</param>
/// <param name="CommissionBase">The platform's commission before IGV (negative).</param>
/// <param name="CommissionIgv">The IGV (18%) on the commission (negative).</param>
/// <param name="Commission">The commission including IGV: <c>commission_base + commission_igv</c>.</param>
/// <param name="OtherFees">Other fees paid by the organizer, e.g. financing (negative).</param>
/// <param name="Net">What the organizer receives for the period.</param>
public sealed record SummaryFigures(
    [property: JsonPropertyName("sales")] int Sales,
    [property: JsonPropertyName("tickets_sold")] int TicketsSold,
    [property: JsonPropertyName("tickets_net")] int TicketsNet,
    [property: JsonPropertyName("gross_sales")] decimal GrossSales,
    [property: JsonPropertyName("refund_count")] int RefundCount,
    [property: JsonPropertyName("refunds")] decimal Refunds,
    [property: JsonPropertyName("chargeback_count")] int ChargebackCount,
    [property: JsonPropertyName("chargebacks")] decimal Chargebacks,
    [property: JsonPropertyName("mercadopago_fees")] decimal MercadoPagoFees,
    [property: JsonPropertyName("commission_base")] decimal CommissionBase,
    [property: JsonPropertyName("commission_igv")] decimal CommissionIgv,
    [property: JsonPropertyName("commission")] decimal Commission,
    [property: JsonPropertyName("other_fees")] decimal OtherFees,
    [property: JsonPropertyName("net")] decimal Net);

/// <summary>Where the organizer's money stands as of <c>as_of</c> (the request's moment), over all its entries up to then.</summary>
/// <param name="AsOf">The instant of the snapshot (UTC).</param>
/// <param name="Credited">Released to the organizer's Mercado Pago balance (acreditado).</param>
/// <param name="Pending">Not released yet.</param>
/// <param name="Held">Held by open disputes (in mediation).</param>
/// <param name="NextReleases">The next release dates (up to five) with the net due on each.</param>
public sealed record SummaryBalance(
    [property: JsonPropertyName("as_of")] DateTimeOffset AsOf,
    [property: JsonPropertyName("credited")] decimal Credited,
    [property: JsonPropertyName("pending")] decimal Pending,
    [property: JsonPropertyName("held")] decimal Held,
    [property: JsonPropertyName("next_releases")] IReadOnlyList<SummaryRelease> NextReleases);

/// <summary>Net money expected to be credited on a local date.</summary>
/// <param name="Date">The local release date (yyyy-MM-dd).</param>
/// <param name="Amount">The net due that day.</param>
/// <param name="Payments">How many payments release that day.</param>
public sealed record SummaryRelease(
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("payments")] int Payments);

/// <summary>
/// The error body of the organizer API (RFC 9457 ProblemDetails, <c>application/problem+json</c>) with the broken
/// rules in <c>errors</c>. Documents the wire; the endpoints build it through <see cref="ApiProblems"/>.
/// </summary>
/// <param name="Type">A link to the HTTP status's definition.</param>
/// <param name="Title">A short Spanish summary.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">A Spanish explanation (the first error's message).</param>
/// <param name="TraceId">The request id, to quote when asking for help.</param>
/// <param name="Errors">Every broken rule.</param>
public sealed record ApiProblem(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("traceId")] string? TraceId,
    [property: JsonPropertyName("errors")] IReadOnlyList<ApiError> Errors)
{
    public const string ContentType = "application/problem+json";
}
