using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.OpenApi;
using BillingPortal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace BillingPortal.Endpoints;

/// <summary>
/// <c>GET /api/v1/transactions</c> (cursor-paged, the grid's filters) and <c>GET /api/v1/transactions/{id}</c> (one payment
/// with its fee breakdown), mapped into the organizer API group. The organizer is the key's; an API key reads buyers'
/// personal data masked (keys act as viewers). Every query goes through <see cref="TransactionQueries"/>.
/// </summary>
public static class OrganizerTransactionsApi
{
    /// <summary>Rule codes added by these endpoints (stable, snake_case).</summary>
    public static class Rules
    {
        public const string OneOf = "one_of";
        public const string Range = "range";
        public const string Cursor = "cursor_invalid";
        public const string TooLong = "too_long";
    }

    private static readonly Dictionary<string, PaymentStatus> Statuses = Enum.GetValues<PaymentStatus>()
        .ToDictionary(s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString()), StringComparer.Ordinal);

    private static readonly Dictionary<string, TransactionRelease> Releases = new(StringComparer.Ordinal)
    {
        ["credited"] = TransactionRelease.Credited,
        ["pending"] = TransactionRelease.Pending,
        ["held"] = TransactionRelease.Held,
        ["none"] = TransactionRelease.None,
    };

    private static readonly Dictionary<string, TransactionSort> Sorts = new(StringComparer.Ordinal)
    {
        ["date_desc"] = TransactionSort.DateDescending,
        ["date_asc"] = TransactionSort.DateAscending,
        ["amount_desc"] = TransactionSort.AmountDescending,
        ["amount_asc"] = TransactionSort.AmountAscending,
    };

    /// <summary>Maps both endpoints into the organizer API group (which requires the organizer key).</summary>
    public static RouteGroupBuilder MapOrganizerTransactions(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/transactions", ListAsync)
            .WithName("ListTransactions")
            .WithSummary("Transactions (payments), cursor-paged")
            .WithDescription(
                "The key's organizer's Mercado Pago payments, newest first unless `sort` says otherwise, filtered like the portal's " +
                "grid. Pages are read by keyset: pass the `next_cursor` of a response as `cursor` to read the following page; it is null " +
                "on the last page. Cursors are opaque, belong to one `sort`, and stay valid while new payments arrive (a new payment " +
                "appears on the first page, never shifts the others). Buyers' emails are masked.")
            .Produces<TransactionListResponse>()
            .Produces<ApiProblem>(StatusCodes.Status400BadRequest, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status401Unauthorized, ApiProblem.ContentType)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                Describe(operation, "from", "First local day (yyyy-MM-dd, organizer's time zone) of the payment's creation date.");
                Describe(operation, "to", "Last local day (yyyy-MM-dd), included.");
                Describe(operation, "event_id", "Only payments of this event of the organizer (another organizer's event gives no rows).");
                Describe(operation, "status", "Mercado Pago status: " + string.Join(", ", Statuses.Keys) + ".");
                Describe(operation, "payment_method", "Mercado Pago `payment_method_id`, e.g. visa, master, yape, pagoefectivo_atm.");
                Describe(operation, "release", "Where the money stands now: credited (acreditado), pending, held (dispute) or none (never approved).");
                Describe(operation, "has_refund", "true: some amount was refunded; false: nothing was.");
                Describe(operation, "search", "A payment id (exact), a purchase reference (exact or prefix) or a buyer email (exact).");
                Describe(operation, "sort", "date_desc (default), date_asc, amount_desc or amount_asc.");
                Describe(operation, "limit", "Rows per page, 1–500 (default 50).");
                Describe(operation, "cursor", "The `next_cursor` of the previous response, unchanged, with the same filters and sort.");
                return Task.CompletedTask;
            });

        group.MapGet("/transactions/{id}", GetAsync)
            .WithName("GetTransaction")
            .WithSummary("One transaction with its fee breakdown")
            .WithDescription(
                "A payment of the key's organizer: the row, the fee breakdown from the ledger (gross → Mercado Pago fee → commission " +
                "base → IGV → other fees → net, one line per sale, refund, chargeback or reversal, with totals), the status timeline, " +
                "the refunds, the release date and state, the purchase and the event. Another organizer's payment is 404.")
            .Produces<TransactionDetailResponse>()
            .Produces<ApiProblem>(StatusCodes.Status400BadRequest, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status401Unauthorized, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status404NotFound, ApiProblem.ContentType)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                Describe(operation, "id", "The Mercado Pago payment id.", ParameterLocation.Path);
                return Task.CompletedTask;
            });
        return group;
    }

    // GET /api/v1/transactions. Plain comment: an XML summary would replace WithSummary in the OpenAPI document.
    internal static async Task<IResult> ListAsync(
        ClaimsPrincipal user,
        HttpContext http,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        [FromQuery(Name = "event_id")] string? eventId,
        [FromQuery(Name = "status")] string? status,
        [FromQuery(Name = "payment_method")] string? paymentMethod,
        [FromQuery(Name = "release")] string? release,
        [FromQuery(Name = "has_refund")] string? hasRefund,
        [FromQuery(Name = "search")] string? search,
        [FromQuery(Name = "sort")] string? sort,
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        TransactionQueries transactions,
        CancellationToken cancellationToken)
    {
        var access = user.ToOrganizerAccess() ?? throw new InvalidOperationException("The organizer API policy let a request through without an organizer key.");
        http.Response.Headers.CacheControl = "no-store";

        var errors = new List<ApiError>();
        var fromDate = OptionalDate("from", from, errors);
        var toDate = OptionalDate("to", to, errors);
        if (fromDate is { } f && toDate is { } t && f > t)
            errors.Add(new ApiError("from", OrganizerApiRules.FromAfterTo, "La fecha «from» no puede ser posterior a «to»."));
        int? eventFilter = null;
        if (!string.IsNullOrEmpty(eventId))
        {
            if (int.TryParse(eventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) eventFilter = id;
            else errors.Add(new ApiError("event_id", OrganizerApiRules.WholeNumber, "«event_id» debe ser un número entero positivo."));
        }

        var statusFilter = OneOf("status", status, Statuses, errors);
        var releaseFilter = OneOf("release", release, Releases, errors);
        var sortValue = OneOf("sort", sort, Sorts, errors) ?? TransactionSort.DateDescending;
        bool? refundFilter = hasRefund switch
        {
            null or "" => null,
            "true" => true,
            "false" => false,
            _ => Error<bool?>(errors, "has_refund", Rules.OneOf, "«has_refund» debe ser true o false."),
        };
        var limitValue = TransactionPageRequest.DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out limitValue) || limitValue < 1 || limitValue > TransactionPageRequest.MaxLimit))
        {
            errors.Add(new ApiError("limit", Rules.Range, $"«limit» debe ser un número entero entre 1 y {TransactionPageRequest.MaxLimit}."));
        }

        if (search?.Length > TransactionFilter.MaxSearchLength)
            errors.Add(new ApiError("search", Rules.TooLong, $"«search» admite como máximo {TransactionFilter.MaxSearchLength} caracteres."));
        if (paymentMethod?.Length > 40)
            errors.Add(new ApiError("payment_method", Rules.TooLong, "«payment_method» admite como máximo 40 caracteres."));
        if (!string.IsNullOrEmpty(cursor) && TransactionCursor.TryParse(cursor, sortValue, out _) is { } cursorError)
            errors.Add(new ApiError("cursor", Rules.Cursor, cursorError));

        if (errors.Count > 0) return ApiProblems.Create(StatusCodes.Status400BadRequest, "La solicitud contiene datos no válidos.", errors);

        var filter = new TransactionFilter(fromDate, toDate, eventFilter, statusFilter, string.IsNullOrEmpty(paymentMethod) ? null : paymentMethod,
            releaseFilter, refundFilter, string.IsNullOrWhiteSpace(search) ? null : search);
        var page = await transactions.GetPageAsync(access.OrganizerId,
            new TransactionPageRequest(filter, sortValue, limitValue, string.IsNullOrEmpty(cursor) ? null : cursor), revealPersonalData: false, cancellationToken);
        return TypedResults.Ok(new TransactionListResponse([.. page.Items.Select(TransactionItem.From)], page.NextCursor));
    }

    // GET /api/v1/transactions/{id}.
    internal static async Task<IResult> GetAsync(ClaimsPrincipal user, HttpContext http, string id, TransactionQueries transactions, CancellationToken cancellationToken)
    {
        var access = user.ToOrganizerAccess() ?? throw new InvalidOperationException("The organizer API policy let a request through without an organizer key.");
        http.Response.Headers.CacheControl = "no-store";
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId) || paymentId <= 0)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "La solicitud contiene datos no válidos.",
                [new ApiError("id", OrganizerApiRules.WholeNumber, "El id de la transacción debe ser un número entero positivo.")]);
        }

        var detail = await transactions.GetDetailAsync(access.OrganizerId, paymentId, revealPersonalData: false, cancellationToken);
        if (detail is null)
        {
            // Another organizer's payment and a missing one get the same answer.
            return ApiProblems.Create(StatusCodes.Status404NotFound, "No se encontró el recurso.",
                [new ApiError("id", OrganizerApiRules.NotFound, "La transacción no existe.")]);
        }

        return TypedResults.Ok(TransactionDetailResponse.From(detail));
    }

    private static DateOnly? OptionalDate(string field, string? value, List<ApiError> errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, OrganizerApiEndpoints.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(new ApiError(field, OrganizerApiRules.DateFormat, $"La fecha «{field}» debe tener el formato aaaa-mm-dd (por ejemplo 2026-03-01)."));
        return null;
    }

    private static T? OneOf<T>(string field, string? value, Dictionary<string, T> allowed, List<ApiError> errors)
        where T : struct
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (allowed.TryGetValue(value, out var parsed)) return parsed;
        errors.Add(new ApiError(field, Rules.OneOf, $"«{field}» debe ser uno de: {string.Join(", ", allowed.Keys)}."));
        return null;
    }

    private static T? Error<T>(List<ApiError> errors, string field, string rule, string message)
    {
        errors.Add(new ApiError(field, rule, message));
        return default;
    }

    private static void Describe(OpenApiOperation operation, string name, string description, ParameterLocation location = ParameterLocation.Query)
    {
        if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name && p.In == location) is { } parameter)
            parameter.Description = description;
    }

    internal static string Snake<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

