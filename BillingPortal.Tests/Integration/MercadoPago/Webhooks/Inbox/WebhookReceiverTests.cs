using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks.Inbox;

/// <summary>The portal with a configured webhook secret (and a previous one), its processor switched off so entries stay as received.</summary>
public sealed class ReceiverPortalFactory : BillingPortalFactory
{
    public string Secret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string PreviousSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["MercadoPago:Webhooks:Secret"] = Secret;
        settings["MercadoPago:Webhooks:SecondarySecret"] = PreviousSecret;
        settings["MercadoPago:Webhooks:MaxBodyBytes"] = "4096";
        settings["MercadoPago:Webhooks:Processing:Enabled"] = "false";
    }
}

/// <summary>
/// <c>POST /api/webhooks/mercadopago</c> over real HTTP into the durable inbox: signed deliveries stored once (replays
/// and concurrent copies counted as duplicates), forged, stale and unsigned ones refused with 401, both query forms,
/// the body cap, malformed notifications named.
/// </summary>
public sealed class WebhookReceiverTests(ReceiverPortalFactory portal) : IClassFixture<ReceiverPortalFactory>
{
    private const string Route = "/api/webhooks/mercadopago";
    private static long _nextId = 770_000_000_000L + Random.Shared.Next(0, 1_000_000);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_SignedPaymentNotification_StoredPendingAnd200()
    {
        var (id, paymentId, body) = Notification();
        var requestId = Guid.NewGuid().ToString();

        using var response = await SendAsync(Query(paymentId), body, Sign(portal.Secret, paymentId, requestId), requestId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = await EntryAsync("id:" + id);
        Assert.NotNull(entry);
        Assert.Equal(WebhookInboxStatus.Pending, entry.Status);
        Assert.Equal("payment", entry.Topic);
        Assert.Equal("payment.created", entry.Action);
        Assert.Equal(paymentId, entry.ResourceId);
        Assert.Equal(300_100_200L, entry.SellerUserId);
        Assert.Equal(requestId, entry.RequestId);
        Assert.Equal(0, entry.Duplicates);
    }

    [Fact]
    public async Task Post_SameSignedRequestTwice_OneEntryWithOneDuplicate()
    {
        var (id, paymentId, body) = Notification();
        var requestId = Guid.NewGuid().ToString();
        var signature = Sign(portal.Secret, paymentId, requestId);

        using var first = await SendAsync(Query(paymentId), body, signature, requestId);
        using var replay = await SendAsync(Query(paymentId), body, signature, requestId);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await using var db = portal.CreateDbContext();
        var entry = await db.WebhookInbox.AsNoTracking().SingleAsync(e => e.DedupKey == "id:" + id, Ct);
        Assert.Equal(1, entry.Duplicates);
    }

    [Fact]
    public async Task Post_SignedWithThePreviousSecret_AcceptedDuringRotation()
    {
        var (id, paymentId, body) = Notification();
        var requestId = Guid.NewGuid().ToString();

        using var response = await SendAsync(Query(paymentId), body, Sign(portal.PreviousSecret, paymentId, requestId), requestId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await EntryAsync("id:" + id));
    }

    public static TheoryData<string> Refusals => new() { "unsigned", "forged", "stale", "future", "other-resource", "other-request-id", "malformed-header" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Post_NotProperlySigned_401ProblemAndNothingStored(string refusal)
    {
        var (id, paymentId, body) = Notification();
        var requestId = Guid.NewGuid().ToString();
        var signature = refusal switch
        {
            "unsigned" => null,
            "forged" => Sign("not-the-secret", paymentId, requestId),
            "stale" => Sign(portal.Secret, paymentId, requestId, DateTimeOffset.UtcNow.AddMinutes(-6)),
            "future" => Sign(portal.Secret, paymentId, requestId, DateTimeOffset.UtcNow.AddMinutes(6)),
            "other-resource" => Sign(portal.Secret, "1", requestId),
            "other-request-id" => Sign(portal.Secret, paymentId, Guid.NewGuid().ToString()),
            _ => "ts=abc,v1=xyz",
        };

        using var response = await SendAsync(Query(paymentId), body, signature, requestId);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Firma no válida", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await EntryAsync("id:" + id));
    }

    [Fact]
    public async Task Post_LegacyIpnQueryWithoutBody_StoredUnderTheIpnKey()
    {
        var paymentId = Next().ToString(CultureInfo.InvariantCulture);

        using var response = await SendAsync($"?id={paymentId}&topic=payment", "", Sign(portal.Secret, paymentId, null), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.CreateDbContext();
        var entry = await db.WebhookInbox.AsNoTracking().SingleAsync(e => e.ResourceId == paymentId, Ct);
        Assert.StartsWith($"ipn:payment:{paymentId}:", entry.DedupKey, StringComparison.Ordinal);
        Assert.Equal("payment", entry.Topic);
        Assert.Null(entry.SellerUserId);
    }

    [Fact]
    public async Task Post_BodyOverTheCap_413AndNothingStored()
    {
        var paymentId = Next().ToString(CultureInfo.InvariantCulture);
        var body = "{\"id\":" + Next().ToString(CultureInfo.InvariantCulture) + ",\"type\":\"payment\",\"pad\":\"" + new string('x', 5000) + "\",\"data\":{\"id\":\"" + paymentId + "\"}}";
        var requestId = Guid.NewGuid().ToString();

        using var response = await SendAsync(Query(paymentId), body, Sign(portal.Secret, paymentId, requestId), requestId);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.WebhookInbox.AnyAsync(e => e.ResourceId == paymentId, Ct));
    }

    [Theory]
    [InlineData("?data.id={0}&type=payment", "not json", "body")]
    [InlineData("?data.id={0}", "{{\"id\":1,\"data\":{{\"id\":\"{0}\"}}}}", "type")]
    [InlineData("?data.id={0}&type=payment", "{{\"id\":1,\"user_id\":\"vendedor\",\"data\":{{\"id\":\"{0}\"}}}}", "user_id")]
    public async Task Post_SignedButMalformed_400NamingTheField(string query, string body, string field)
    {
        var paymentId = Next().ToString(CultureInfo.InvariantCulture);
        var requestId = Guid.NewGuid().ToString();

        using var response = await SendAsync(string.Format(CultureInfo.InvariantCulture, query, paymentId), string.Format(CultureInfo.InvariantCulture, body, paymentId),
            Sign(portal.Secret, paymentId, requestId), requestId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.Contains(field, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.WebhookInbox.AnyAsync(e => e.ResourceId == paymentId, Ct));
    }

    [Fact]
    public async Task Post_ConcurrentIdenticalDeliveries_OneEntryAndEveryCopyCounted()
    {
        var (id, paymentId, body) = Notification();
        const int copies = 40;

        var responses = await Task.WhenAll(Enumerable.Range(0, copies).Select(async _ =>
        {
            var requestId = Guid.NewGuid().ToString();
            using var response = await SendAsync(Query(paymentId), body, Sign(portal.Secret, paymentId, requestId), requestId);
            return response.StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        await using var db = portal.CreateDbContext();
        var entry = await db.WebhookInbox.AsNoTracking().SingleAsync(e => e.DedupKey == "id:" + id, Ct);
        Assert.Equal(copies - 1, entry.Duplicates);
    }

    private static long Next() => Interlocked.Increment(ref _nextId);

    private static (string Id, string PaymentId, string Body) Notification()
    {
        var id = Next().ToString(CultureInfo.InvariantCulture);
        var paymentId = Next().ToString(CultureInfo.InvariantCulture);
        var body = $$$"""{"id":{{{id}}},"live_mode":true,"type":"payment","date_created":"2026-03-14T19:02:11.000-04:00","user_id":300100200,"api_version":"v1","action":"payment.created","data":{"id":"{{{paymentId}}}"}}""";
        return (id, paymentId, body);
    }

    private static string Query(string paymentId) => $"?data.id={paymentId}&type=payment";

    private static string Sign(string secret, string dataId, string? requestId, DateTimeOffset? at = null) =>
        MercadoPagoWebhookSignature.Sign(secret, dataId, requestId, (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds());

    private async Task<HttpResponseMessage> SendAsync(string query, string body, string? signature, string? requestId)
    {
        using var client = portal.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Route + query) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (requestId is not null) request.Headers.Add("x-request-id", requestId);
        if (signature is not null) request.Headers.Add("x-signature", signature);
        return await client.SendAsync(request, Ct);
    }

    private async Task<WebhookInboxEntry?> EntryAsync(string dedupKey)
    {
        await using var db = portal.CreateDbContext();
        return await db.WebhookInbox.AsNoTracking().SingleOrDefaultAsync(e => e.DedupKey == dedupKey, Ct);
    }
}
