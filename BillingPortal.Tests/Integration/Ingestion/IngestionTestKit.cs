using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Ingestion;

/// <summary>One row as the platform sends it: snake_case keys, values as they go on the wire.</summary>
internal sealed class JsonRow : Dictionary<string, object?>
{
    public JsonRow With(string key, object? value)
    {
        this[key] = value;
        return this;
    }

    public JsonRow Without(string key)
    {
        Remove(key);
        return this;
    }
}

/// <summary>Valid rows with unique ids and tax ids; tests change one field to break one rule.</summary>
internal static class Rows
{
    private static int _next = 1_000;

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public static JsonRow Organizer(string? id = null)
    {
        var n = Interlocked.Increment(ref _next);
        return new JsonRow
        {
            ["id"] = id ?? NewId("org"),
            ["tax_id_type"] = "RUC",
            ["tax_id"] = OrganizerBuilder.ValidRuc(n),
            ["legal_name"] = $"Producciones Andinas {n} S.A.C.",
            ["contact_email"] = $"finanzas{n}@andinas.pe",
        };
    }

    public static JsonRow Event(string organizerId, string? id = null) => new()
    {
        ["id"] = id ?? NewId("evt"),
        ["organizer_id"] = organizerId,
        ["name"] = "Festival de Verano",
        ["venue"] = "Estadio Nacional",
        ["city"] = "Lima",
        ["starts_at"] = "2026-12-20T20:00:00-05:00",
        ["capacity"] = 40_000,
        ["status"] = "scheduled",
    };

    public static JsonRow Purchase(string eventId, string? id = null) => new()
    {
        ["id"] = id ?? NewId("ord"),
        ["event_id"] = eventId,
        ["buyer_email"] = "comprador@correo.pe",
        ["buyer_name"] = "Ana Quispe",
        ["buyer_document"] = "45678912",
        ["tickets"] = 2,
        ["amount"] = 150.50m,
        ["currency"] = "PEN",
        ["status"] = "paid",
        ["created_at"] = "2026-03-14T19:02:11-05:00",
        ["payment_date"] = "2026-03-14T20:02:13-04:00",
    };
}

/// <summary>An error of a ProblemDetails body, read from the wire (not through the portal's own types).</summary>
internal sealed record WireError(int? Row, string? Id, string Field, string Rule, string Message);

/// <summary>A ProblemDetails body read from the wire.</summary>
internal sealed record WireProblem(int Status, string Title, string Detail, IReadOnlyList<WireError> Errors);

/// <summary>The 200 body read from the wire.</summary>
internal sealed record WireResult(int Received, int Created, int Updated, int Unchanged);

/// <summary>Row counts of the tables ingestion writes.</summary>
internal sealed record TableCounts(int Organizers, int Plans, int Events, int Purchases);

internal static class IngestionTestKit
{
    public static Task<HttpResponseMessage> IngestAsync(this HttpClient client, string resource, IEnumerable<JsonRow> rows) =>
        client.PostJsonAsync(resource, JsonSerializer.Serialize(new { items = rows }));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string resource, string json) =>
        client.PostAsync(new Uri($"/api/v1/ingest/{resource}", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

    public static async Task<WireResult> ReadResultAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(4, root.EnumerateObject().Count());
        return new WireResult(root.GetProperty("received").GetInt32(), root.GetProperty("created").GetInt32(),
            root.GetProperty("updated").GetInt32(), root.GetProperty("unchanged").GetInt32());
    }

    public static async Task<WireProblem> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var errors = root.GetProperty("errors").EnumerateArray().Select(e => new WireError(
            e.TryGetProperty("row", out var row) ? row.GetInt32() : null,
            e.TryGetProperty("id", out var id) ? id.GetString() : null,
            e.GetProperty("field").GetString()!,
            e.GetProperty("rule").GetString()!,
            e.GetProperty("message").GetString()!)).ToList();
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        return new WireProblem(root.GetProperty("status").GetInt32(), root.GetProperty("title").GetString()!,
            root.GetProperty("detail").GetString()!, errors);
    }

    /// <summary>Asserts a 400 whose errors are exactly <paramref name="expected"/> (row, field, rule), in order.</summary>
    public static async Task<WireProblem> AssertRejectedAsync(this HttpResponseMessage response, params (int? Row, string Field, string Rule)[] expected)
    {
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(400, problem.Status);
        Assert.Equal(expected, problem.Errors.Select(e => (e.Row, e.Field, e.Rule)).ToArray());
        return problem;
    }

    public static async Task<TableCounts> CountsAsync(this BillingPortalFactory factory)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = factory.CreateDbContext();
        return new TableCounts(await db.Organizers.CountAsync(ct), await db.CommissionPlans.CountAsync(ct),
            await db.Events.CountAsync(ct), await db.Purchases.CountAsync(ct));
    }

    /// <summary>Creates an organizer and one of its events through the API; returns their ids.</summary>
    public static async Task<(string OrganizerId, string EventId)> CreateOrganizerWithEventAsync(this HttpClient client)
    {
        var organizer = Rows.Organizer();
        var @event = Rows.Event((string)organizer["id"]!);
        Assert.Equal(1, (await (await client.IngestAsync("organizers", [organizer])).ReadResultAsync()).Created);
        Assert.Equal(1, (await (await client.IngestAsync("events", [@event])).ReadResultAsync()).Created);
        return ((string)organizer["id"]!, (string)@event["id"]!);
    }
}

/// <summary>A body sent with chunked transfer encoding (no Content-Length), like a streaming client.</summary>
internal sealed class ChunkedJsonContent : HttpContent
{
    private readonly byte[] _body;

    public ChunkedJsonContent(byte[] body)
    {
        _body = body;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < _body.Length; offset += 64 * 1024)
            await stream.WriteAsync(_body.AsMemory(offset, Math.Min(64 * 1024, _body.Length - offset)));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