/// <summary><c>GET /api/v1/transactions</c>: one page and the cursor of the next (null on the last page).</summary>
/// <param name="Items">The page's payments, in the requested order.</param>
/// <param name="NextCursor">Pass it as <c>cursor</c> (same filters and sort) for the next page; null when this is the last.</param>
public sealed record TransactionListResponse(
    [property: JsonPropertyName("items")] IReadOnlyList<TransactionItem> Items,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>A payment as the list returns it. Amounts in PEN with two decimals; instants in UTC (ISO 8601).</summary>
/// <param name="Id">Mercado Pago's payment id.</param>
/// <param name="DateCreated">When the payment was created.</param>
/// <param name="DateApproved">When it was approved, if it was.</param>
/// <param name="ExternalReference">The purchase reference (the ticketing platform's order id).</param>
/// <param name="EventId">The event, when the purchase was matched.</param>
/// <param name="EventName">The event's name.</param>
/// <param name="Status">Mercado Pago status (snake_case).</param>
/// <param name="StatusDetail">Mercado Pago status detail.</param>
/// <param name="PaymentMethodId">Mercado Pago payment method (visa, yape…).</param>
/// <param name="PaymentTypeId">Mercado Pago payment type (credit_card, account_money, ticket…).</param>
/// <param name="Installments">Cuotas.</param>
/// <param name="Tickets">Tickets of the purchase.</param>
/// <param name="Amount">Transaction amount (gross).</param>
/// <param name="Refunded">Amount refunded so far.</param>
/// <param name="Net">What the organizer keeps from it: the sum of its ledger entries (0 when never approved).</param>
/// <param name="Currency">PEN.</param>
/// <param name="Release">credited, pending, held or none (as of the request).</param>
/// <param name="MoneyReleaseDate">When Mercado Pago releases (or released) the money.</param>
/// <param name="PayerEmail">The buyer's email, masked.</param>
public sealed record TransactionItem(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("date_created")] DateTimeOffset DateCreated,
    [property: JsonPropertyName("date_approved")] DateTimeOffset? DateApproved,
    [property: JsonPropertyName("external_reference")] string? ExternalReference,
    [property: JsonPropertyName("event_id")] int? EventId,
    [property: JsonPropertyName("event_name")] string? EventName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_detail")] string? StatusDetail,
    [property: JsonPropertyName("payment_method_id")] string? PaymentMethodId,
    [property: JsonPropertyName("payment_type_id")] string? PaymentTypeId,
    [property: JsonPropertyName("installments")] int Installments,
    [property: JsonPropertyName("tickets")] int Tickets,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("refunded")] decimal Refunded,
    [property: JsonPropertyName("net")] decimal Net,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("release")] string Release,
    [property: JsonPropertyName("money_release_date")] DateTimeOffset? MoneyReleaseDate,
    [property: JsonPropertyName("payer_email")] string? PayerEmail)
{
    public static TransactionItem From(TransactionRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new TransactionItem(r.Id, r.DateCreated.ToUniversalTime(), r.DateApproved?.ToUniversalTime(), r.ExternalReference, r.EventId, r.EventName,
            OrganizerTransactionsApi.Snake(r.Status), r.StatusDetail, r.PaymentMethodId, r.PaymentTypeId, r.Installments, r.Tickets,
            SummaryResponse.Amount(r.Amount), SummaryResponse.Amount(r.Refunded), SummaryResponse.Amount(r.Net), r.Currency,
            OrganizerTransactionsApi.Snake(r.Release), r.MoneyReleaseDate?.ToUniversalTime(), r.PayerEmail);
    }
}

