using System.Net;
using System.Text.Json;
using BillingPortal.Tests.Infrastructure;

namespace BillingPortal.Tests.Integration.Api;

/// <summary><c>/openapi/v1.json</c> and the reference page <c>/api/docs</c>, fetched like a browser or a generator would.</summary>
public sealed class OpenApiDocumentTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    [Fact]
    public async Task Document_ListsTheOrganizerAndIngestionEndpointsWithTheirSecuritySchemes()
    {
        using var json = await GetDocumentAsync();
        var root = json.RootElement;
        var paths = root.GetProperty("paths");

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        var organizerKey = schemes.GetProperty("OrganizerApiKey");
        Assert.Equal(("http", "bearer"), (organizerKey.GetProperty("type").GetString(), organizerKey.GetProperty("scheme").GetString()));
        var platformKey = schemes.GetProperty("PlatformApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"),
            (platformKey.GetProperty("type").GetString(), platformKey.GetProperty("in").GetString(), platformKey.GetProperty("name").GetString()));

        var summary = paths.GetProperty("/api/v1/summary").GetProperty("get");
        Assert.Equal(["OrganizerApiKey"], SecuritySchemesOf(summary));
        foreach (var resource in new[] { "organizers", "events", "purchases" })
        {
            var ingest = paths.GetProperty($"/api/v1/ingest/{resource}").GetProperty("post");
            Assert.Equal(["PlatformApiKey"], SecuritySchemesOf(ingest));
            var body = ingest.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
            Assert.Equal(JsonValueKind.Object, body.GetProperty("example").GetProperty("items")[0].ValueKind);
            Assert.True(ingest.GetProperty("responses").TryGetProperty("200", out _));
        }

        // Only /api/v1 endpoints are documented (no pages, health or culture endpoints).
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name, StringComparison.Ordinal));
        Assert.Equal(
            new HashSet<string>
            {
                "/api/v1/summary", "/api/v1/events", "/api/v1/events/{id}", "/api/v1/transactions", "/api/v1/transactions/{id}",
                "/api/v1/ingest/organizers", "/api/v1/ingest/events", "/api/v1/ingest/purchases",
            },
            paths.EnumerateObject().Select(p => p.Name).ToHashSet());
        foreach (var path in new[] { "/api/v1/events", "/api/v1/events/{id}", "/api/v1/transactions", "/api/v1/transactions/{id}" })
            Assert.Equal(["OrganizerApiKey"], SecuritySchemesOf(paths.GetProperty(path).GetProperty("get")));
    }

    [Fact]
    public async Task Document_SummaryOperation_HasParametersSchemasAndExamples()
    {
        using var json = await GetDocumentAsync();
        var root = json.RootElement;
        var summary = root.GetProperty("paths").GetProperty("/api/v1/summary").GetProperty("get");

        Assert.Equal("Period summary and current balance", summary.GetProperty("summary").GetString());
        var parameters = summary.GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        Assert.Equal(["from", "to", "event_id", "include"], parameters.Keys);
        Assert.False(parameters["include"].TryGetProperty("required", out var includeRequired) && includeRequired.GetBoolean());
        Assert.True(parameters["from"].GetProperty("required").GetBoolean());
        Assert.Equal("date", parameters["from"].GetProperty("schema").GetProperty("format").GetString());
        Assert.Equal("integer", parameters["event_id"].GetProperty("schema").GetProperty("type").GetString());

        var responses = summary.GetProperty("responses");
        var ok = responses.GetProperty("200").GetProperty("content").GetProperty("application/json");
        Assert.Equal("#/components/schemas/SummaryResponse", ok.GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal(361.12m, ok.GetProperty("example").GetProperty("summary").GetProperty("net").GetDecimal());
        foreach (var status in new[] { "400", "401", "404" })
        {
            var problem = responses.GetProperty(status).GetProperty("content").GetProperty("application/problem+json");
            Assert.Equal("#/components/schemas/ApiProblem", problem.GetProperty("schema").GetProperty("$ref").GetString());
            Assert.NotEmpty(problem.GetProperty("example").GetProperty("errors").EnumerateArray());
        }

        // Rate-limited (per key and per organizer): documented on every organizer endpoint.
        var limited = responses.GetProperty("429").GetProperty("content").GetProperty("application/problem+json");
        Assert.Equal("#/components/schemas/ApiProblem", limited.GetProperty("schema").GetProperty("$ref").GetString());

        var schemas = root.GetProperty("components").GetProperty("schemas");
        var figures = schemas.GetProperty("SummaryFigures").GetProperty("properties");
        Assert.Equal(("number", "decimal"), (figures.GetProperty("net").GetProperty("type").GetString(), figures.GetProperty("net").GetProperty("format").GetString()));
        Assert.True(schemas.GetProperty("SummaryBalance").GetProperty("properties").TryGetProperty("next_releases", out _));
    }

    [Fact]
    public async Task Document_EventsOperations_HaveParametersSchemasAndExamples()
    {
        using var json = await GetDocumentAsync();
        var paths = json.RootElement.GetProperty("paths");

        var list = paths.GetProperty("/api/v1/events").GetProperty("get");
        Assert.Equal("Events with their figures and state", list.GetProperty("summary").GetString());
        var listParameters = list.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        Assert.Equal(["from", "to"], listParameters.Keys);
        Assert.All(listParameters.Values, p => Assert.False(p.TryGetProperty("required", out var required) && required.GetBoolean()));
        Assert.All(listParameters.Values, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("description").GetString())));
        var listOk = list.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json");
        Assert.Equal("#/components/schemas/EventsResponse", listOk.GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("upcoming", listOk.GetProperty("example").GetProperty("events")[0].GetProperty("state").GetString());

        var one = paths.GetProperty("/api/v1/events/{id}").GetProperty("get");
        var id = one.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "id");
        Assert.Equal(("path", "integer"), (id.GetProperty("in").GetString(), id.GetProperty("schema").GetProperty("type").GetString()));
        var responses = one.GetProperty("responses");
        Assert.Equal("#/components/schemas/EventResponse",
            responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var notFound = responses.GetProperty("404").GetProperty("content").GetProperty("application/problem+json");
        Assert.Equal("id", notFound.GetProperty("example").GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Document_IngestionBodies_UseTheWireNames()
    {
        using var json = await GetDocumentAsync();
        var organizers = json.RootElement.GetProperty("paths").GetProperty("/api/v1/ingest/organizers").GetProperty("post");

        var row = organizers.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("properties").GetProperty("items").GetProperty("items").GetProperty("properties");

        var names = row.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["id", "tax_id_type", "tax_id", "legal_name", "contact_email", "time_zone", "commission_rate", "commission_fixed_per_ticket"], names);
        var problem = organizers.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/problem+json");
        Assert.Equal("#/components/schemas/IngestionProblem", problem.GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task ReferencePage_Answers200WithLocalScriptsAndNoInlineScript()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = factory.CreateHttpClient();

        using var page = await client.GetAsync(new Uri("/api/docs", UriKind.Relative), ct);
        var html = await page.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script src=\"/api/docs/scalar.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"/api/docs/start.js\"></script>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<script", StringSplitOptions.None).Length - 1); // both with src: nothing inline
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var csp = string.Join(';', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);

        using var scalar = await client.GetAsync(new Uri("/api/docs/scalar.js", UriKind.Relative), ct);
        using var start = await client.GetAsync(new Uri("/api/docs/start.js", UriKind.Relative), ct);
        var startScript = await start.Content.ReadAsStringAsync(ct);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (scalar.StatusCode, start.StatusCode));
        Assert.Equal("text/javascript", scalar.Content.Headers.ContentType?.MediaType);
        Assert.True((await scalar.Content.ReadAsByteArrayAsync(ct)).Length > 1_000_000, "Scalar's bundle is served from the package");
        Assert.Contains("../../openapi/v1.json", startScript, StringComparison.Ordinal);
        Assert.Contains("telemetry: false", startScript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScalarsOwnPage_RedirectsToTheReferencePage()
    {
        // A plain client: on the Kestrel server the factory's clients follow redirects whatever their options say.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = factory.ServerAddress };

        using var response = await client.GetAsync(new Uri("/api/docs/v1", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/docs", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ReferencePage_WithTrailingSlash_IsTheSamePage()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = factory.CreateHttpClient();

        var withSlash = await client.GetStringAsync(new Uri("/api/docs/", UriKind.Relative), ct);
        var without = await client.GetStringAsync(new Uri("/api/docs", UriKind.Relative), ct);

        Assert.Equal(without, withSlash);
    }

    private static string[] SecuritySchemesOf(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name))];

    private async Task<JsonDocument> GetDocumentAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = factory.CreateHttpClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }
}
