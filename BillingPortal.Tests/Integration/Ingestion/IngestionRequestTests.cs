using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BillingPortal.Tests.Infrastructure;

namespace BillingPortal.Tests.Integration.Ingestion;

/// <summary>What every ingestion endpoint does before looking at rows: key, content type, body size, JSON, row count.</summary>
public sealed class IngestionRequestTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    private const long DefaultMaxBodyBytes = 8 * 1024 * 1024;

    [Theory]
    [InlineData("organizers")]
    [InlineData("events")]
    [InlineData("purchases")]
    public async Task Ingest_MissingKey_Returns401AndWritesNothing(string resource)
    {
        using var client = factory.CreateHttpClient();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync(resource, [Rows.Organizer()]);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal([(null, "X-Api-Key", "api_key_missing")], problem.Errors.Select(e => (e.Row, e.Field, e.Rule)));
        Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_WrongKey_Returns401AndWritesNothing()
    {
        using var client = factory.CreateHttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", factory.ApiKey + "x");
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer()]);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal([(null, "X-Api-Key", "api_key_invalid")], problem.Errors.Select(e => (e.Row, e.Field, e.Rule)));
        Assert.DoesNotContain(factory.ApiKey, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_WrongBearerToken_Returns401()
    {
        using var client = factory.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-" + factory.ApiKey);

        using var response = await client.IngestAsync("organizers", [Rows.Organizer()]);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("api_key_invalid", Assert.Single(problem.Errors).Rule);
    }

    [Fact]
    public async Task Ingest_KeyAsBearerToken_IsAccepted()
    {
        using var client = factory.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.ApiKey);
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer()]);

        Assert.Equal(new WireResult(1, 1, 0, 0), await response.ReadResultAsync());
        Assert.Equal(before.Organizers + 1, (await factory.CountsAsync()).Organizers);
    }

    [Fact]
    public async Task Ingest_MalformedJson_Returns400NamingThePath()
    {
        using var client = factory.CreateIngestionClient();
        var before = await factory.CountsAsync();

        using var response = await client.PostJsonAsync("purchases", """{"items":[{"id":"ord_1","tickets":2},{"id":"ord_2","tickets":"dos"}]}""");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.Errors);
        Assert.Equal((1, "$.items[1].tickets", "invalid_json"), (error.Row, error.Field, error.Rule));
        Assert.Contains("$.items[1].tickets", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_TruncatedJson_Returns400()
    {
        using var client = factory.CreateIngestionClient();

        using var response = await client.PostJsonAsync("organizers", """{"items":[{"id":"org_1",""");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.Errors);
        Assert.Equal("invalid_json", error.Rule);
        Assert.StartsWith("$.items[0]", error.Field, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_UnknownField_Returns400NamingIt()
    {
        using var client = factory.CreateIngestionClient();
        var row = Rows.Organizer().With("commision_rate", 0.07m);
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("organizers", [row]);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.Errors);
        Assert.Equal((0, "invalid_json"), (error.Row, error.Rule));
        Assert.Contains("commision_rate", error.Field, StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_NoItemsProperty_Returns400Required()
    {
        using var client = factory.CreateIngestionClient();

        using var response = await client.PostJsonAsync("events", "{}");

        await response.AssertRejectedAsync((null, "items", "required"));
    }

    [Fact]
    public async Task Ingest_NotJsonContentType_Returns415()
    {
        using var client = factory.CreateIngestionClient();
        using var content = new StringContent("""{"items":[]}""", Encoding.UTF8, "text/plain");

        using var response = await client.PostAsync(new Uri("/api/v1/ingest/organizers", UriKind.Relative), content, TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("unsupported_media_type", Assert.Single(problem.Errors).Rule);
    }

    [Fact]
    public async Task Ingest_EmptyItems_Returns200WithZeros()
    {
        using var client = factory.CreateIngestionClient();

        using var response = await client.PostJsonAsync("purchases", """{"items":[]}""");

        Assert.Equal(new WireResult(0, 0, 0, 0), await response.ReadResultAsync());
    }

    [Fact]
    public async Task Ingest_10001Rows_Returns400TooManyRowsAndWritesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var rows = Enumerable.Range(0, 10_001).Select(_ => Rows.Purchase("evt_none")).ToList();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("purchases", rows);

        var problem = await response.AssertRejectedAsync((null, "items", "too_many_rows"));
        Assert.Contains("10000", problem.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_BodyOverDefaultLimit_Returns413()
    {
        using var client = factory.CreateIngestionClient();
        var before = await factory.CountsAsync();

        using var response = await client.PostJsonAsync("organizers", PaddedBody(DefaultMaxBodyBytes + 1));

        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal((null, "body", "body_too_large"), problem.Errors.Select(e => (e.Row, e.Field, e.Rule)).Single());
        Assert.Equal(413, problem.Status);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_ChunkedBodyOverDefaultLimit_Returns413()
    {
        using var client = factory.CreateIngestionClient();
        using var content = new ChunkedJsonContent(Encoding.UTF8.GetBytes(PaddedBody(DefaultMaxBodyBytes + 1)));

        using var response = await client.PostAsync(new Uri("/api/v1/ingest/organizers", UriKind.Relative), content, TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("body_too_large", Assert.Single(problem.Errors).Rule);
    }

    [Fact]
    public async Task Ingest_BodyExactlyAtLimit_IsRead()
    {
        using var client = factory.CreateIngestionClient();

        using var response = await client.PostJsonAsync("organizers", PaddedBody(DefaultMaxBodyBytes));

        // Read in full: what is left to say is about the row's fields.
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors, e => (e.Row, e.Field, e.Rule) == (0, "legal_name", "max_length"));
    }

    /// <summary>
    /// A JSON body of exactly <paramref name="bytes"/> bytes, <c>{"items":[{"legal_name":"xxx…"}]}</c>: well formed, so
    /// only its size (or, within the limit, its row) can be complained about.
    /// </summary>
    private static string PaddedBody(long bytes)
    {
        const string start = "{\"items\":[{\"legal_name\":\"";
        const string end = "\"}]}";
        var body = start + new string('x', (int)bytes - start.Length - end.Length) + end;
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(body));
        return body;
    }
}

/// <summary>Key configuration: none closes the API; several (rotation) are all accepted.</summary>
public sealed class IngestionKeyConfigurationTests
{
    [Fact]
    public async Task Ingest_NoKeysConfigured_Returns401EvenWithAKey()
    {
        await using var factory = new BillingPortalFactory { Settings = s => s["Ingestion:ApiKeys:0"] = "" };
        await factory.InitializeAsync();
        using var client = factory.CreateIngestionClient();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer()]);

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(new TableCounts(0, 0, 0, 0), await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_TwoKeysConfigured_AcceptsBothDuringRotation()
    {
        const string nextKey = "rotacion-2026-clave-nueva-0123456789abcdef";
        await using var factory = new BillingPortalFactory { Settings = s => s["Ingestion:ApiKeys:1"] = nextKey };
        await factory.InitializeAsync();
        using var oldClient = factory.CreateIngestionClient();
        using var newClient = factory.CreateHttpClient();
        newClient.DefaultRequestHeaders.Add("X-Api-Key", nextKey);
        using var otherClient = factory.CreateHttpClient();
        otherClient.DefaultRequestHeaders.Add("X-Api-Key", nextKey[..^1]);

        var viaOld = await (await oldClient.IngestAsync("organizers", [Rows.Organizer()])).ReadResultAsync();
        var viaNew = await (await newClient.IngestAsync("organizers", [Rows.Organizer()])).ReadResultAsync();
        using var viaOther = await otherClient.IngestAsync("organizers", [Rows.Organizer()]);

        Assert.Equal(1, viaOld.Created);
        Assert.Equal(1, viaNew.Created);
        await viaOther.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(2, (await factory.CountsAsync()).Organizers);
    }
}
