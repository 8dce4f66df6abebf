using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using BillingPortal.Core.Ingestion;
using BillingPortal.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BillingPortal.Endpoints;

/// <summary>
/// The ticketing platform's ingestion API (<c>/api/v1/ingest/*</c>), described in docs/api/ingestion.md.
/// This class only authenticates (<see cref="PlatformApiKeyFilter"/>), reads the body within its size limit, calls
/// <see cref="IngestionService"/> and maps the outcome to HTTP; the rules live in Core.
/// </summary>
public static class IngestionEndpoints
{
    public const string RoutePrefix = "/api/v1/ingest";

    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("BillingPortal.Ingestion");
        var options = services.GetRequiredService<IOptionsMonitor<IngestionOptions>>();
        if (!options.CurrentValue.UsableApiKeys.Any())
        {
            logger.LogWarning("Ingestion API disabled: no key in Ingestion:ApiKeys, so every request to {Prefix} gets 401", RoutePrefix);
        }

        // No .Accepts<T>("application/json"): its content-type matcher answers 415 with an empty body, which the status
        // code pages middleware then re-executes as a POST to /not-found (a Blazor page: antiforgery 400). The handler
        // checks the content type itself and answers a 415 ProblemDetails.
        var group = app.MapGroup(RoutePrefix)
            .WithTags("Ingestion")
            .DisableAntiforgery()
            .AddEndpointFilter(new PlatformApiKeyFilter(new PlatformApiKeyAuthenticator(options), logger))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapPost("/organizers", (HttpContext http, IngestionService ingestion, CancellationToken ct) =>
                IngestAsync(http, "organizers", IngestionJsonContext.Default.OrganizerBatch, ingestion.IngestOrganizersAsync, options, logger, ct))
            .WithName("IngestOrganizers")
            .Produces<IngestionResult>();
        group.MapPost("/events", (HttpContext http, IngestionService ingestion, CancellationToken ct) =>
                IngestAsync(http, "events", IngestionJsonContext.Default.EventBatch, ingestion.IngestEventsAsync, options, logger, ct))
            .WithName("IngestEvents")
            .Produces<IngestionResult>();
        group.MapPost("/purchases", (HttpContext http, IngestionService ingestion, CancellationToken ct) =>
                IngestAsync(http, "purchases", IngestionJsonContext.Default.PurchaseBatch, ingestion.IngestPurchasesAsync, options, logger, ct))
            .WithName("IngestPurchases")
            .Produces<IngestionResult>();
        return app;
    }

    private static async Task<IResult> IngestAsync<TRow>(
        HttpContext http,
        string kind,
        JsonTypeInfo<IngestionBatch<TRow>> typeInfo,
        Func<IReadOnlyList<TRow?>?, CancellationToken, Task<IngestionOutcome>> ingest,
        IOptionsMonitor<IngestionOptions> options,
        ILogger logger,
        CancellationToken cancellationToken)
        where TRow : class
    {
        var started = Stopwatch.GetTimestamp();
        var request = http.Request;
        if (!request.HasJsonContentType())
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "El cuerpo debe ser JSON.",
                new IngestionError(null, null, "Content-Type", IngestionRules.UnsupportedMediaType, "Envíe el cuerpo con Content-Type: application/json."));
        }

        var maxBytes = options.CurrentValue.MaxBodyBytes;

        // Kestrel's own limit (30 MB by default) must not be lower than ours; ours is enforced by the reader.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit && sizeLimit.MaxRequestBodySize < maxBytes)
            sizeLimit.MaxRequestBodySize = maxBytes;

        IngestionReadResult<TRow> read;
        try
        {
            read = await IngestionRequestReader.ReadAsync(request.Body, request.ContentLength, maxBytes, typeInfo, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            read = new IngestionReadResult<TRow>(null, IngestionReadFailure.BodyTooLarge, IngestionRequestReader.BodyTooLargeError(maxBytes));
        }

        switch (read.Failure)
        {
            case IngestionReadFailure.BodyTooLarge:
                logger.LogWarning("Ingestion {Kind} request {RequestId} refused: body over {MaxBytes} bytes", kind, http.TraceIdentifier, maxBytes);
                return Problem(StatusCodes.Status413PayloadTooLarge, "El cuerpo de la solicitud es demasiado grande.", read.Error!);
            case IngestionReadFailure.InvalidJson:
                logger.LogWarning("Ingestion {Kind} request {RequestId} refused: invalid JSON at {JsonPath}", kind, http.TraceIdentifier, read.Error!.Field);
                return Problem(StatusCodes.Status400BadRequest, "El cuerpo no es un JSON válido para este recurso.", read.Error!);
        }

        var items = read.Batch!.Items;
        var outcome = await ingest(items, cancellationToken);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (outcome.Result is { } result)
        {
            logger.LogInformation(
                "Ingestion {Kind} request {RequestId}: {Received} received, {Created} created, {Updated} updated, {Unchanged} unchanged in {ElapsedMs:0} ms",
                kind, http.TraceIdentifier, result.Received, result.Created, result.Updated, result.Unchanged, elapsedMs);
            return TypedResults.Json(result, IngestionJsonContext.Default.IngestionResult);
        }

        var badRows = outcome.Errors.Where(e => e.Row is not null).Select(e => e.Row).Distinct().Count();
        logger.LogWarning(
            "Ingestion {Kind} request {RequestId} rejected: {ErrorCount} errors in {BadRows} of {Received} rows, nothing written ({ElapsedMs:0} ms)",
            kind, http.TraceIdentifier, outcome.Errors.Count, badRows, items?.Count ?? 0, elapsedMs);
        var detail = badRows > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{outcome.Errors.Count} error(es) en {badRows} fila(s); no se guardó nada. Corrija las filas y reenvíe la solicitud completa.")
            : outcome.Errors[0].Message + " No se guardó nada.";
        return Problem(StatusCodes.Status400BadRequest, "La solicitud contiene datos no válidos.", outcome.Errors, detail);
    }

    private static ProblemHttpResult Problem(int status, string title, IngestionError error) => Problem(status, title, [error], error.Message);

    private static ProblemHttpResult Problem(int status, string title, IReadOnlyList<IngestionError> errors, string detail) =>
        TypedResults.Problem(
            statusCode: status,
            title: title,
            detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
}
