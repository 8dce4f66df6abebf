using System.Globalization;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.Statements;
using BillingPortal.Jobs;
using BillingPortal.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace BillingPortal.Endpoints;

/// <summary>
/// Statement downloads for signed-in members (owners and viewers; buyer data is masked in every statement):
/// <c>POST /estados-de-cuenta/generar</c> (the page's form, antiforgery) answers a small statement with the file itself
/// (through the report cache: a repeated download is served from it, <see cref="CachedStatements"/>)
/// and queues a large one (back to the page, which shows its progress); <c>GET /estados-de-cuenta/archivos/{id}?org=</c>
/// downloads a generated file. Bad input: 400 ProblemDetails naming the field, in Spanish. Another organizer: 404.
/// </summary>
public static class StatementEndpoints
{
    public const string GeneratePath = "/estados-de-cuenta/generar";
    public const string FilesPath = "/estados-de-cuenta/archivos";

    public static IEndpointRouteBuilder MapStatementEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(GeneratePath, GenerateAsync).DisableAntiforgery().ExcludeFromDescription().RequireAuthorization();
        app.MapGet(FilesPath + "/{id:guid}", DownloadAsync).ExcludeFromDescription().RequireAuthorization();
        return app;
    }

    /// <summary>The page of the organizer's statements, optionally following one export.</summary>
    public static string PageLink(int organizerId, Guid? export = null) =>
        "/estados-de-cuenta?org=" + organizerId.ToString(CultureInfo.InvariantCulture) + (export is { } id ? "&exportacion=" + id.ToString("D") : "");

    internal static async Task<IResult> GenerateAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        PortalAuthenticationOptions authentication,
        Core.Identity.OrganizerAccessService organizers,
        [FromServices] CachedStatements statements,
        [FromServices] StatementJobTrigger trigger)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Problem("formulario", "El formulario expiró o no vino de esta página. Vuelva a cargar la página e inténtelo de nuevo.");
        }

        var user = PortalPrincipal.ToIdentity(context.User, authentication);
        if (user is null) return Results.Unauthorized();
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!int.TryParse(form["organizerId"], NumberStyles.None, CultureInfo.InvariantCulture, out var organizerId)
            || await organizers.GetAccessAsync(user, organizerId, context.RequestAborted) is not { } authorized)
        {
            return Results.NotFound();
        }

        if (!TryDate(form["desde"], out var from)) return Problem("desde", "Indique la fecha de inicio (aaaa-mm-dd).");
        if (!TryDate(form["hasta"], out var to)) return Problem("hasta", "Indique la fecha de fin (aaaa-mm-dd).");
        switch (DatePeriod.Validate(from, to))
        {
            case PeriodError.FromAfterTo: return Problem("desde", "La fecha de inicio debe ser anterior o igual a la de fin.");
            case PeriodError.TooLong: return Problem("hasta", $"El periodo puede tener como máximo {DatePeriod.MaxDays} días.");
            case null: break;
            default: return Problem("desde", "Periodo no válido.");
        }

        int? eventId = null;
        if (form["evento"].ToString() is { Length: > 0 } rawEvent)
        {
            if (!int.TryParse(rawEvent, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return Problem("evento", "El evento no es válido.");
            eventId = id;
        }

        if (StatementExports.ParseFormat(form["formato"]) is not { } format) return Problem("formato", "Elija PDF, Excel o CSV.");
        var separator = form["separador"].ToString() switch
        {
            "" or "coma" or "," => ',',
            "punto-y-coma" or ";" => ';',
            _ => '\0',
        };
        if (separator == '\0') return Problem("separador", "El separador del CSV es coma o punto y coma.");

        var request = new StatementRequest(organizerId, new DatePeriod(from!.Value, to!.Value), eventId);
        var result = await statements.RequestAsync(authorized.Access, request, format, separator, context.RequestAborted);
        if (result is CachedStatementResult.File file)
        {
            // A small statement, rendered now or served from the report cache (the same bytes either way).
            context.Response.ContentType = StatementExports.ContentType(format);
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file.Statement.FileName}\"";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentLength = file.Statement.Content.Length;
            await context.Response.Body.WriteAsync(file.Statement.Content, context.RequestAborted);
            return Results.Empty;
        }

        switch (((CachedStatementResult.Other)result).Decision)
        {
            case StatementExportDecision.Queued queued:
                await trigger.TriggerAsync(context.RequestAborted);
                return Results.Redirect(PageLink(organizerId, queued.Export.Id));
            case StatementExportDecision.Refused refused:
                return Problem(refused.Field, refused.Message);
            default:
                return Results.NotFound();
        }
    }

    internal static async Task<IResult> DownloadAsync(
        HttpContext context,
        Guid id,
        int? org,
        PortalAuthenticationOptions authentication,
        Core.Identity.OrganizerAccessService organizers,
        [FromServices] StatementExports exports)
    {
        var user = PortalPrincipal.ToIdentity(context.User, authentication);
        if (user is null) return Results.Unauthorized();
        if (org is not { } organizerId || await organizers.GetAccessAsync(user, organizerId, context.RequestAborted) is null) return Results.NotFound();
        if (await exports.OpenAsync(organizerId, id, context.RequestAborted) is not { } opened) return Results.NotFound();
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(opened.Content, StatementExports.ContentType(opened.Export.Format), opened.Export.FileName, enableRangeProcessing: false);
    }

    private static bool TryDate(string? value, out DateOnly? date)
    {
        date = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
        return date is not null;
    }

    private static IResult Problem(string field, string message) => Results.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [message] },
        title: "Solicitud de estado de cuenta no válida",
        detail: message);
}