/// <summary>One line of the breakdown (a ledger entry), signed: charges negative. <c>net</c> = the sum of the other columns.</summary>
/// <param name="Kind">sale, refund, chargeback or chargeback_reversal (<c>total</c> for the totals line).</param>
/// <param name="RefundId">The refund's id on refund lines.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="LocalDate">Its accounting date in the organizer's time zone.</param>
/// <param name="Gross">Sale amount (positive) or amount returned (negative).</param>
/// <param name="MercadoPagoFee">Mercado Pago's fee (negative; positive when returned).</param>
/// <param name="CommissionBase">The platform's commission before IGV.</param>
/// <param name="CommissionIgv">IGV (18%) on the commission.</param>
/// <param name="OtherFees">Other fees paid by the organizer (financing…).</param>
/// <param name="Net">The line's effect on the organizer's money.</param>
public sealed record BreakdownLineItem(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("refund_id")] long? RefundId,
    [property: JsonPropertyName("occurred_at")] DateTimeOffset OccurredAt,
    [property: JsonPropertyName("local_date")] DateOnly LocalDate,
    [property: JsonPropertyName("gross")] decimal Gross,
    [property: JsonPropertyName("mercadopago_fee")] decimal MercadoPagoFee,
    [property: JsonPropertyName("commission_base")] decimal CommissionBase,
    [property: JsonPropertyName("commission_igv")] decimal CommissionIgv,
    [property: JsonPropertyName("other_fees")] decimal OtherFees,
    [property: JsonPropertyName("net")] decimal Net)
{
    public static BreakdownLineItem From(BreakdownLine l, string? kind = null)
    {
        ArgumentNullException.ThrowIfNull(l);
        return new BreakdownLineItem(kind ?? OrganizerTransactionsApi.Snake(l.Kind), l.RefundId, l.OccurredAt.ToUniversalTime(), l.LocalDate,
            SummaryResponse.Amount(l.Gross), SummaryResponse.Amount(l.MercadoPagoFee), SummaryResponse.Amount(l.CommissionBase),
            SummaryResponse.Amount(l.CommissionIgv), SummaryResponse.Amount(l.OtherFees), SummaryResponse.Amount(l.Net));
    }
}

