using System.Globalization;
using System.Security.Claims;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Reporting;
using BillingPortal.OpenApi;
using BillingPortal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Endpoints;

/// <summary>
/// The organizer API (<c>/api/v1</c>, read-only), for organizers' ERPs and scripts, described in docs/api/organizer-api.md.
/// Every endpoint requires an organizer API key (<see cref="OrganizerApiKeyDefaults.Policy"/>); the organizer is the
/// key's and never comes from the request. Figures come from <see cref="DashboardQueries"/> through the report cache (<see cref="CachedDashboardQueries"/>; the daily rollups, equal to <see cref="LedgerQueries"/> to the cent); nothing is computed here.
/// </summary>
public static class OrganizerApiEndpoints
{
    public const string RoutePrefix = "/api/v1";

    /// <summary>The OpenAPI tag of these endpoints.</summary>
    public const string Tag = "Organizer API";

    /// <summary>The only accepted date format in query strings.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Registers the key scheme and policy, and the OpenAPI document (one line in the host's composition).</summary>
    public static IServiceCollection AddOrganizerApi(this IServiceCollection services)
    {
        services.AddOrganizerApiKeyAuthentication();
        services.AddPortalOpenApi();
        return services;
    }

    /// <summary>Maps the organizer endpoints, <c>/openapi/v1.json</c> and the reference page <c>/api/docs</c>.</summary>
    public static IEndpointRouteBuilder MapOrganizerApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup(RoutePrefix)
            .WithTags(Tag)
            .RequireAuthorization(OrganizerApiKeyDefaults.Policy);

