using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BillingPortal.Core.Common;
using BillingPortal.Core.Ingestion;

namespace BillingPortal.OpenApi;

/// <summary>
/// The error body of the ingestion API (ProblemDetails with row-level <c>errors</c>). Documents the wire only; the
/// ingestion endpoints build it themselves.
/// </summary>
/// <param name="Type">A link to the HTTP status's definition.</param>
/// <param name="Title">A short Spanish summary.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">A Spanish explanation; nothing was written.</param>
/// <param name="TraceId">The request id.</param>
/// <param name="Errors">Every broken rule, with the 0-based row and the row's id where there is one.</param>
public sealed record IngestionProblem(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("traceId")] string? TraceId,
    [property: JsonPropertyName("errors")] IReadOnlyList<IngestionError> Errors);

/// <summary>
/// Example bodies for the OpenAPI document. Bodies of our own contract types are serialized from instances, so an
/// example cannot drift from the schema; ingestion rows are written as the platform sends them.
/// </summary>
internal static class OpenApiExamples
{
    private const string TraceId = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

    /// <summary>Three S/ 150.00 sales, one refunded by S/ 50.00 (fees returned pro-rata), in March 2026.</summary>
    public static JsonNode Summary() => Node(new SummaryResponse(
        new SummaryPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), AccountingCalendar.LimaTimeZoneId),
        new SummaryOrganizer("Producciones Andinas S.A.C.", "RUC", "20123456786"),
        null,
        Money.Pen,
        new SummaryFigures(3, 6, 6, 450.00m, 1, -50.00m, 0, 0.00m, -18.88m, -16.96m, -3.04m, -20.00m, 0.00m, 361.12m),
        new SummaryBalance(new DateTimeOffset(2026, 4, 2, 14, 30, 0, TimeSpan.Zero), 270.84m, 90.28m, 0.00m,
            [new SummaryRelease(new DateOnly(2026, 4, 14), 90.28m, 1)]),
        new SummaryComparison(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28),
            new SummaryFigures(2, 3, 3, 300.00m, 0, 0.00m, 0, 0.00m, -14.16m, -12.71m, -2.29m, -15.00m, 0.00m, 270.84m)))
    {
        Series = new SummarySeries("day",
        [
            new SummarySeriesPoint(new DateOnly(2026, 3, 1), 2, 4, 300.00m, 0.00m, 0.00m, 265.00m),
            new SummarySeriesPoint(new DateOnly(2026, 3, 2), 0, 0, 0.00m, 0.00m, 0.00m, 0.00m),
            new SummarySeriesPoint(new DateOnly(2026, 3, 3), 1, 2, 150.00m, -50.00m, 0.00m, 96.12m),
        ]),
    });

    private static ApiEvent ExampleEvent() => new(
        42, "evt_2001", "Festival de Verano", "Estadio Nacional", "Lima",
        new DateTimeOffset(2026, 12, 20, 20, 0, 0, TimeSpan.FromHours(-5)), "upcoming", false,
        new ApiEventFigures(3, 6, 450.00m, -50.00m, 0.00m, -18.88m, -16.96m, -3.04m, -20.00m, 361.12m),
        270.84m, 90.28m, 0.00m);

    /// <summary>The events list with one upcoming event.</summary>
    public static JsonNode Events() => Node(new EventsResponse(
        new SummaryPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), AccountingCalendar.LimaTimeZoneId),
        Money.Pen,
        new DateTimeOffset(2026, 4, 2, 14, 30, 0, TimeSpan.Zero),
        [ExampleEvent()]));

    /// <summary>One event with its balance and next release.</summary>
    public static JsonNode Event() => Node(new EventResponse(
        null,
        Money.Pen,
        ExampleEvent(),
        new SummaryBalance(new DateTimeOffset(2026, 4, 2, 14, 30, 0, TimeSpan.Zero), 270.84m, 90.28m, 0.00m,
            [new SummaryRelease(new DateOnly(2026, 4, 14), 90.28m, 1)])));

    public static JsonNode EventIdNotFound() => Node(new ApiProblem(
        "https://tools.ietf.org/html/rfc9110#section-15.5.5", "No se encontró el recurso.", 404, "El evento no existe.", TraceId,
        [new ApiError("id", OrganizerApiRules.NotFound, "El evento no existe.")]));

    public static JsonNode BadPeriod() => Node(new ApiProblem(
        "https://tools.ietf.org/html/rfc9110#section-15.5.1", "La solicitud contiene datos no válidos.", 400,
        "La fecha «from» debe tener el formato aaaa-mm-dd (por ejemplo 2026-03-01).", TraceId,
        [
            new ApiError("from", OrganizerApiRules.DateFormat, "La fecha «from» debe tener el formato aaaa-mm-dd (por ejemplo 2026-03-01)."),
            new ApiError("to", OrganizerApiRules.Required, "Indique la fecha «to» (aaaa-mm-dd)."),
        ]));

    public static JsonNode MissingKey() => Node(new ApiProblem(
        "https://tools.ietf.org/html/rfc9110#section-15.5.2", "Se requiere una clave de API válida.", 401,
        "La clave de API no es válida o fue revocada.", TraceId,
        [new ApiError("Authorization", OrganizerApiRules.ApiKeyInvalid, "La clave de API no es válida o fue revocada.")]));

    public static JsonNode EventNotFound() => Node(new ApiProblem(
        "https://tools.ietf.org/html/rfc9110#section-15.5.5", "No se encontró el recurso.", 404, "El evento no existe.", TraceId,
        [new ApiError("event_id", OrganizerApiRules.NotFound, "El evento no existe.")]));

    public static JsonNode IngestionAccepted() => Node(new IngestionResult(2, 1, 1, 0));

    public static JsonNode IngestionRejected() => Node(new IngestionProblem(
        "https://tools.ietf.org/html/rfc9110#section-15.5.1", "La solicitud contiene datos no válidos.", 400,
        "1 error(es) en 1 fila(s); no se guardó nada. Corrija las filas y reenvíe la solicitud completa.", TraceId,
        [new IngestionError(0, "org_1001", "tax_id", IngestionRules.RucCheckDigit, "El dígito verificador del RUC no es válido.")]));

    public static JsonNode IngestionUnauthorized() => Node(new IngestionProblem(
        "https://tools.ietf.org/html/rfc9110#section-15.5.2", "Se requiere una clave de API válida.", 401, "La clave de API no es válida.", TraceId,
        [new IngestionError(null, null, "X-Api-Key", IngestionRules.ApiKeyInvalid, "La clave de API no es válida.")]));

    /// <summary>A request body of the ingestion endpoint for <paramref name="resource"/> (organizers, events, purchases).</summary>
    public static JsonNode? IngestionRequest(string resource) => resource switch
    {
        "organizers" => JsonNode.Parse("""
            {"items": [
              {"id": "org_1001", "tax_id_type": "RUC", "tax_id": "20123456786", "legal_name": "Producciones Andinas S.A.C.",
               "contact_email": "finanzas@andinas.pe", "time_zone": "America/Lima", "commission_rate": 0.05, "commission_fixed_per_ticket": 0.50},
              {"id": "org_7788", "tax_id_type": "DNI", "tax_id": "45678912", "legal_name": "Ana Quispe Mamani",
               "contact_email": "ana.quispe@correo.pe"}
            ]}
            """),
        "events" => JsonNode.Parse("""
            {"items": [
              {"id": "evt_2001", "organizer_id": "org_1001", "name": "Festival de Verano", "venue": "Estadio Nacional",
               "city": "Lima", "starts_at": "2026-12-20T20:00:00-05:00", "capacity": 40000, "status": "scheduled"}
            ]}
            """),
        "purchases" => JsonNode.Parse("""
            {"items": [
              {"id": "ord_5521", "event_id": "evt_2001", "buyer_email": "comprador@correo.pe", "buyer_name": "Ana Quispe",
               "buyer_document": "45678912", "tickets": 2, "amount": 150.50, "currency": "PEN", "status": "paid",
               "created_at": "2026-03-14T19:02:11-05:00", "payment_date": "2026-03-14T20:02:13-04:00"}
            ]}
            """),
        _ => null,
    };

    private static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value)!;
}