/// <summary>The fee breakdown: one line per ledger entry and their totals (null when the payment was never approved).</summary>
/// <param name="Lines">Sale, refunds, chargeback and reversal lines, oldest first.</param>
/// <param name="Total">Column totals; <c>total.net</c> equals the transaction's <c>net</c>.</param>
public sealed record BreakdownResponse(
    [property: JsonPropertyName("lines")] IReadOnlyList<BreakdownLineItem> Lines,
    [property: JsonPropertyName("total")] BreakdownLineItem? Total);

/// <summary>A status the payment was seen in.</summary>
/// <param name="Status">Mercado Pago status (snake_case).</param>
/// <param name="StatusDetail">Mercado Pago status detail.</param>
/// <param name="ChangedAt">When (UTC).</param>
public sealed record TimelineItem(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_detail")] string? StatusDetail,
    [property: JsonPropertyName("changed_at")] DateTimeOffset ChangedAt);

/// <summary>A refund as Mercado Pago reported it.</summary>
/// <param name="Id">Refund id.</param>
/// <param name="Amount">Amount refunded.</param>
/// <param name="Status">approved, in_process, rejected…</param>
/// <param name="DateCreated">When (UTC).</param>
public sealed record RefundResponseItem(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("date_created")] DateTimeOffset DateCreated);