        // Every endpoint is rate-limited per key and per organizer (RateLimits:Api*): 429 with Retry-After.
        group.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ApiProblem), [ApiProblem.ContentType]));

        group.MapGet("/summary", GetSummaryAsync)
            .WithName("GetSummary")
            .WithSummary("Period summary and current balance")
            .WithDescription(
                "The figures of the key's organizer for the period `from`..`to` (whole days in its time zone, both included, " +
                "at most 366 days), optionally of one of its events, and its balance now (credited, pending, held and the next " +
                "releases). Amounts in soles with two decimals.")
            .Produces<SummaryResponse>()
            .Produces<ApiProblem>(StatusCodes.Status400BadRequest, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status401Unauthorized, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status404NotFound, ApiProblem.ContentType);

        group.MapGet("/events", GetEventsAsync)
            .WithName("GetEvents")
            .WithSummary("Events with their figures and state")
            .WithDescription(
                "The key's organizer's events, upcoming first (soonest first), then finished and cancelled ones (most recent first), " +
                "each with its state, its figures for the period `from`..`to` (or all time when both are left out) and its " +
                "credited, pending and held money now. Amounts in soles with two decimals; `starts_at` in the organizer's time zone.")
            .Produces<EventsResponse>()
            .Produces<ApiProblem>(StatusCodes.Status400BadRequest, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status401Unauthorized, ApiProblem.ContentType);

        group.MapGet("/events/{id}", GetEventAsync)
            .WithName("GetEvent")
            .WithSummary("One event with its figures, balance and next releases")
            .WithDescription(
                "One of the key's organizer's events: the same fields as in the list, plus its balance now with the next release " +
                "dates. An event of another organizer is answered exactly like one that does not exist (404).")
            .Produces<EventResponse>()
            .Produces<ApiProblem>(StatusCodes.Status400BadRequest, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status401Unauthorized, ApiProblem.ContentType)
            .Produces<ApiProblem>(StatusCodes.Status404NotFound, ApiProblem.ContentType);

        // (Further /api/v1 resources map here, one line each.)

        group.MapOrganizerTransactions();
        app.MapPortalOpenApi();
        return app;
    }

    // GET /api/v1/summary?from=&to=[&event_id=][&include=series]. Query values are read as text so every problem is answered with the
    // field and the rule (a typed binder would answer a bare 400). A plain comment on purpose: an XML doc summary here
    // would replace the operation's WithSummary in the OpenAPI document.
    internal static async Task<IResult> GetSummaryAsync(
        ClaimsPrincipal user,
        HttpContext http,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        [FromQuery(Name = "event_id")] string? eventId,
        [FromQuery(Name = "include")] string? include,
        OrganizerQueries organizers,
        CachedDashboardQueries dashboard,
        IDbContextFactory<BillingDbContext> database,
        CancellationToken cancellationToken)
    {
        // The policy guarantees a key principal; its organizer is the only one this request may read.
        var access = user.ToOrganizerAccess() ?? throw new InvalidOperationException("The organizer API policy let a request through without an organizer key.");
        http.Response.Headers.CacheControl = "no-store";

        var errors = new List<ApiError>();
        var period = ReadPeriod(from, to, errors);
        int? eventFilter = null;
        if (!string.IsNullOrEmpty(eventId))
        {
            if (int.TryParse(eventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) eventFilter = id;
            else errors.Add(new ApiError("event_id", OrganizerApiRules.WholeNumber, "«event_id» debe ser un número entero positivo."));
        }

        var withSeries = ReadInclude(include, errors);
        if (errors.Count > 0 || period is null)
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "La solicitud contiene datos no válidos.", errors);

        var organizer = await organizers.FindAsync(access.OrganizerId, cancellationToken);
        if (organizer is null || (eventFilter is { } e && !await EventBelongsToAsync(database, access.OrganizerId, e, cancellationToken)))
        {
            // Another organizer's event and a missing event get the same answer, with nothing about either.
            return ApiProblems.Create(StatusCodes.Status404NotFound, "No se encontró el recurso.",
                [new ApiError("event_id", OrganizerApiRules.NotFound, "El evento no existe.")]);
        }

        if (withSeries)
        {
            var board = await dashboard.GetDashboardAsync(access.OrganizerId, period, eventFilter, cancellationToken);
            return TypedResults.Ok(SummaryResponse.From(organizer, eventFilter, board.Current, board.Balance, board.Previous) with
            {
                Series = SummarySeries.From(board.Granularity, board.Series),
            });
        }

        var summary = await dashboard.GetPeriodSummaryAsync(access.OrganizerId, period, eventFilter, cancellationToken);
        var previous = await dashboard.GetPeriodSummaryAsync(access.OrganizerId, DashboardPeriods.PreviousOf(period), eventFilter, cancellationToken);
        var balance = await dashboard.GetBalanceAsync(access.OrganizerId, eventFilter, cancellationToken);
        return TypedResults.Ok(SummaryResponse.From(organizer, eventFilter, summary, balance, previous));
    }

    // GET /api/v1/events[?from=&to=]: both dates or neither (all time).
    internal static async Task<IResult> GetEventsAsync(
        ClaimsPrincipal user,
        HttpContext http,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        OrganizerQueries organizers,
        CachedDashboardQueries dashboard,
        IDbContextFactory<BillingDbContext> database,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var access = user.ToOrganizerAccess() ?? throw new InvalidOperationException("The organizer API policy let a request through without an organizer key.");
        http.Response.Headers.CacheControl = "no-store";

        var errors = new List<ApiError>();
        var period = ReadOptionalPeriod(from, to, errors);
        if (errors.Count > 0)
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "La solicitud contiene datos no válidos.", errors);

        var organizer = await organizers.FindAsync(access.OrganizerId, cancellationToken)
            ?? throw new InvalidOperationException("An organizer API key outlived its organizer.");
        var calendar = AccountingCalendar.For(organizer.TimeZoneId);
        var asOf = time.GetUtcNow();
        var events = await dashboard.GetEventsAsync(access.OrganizerId, period, cancellationToken);
        var externalIds = await ExternalIdsAsync(database, access.OrganizerId, null, cancellationToken);
        return TypedResults.Ok(new EventsResponse(
            period is null ? null : new SummaryPeriod(period.From, period.To, organizer.TimeZoneId),
            Money.Pen,
            asOf,
            [.. events.Select(e => ApiEvent.From(e, externalIds.GetValueOrDefault(e.EventId, ""), calendar))]));
    }

    // GET /api/v1/events/{id}[?from=&to=]: another organizer's event is answered as a missing one.
    internal static async Task<IResult> GetEventAsync(
        ClaimsPrincipal user,
        HttpContext http,
        [FromRoute(Name = "id")] string id,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        OrganizerQueries organizers,
        CachedDashboardQueries dashboard,
        IDbContextFactory<BillingDbContext> database,
        CancellationToken cancellationToken)
    {
        var access = user.ToOrganizerAccess() ?? throw new InvalidOperationException("The organizer API policy let a request through without an organizer key.");
        http.Response.Headers.CacheControl = "no-store";

        var errors = new List<ApiError>();
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId) || eventId <= 0)
            errors.Add(new ApiError("id", OrganizerApiRules.WholeNumber, "El id del evento debe ser un número entero positivo."));
        var period = ReadOptionalPeriod(from, to, errors);
        if (errors.Count > 0)
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "La solicitud contiene datos no válidos.", errors);

        var organizer = await organizers.FindAsync(access.OrganizerId, cancellationToken);
        var figures = organizer is null ? null : await dashboard.GetEventAsync(access.OrganizerId, eventId, period, cancellationToken);
        if (organizer is null || figures is null)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, "No se encontró el recurso.",
                [new ApiError("id", OrganizerApiRules.NotFound, "El evento no existe.")]);
        }

        var balance = await dashboard.GetBalanceAsync(access.OrganizerId, eventId, cancellationToken);
        var externalIds = await ExternalIdsAsync(database, access.OrganizerId, eventId, cancellationToken);
        return TypedResults.Ok(new EventResponse(
            period is null ? null : new SummaryPeriod(period.From, period.To, organizer.TimeZoneId),
            Money.Pen,
            ApiEvent.From(figures, externalIds.GetValueOrDefault(eventId, ""), AccountingCalendar.For(organizer.TimeZoneId)),
            SummaryResponse.BalanceOf(balance)));
    }

    /// <summary>
    /// <c>include</c> is a comma-separated list; <c>series</c> is the only value it takes today. Unknown values are refused,
    /// so a typo is not silently ignored.
    /// </summary>
    internal static bool ReadInclude(string? include, List<ApiError> errors)
    {
        if (string.IsNullOrWhiteSpace(include)) return false;
        var series = false;
        foreach (var part in include.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == IncludeSeries) series = true;
            else
            {
                errors.Add(new ApiError("include", OrganizerApiRules.OneOf, $"«include» solo admite «{IncludeSeries}»."));
                return false;
            }
        }

        return series;
    }

    /// <summary>The value of <c>include</c> that adds the daily or monthly series to the summary.</summary>
    public const string IncludeSeries = "series";

    /// <summary>An optional period: both dates or neither (null); one without the other names the missing one.</summary>
    internal static DatePeriod? ReadOptionalPeriod(string? from, string? to, List<ApiError> errors)
    {
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to)) return null;
        return ReadPeriod(from, to, errors);
    }

    /// <summary>Parses and validates <c>from</c>/<c>to</c>, adding one error per broken rule; null when any is broken.</summary>
    internal static DatePeriod? ReadPeriod(string? from, string? to, List<ApiError> errors)
    {
        var fromDate = ReadDate("from", from, errors);
        var toDate = ReadDate("to", to, errors);
        if (fromDate is null || toDate is null) return null;

        // Both dates are present here, so only the order and the length can be wrong.
        var broken = DatePeriod.Validate(fromDate, toDate);
        if (broken == PeriodError.FromAfterTo)
            errors.Add(new ApiError("from", OrganizerApiRules.FromAfterTo, "La fecha «from» no puede ser posterior a «to»."));
        else if (broken == PeriodError.TooLong)
            errors.Add(new ApiError("to", OrganizerApiRules.MaxDays,
                string.Create(CultureInfo.InvariantCulture, $"El período no puede superar {DatePeriod.MaxDays} días.")));
        return broken is null ? new DatePeriod(fromDate.Value, toDate.Value) : null;
    }

    private static DateOnly? ReadDate(string field, string? value, List<ApiError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new ApiError(field, OrganizerApiRules.Required, $"Indique la fecha «{field}» (aaaa-mm-dd)."));
            return null;
        }

        if (DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(new ApiError(field, OrganizerApiRules.DateFormat, $"La fecha «{field}» debe tener el formato aaaa-mm-dd (por ejemplo 2026-03-01)."));
        return null;
    }

    private static async Task<Dictionary<int, string>> ExternalIdsAsync(IDbContextFactory<BillingDbContext> database, int organizerId, int? eventId, CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var query = db.Events.AsNoTracking().Where(e => e.OrganizerId == organizerId);
        if (eventId is { } id) query = query.Where(e => e.Id == id);
        return await query.ToDictionaryAsync(e => e.Id, e => e.ExternalId, cancellationToken);
    }

    private static async Task<bool> EventBelongsToAsync(IDbContextFactory<BillingDbContext> database, int organizerId, int eventId, CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        return await db.Events.AsNoTracking().AnyAsync(e => e.Id == eventId && e.OrganizerId == organizerId, cancellationToken);
    }
}
