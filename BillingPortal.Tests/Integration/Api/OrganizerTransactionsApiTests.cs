using System.Globalization;
using System.Net;
using System.Text.Json;
using BillingPortal.Core.Reporting;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Api;

/// <summary><c>GET /api/v1/transactions</c> and <c>/{id}</c> over real HTTP with keys made by the portal's own service.</summary>
public sealed class OrganizerTransactionsApiTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    private static long _nextId = 72_000_000_000;

    private async Task<(SeededOrganizer Seeded, List<BillingPortal.Core.Payments.Payment> Payments, HttpClient Client)> SeedAsync(int count)
    {
        var seeded = await factory.AddOrganizerAsync(events: 2);
        var first = Interlocked.Add(ref _nextId, 1_000) - 1_000;
        var payments = TransactionSeed.Payments(seeded.Organizer.Id, seeded.Events.Select(e => e.Id).ToList(), count, seed: 5, firstId: first);
        await factory.StorePaymentsAsync(payments);
        var key = await factory.CreateKeyAsync(seeded.Owner);
        return (seeded, payments, factory.CreateKeyClient(key.PlainKey));
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string pathAndQuery) =>
        client.GetAsync(new Uri(pathAndQuery, UriKind.Relative), TestContext.Current.CancellationToken);

    [Fact]
    public async Task List_PagedToTheEnd_ReturnsEveryPaymentOnceNewestFirst()
    {
        var (_, payments, client) = await SeedAsync(37);
        using var _ = client;

        var ids = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await GetAsync(client, "/api/v1/transactions?limit=10" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            using var json = await response.ReadJsonAsync();
            var items = json.Root.GetProperty("items");
            ids.AddRange(items.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            Assert.All(items.EnumerateArray(), i => Assert.Matches(@"^\S\*\*\*", i.GetProperty("payer_email").GetString()!));
            cursor = json.Root.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(4, pages);
        Assert.Equal(TransactionSeed.Sort(payments, TransactionSort.DateDescending).Select(p => p.Id), ids);
    }

    [Fact]
    public async Task List_Filters_AreAppliedAndSnakeCase()
    {
        var (seeded, payments, client) = await SeedAsync(60);
        using var _ = client;
        var eventId = seeded.Events[0].Id;

        using var response = await GetAsync(client, $"/api/v1/transactions?from=2026-03-05&to=2026-03-25&event_id={eventId}&release=credited&limit=500");

        using var json = await response.ReadJsonAsync();
        var filter = new TransactionFilter(new DateOnly(2026, 3, 5), new DateOnly(2026, 3, 25), eventId, Release: TransactionRelease.Credited);
        var expected = TransactionSeed.Sort(TransactionSeed.Apply(payments, filter, DateTimeOffset.UtcNow), TransactionSort.DateDescending).Select(p => p.Id).ToList();
        var items = json.Root.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, items.Select(i => i.GetProperty("id").GetInt64()));
        Assert.All(items, i => Assert.Equal("credited", i.GetProperty("release").GetString()));
        Assert.Equal(JsonValueKind.Null, json.Root.GetProperty("next_cursor").ValueKind);
        Assert.Contains("\"date_created\"", json.Body, StringComparison.Ordinal);
        Assert.Contains("\"payment_method_id\"", json.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor", "cursor_invalid")]
    [InlineData("cursor=%25%25%25", "cursor", "cursor_invalid")]
    [InlineData("from=2026-13-01", "from", "date_format")]
    [InlineData("from=2026-03-10&to=2026-03-01", "from", "from_after_to")]
    [InlineData("limit=501", "limit", "range")]
    [InlineData("limit=0", "limit", "range")]
    [InlineData("status=aprobado", "status", "one_of")]
    [InlineData("release=soon", "release", "one_of")]
    [InlineData("has_refund=yes", "has_refund", "one_of")]
    [InlineData("sort=price", "sort", "one_of")]
    [InlineData("event_id=-3", "event_id", "integer")]
    public async Task List_BadParameter_Is400ProblemNamingTheField(string query, string field, string rule)
    {
        var (_, _, client) = await SeedAsync(3);
        using var _ = client;

        using var response = await GetAsync(client, "/api/v1/transactions?" + query);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains((field, rule), problem.Errors.Select(e => (e.Field, e.Rule)));
    }

    [Fact]
    public async Task List_CursorOfAnotherSort_Is400()
    {
        var (_, _, client) = await SeedAsync(12);
        using var _ = client;
        using var first = await GetAsync(client, "/api/v1/transactions?limit=5");
        using var json = await first.ReadJsonAsync();
        var cursor = json.Root.GetProperty("next_cursor").GetString()!;

        using var response = await GetAsync(client, "/api/v1/transactions?sort=amount_desc&cursor=" + Uri.EscapeDataString(cursor));

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([("cursor", "cursor_invalid")], problem.Errors.Select(e => (e.Field, e.Rule)));
    }

    [Fact]
    public async Task Detail_OwnPayment_BreakdownAddsUpAndEqualsTheLedger()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, payments, client) = await SeedAsync(30);
        using var _ = client;
        var payment = payments.First(p => p.Refunds.Count > 0 && p.Status == BillingPortal.Core.Payments.PaymentStatus.Approved);

        using var response = await GetAsync(client, "/api/v1/transactions/" + payment.Id.ToString(CultureInfo.InvariantCulture));

        using var json = await response.ReadJsonAsync();
        await using var db = factory.CreateDbContext();
        var ledger = await db.LedgerEntries.AsNoTracking().Where(e => e.PaymentId == payment.Id).ToListAsync(ct);
        var breakdown = json.Root.GetProperty("breakdown");
        var total = breakdown.GetProperty("total");
        decimal D(JsonElement e, string name) => e.GetProperty(name).GetDecimal();
        Assert.Equal(["sale", "refund"], breakdown.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal(D(total, "net"), D(total, "gross") + D(total, "mercadopago_fee") + D(total, "commission_base") + D(total, "commission_igv") + D(total, "other_fees"));
        Assert.Equal(ledger.Sum(e => e.Net), D(total, "net"));
        Assert.Equal(ledger.Sum(e => e.MercadoPagoFee), D(total, "mercadopago_fee"));
        Assert.Equal(D(total, "net"), D(json.Root.GetProperty("transaction"), "net"));
        Assert.Equal("*****" + payment.PayerIdentificationNumber![^3..], json.Root.GetProperty("payer_document").GetString());
        Assert.DoesNotContain(payment.PayerEmail!, json.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Single(json.Root.GetProperty("refunds").EnumerateArray());
    }

    [Fact]
    public async Task Detail_AnotherOrganizersPayment_Is404LikeAMissingOne()
    {
        var (_, _, clientA) = await SeedAsync(2);
        var (_, paymentsB, clientB) = await SeedAsync(2);
        using var a = clientA;
        using var b = clientB;

        using var foreign = await GetAsync(clientA, "/api/v1/transactions/" + paymentsB[0].Id.ToString(CultureInfo.InvariantCulture));
        using var missing = await GetAsync(clientA, "/api/v1/transactions/1");
        using var bad = await GetAsync(clientA, "/api/v1/transactions/abc");
        using var own = await GetAsync(clientB, "/api/v1/transactions/" + paymentsB[0].Id.ToString(CultureInfo.InvariantCulture));

        var foreignProblem = await foreign.ReadProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missing.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([("id", "not_found")], foreignProblem.Errors.Select(e => (e.Field, e.Rule)));
        Assert.Equal((missingProblem.Title, missingProblem.Detail), (foreignProblem.Title, foreignProblem.Detail));
        Assert.Equal([("id", "integer")], (await bad.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Select(e => (e.Field, e.Rule)));
        using var ownJson = await own.ReadJsonAsync();
        Assert.Equal(paymentsB[0].Id, ownJson.Root.GetProperty("transaction").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task List_WithoutKey_Is401()
    {
        using var client = factory.CreateHttpClient();

        using var response = await GetAsync(client, "/api/v1/transactions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DocumentsBothEndpointsWithParameters()
    {
        using var client = factory.CreateHttpClient();

        using var response = await GetAsync(client, "/openapi/v1.json");

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(body);
        var paths = doc.RootElement.GetProperty("paths");
        var list = paths.GetProperty("/api/v1/transactions").GetProperty("get");
        var names = list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Subset(new HashSet<string?> { "from", "to", "event_id", "status", "payment_method", "release", "has_refund", "search", "sort", "limit", "cursor" }, names.ToHashSet());
        Assert.All(list.GetProperty("parameters").EnumerateArray(), p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("description").GetString())));
        Assert.True(paths.TryGetProperty("/api/v1/transactions/{id}", out _));
        Assert.Contains("next_cursor", body, StringComparison.Ordinal);
    }
}