/// <summary><c>GET /api/v1/transactions/{id}</c>.</summary>
/// <param name="Transaction">The payment as the list shows it.</param>
/// <param name="PayerEmail">The buyer's email, masked.</param>
/// <param name="PayerDocument">The buyer's document number, masked (last three digits).</param>
/// <param name="Breakdown">The fee breakdown from the ledger.</param>
/// <param name="Timeline">The statuses the payment was seen in, oldest first.</param>
/// <param name="Refunds">Its refunds.</param>
/// <param name="ReleaseDate">The local release date.</param>
/// <param name="PurchaseReference">The purchase's id on the ticketing platform.</param>
/// <param name="EventName">The event's name.</param>
public sealed record TransactionDetailResponse(
    [property: JsonPropertyName("transaction")] TransactionItem Transaction,
    [property: JsonPropertyName("payer_email")] string? PayerEmail,
    [property: JsonPropertyName("payer_document")] string? PayerDocument,
    [property: JsonPropertyName("breakdown")] BreakdownResponse Breakdown,
    [property: JsonPropertyName("timeline")] IReadOnlyList<TimelineItem> Timeline,
    [property: JsonPropertyName("refunds")] IReadOnlyList<RefundResponseItem> Refunds,
    [property: JsonPropertyName("release_date")] DateOnly? ReleaseDate,
    [property: JsonPropertyName("purchase_reference")] string? PurchaseReference,
    [property: JsonPropertyName("event_name")] string? EventName)
{
    public static TransactionDetailResponse From(TransactionDetail d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new TransactionDetailResponse(
            TransactionItem.From(d.Row),
            d.PayerEmail,
            d.PayerDocument,
            new BreakdownResponse([.. d.Breakdown.Lines.Select(l => BreakdownLineItem.From(l))],
                d.Breakdown.Total is { } total ? BreakdownLineItem.From(total, "total") : null),
            [.. d.Timeline.Select(s => new TimelineItem(OrganizerTransactionsApi.Snake(s.Status), s.StatusDetail, s.ChangedAt.ToUniversalTime()))],
            [.. d.Refunds.Select(r => new RefundResponseItem(r.Id, SummaryResponse.Amount(r.Amount), r.Status, r.DateCreated.ToUniversalTime()))],
            d.ReleaseLocalDate,
            d.Purchase?.ExternalId ?? d.Row.ExternalReference,
            d.Event?.Name);
    }
}
