using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Observability;
using BillingPortal.Tests.Infrastructure;

namespace BillingPortal.Tests.Integration.MercadoPago.Ops;

/// <summary>
/// <c>/metrics</c> over real HTTP: Prometheus text with the Mercado Pago instruments (after a webhook) and .NET's own
/// meters, served to loopback or to the scrape token only; a request relayed by a proxy (X-Forwarded-For) counts as
/// remote. The policy itself is checked for remote addresses the test host cannot produce.
/// </summary>
public sealed class MetricsEndpointTests(MetricsEndpointTests.MetricsPortalFactory portal) : IClassFixture<MetricsEndpointTests.MetricsPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> ScrapeAsync(string? forwardedFor = null, string? bearer = null)
    {
        using var client = portal.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, PortalMetrics.Path);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Metrics_FromLoopbackAfterAWebhook_PrometheusTextWithTheMercadoPagoInstruments()
    {
        using (var client = portal.CreateHttpClient())
        {
            var requestId = Guid.NewGuid().ToString();
            const string dataId = "987654321";
            using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/mercadopago?data.id=" + dataId + "&type=payment")
            {
                Content = new StringContent(
                    "{\"id\":\"" + Guid.NewGuid().ToString("N") + "\",\"live_mode\":false,\"type\":\"payment\",\"date_created\":\"2026-03-20T10:04:58.396-04:00\",\"user_id\":123,\"api_version\":\"v1\",\"action\":\"payment.created\",\"data\":{\"id\":\"" + dataId + "\"}}",
                    Encoding.UTF8, "application/json"),
            };
            webhook.Headers.Add("x-request-id", requestId);
            webhook.Headers.Add("x-signature", MercadoPagoWebhookSignature.Sign(portal.WebhookSecret, dataId, requestId, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            using var accepted = await client.SendAsync(webhook, Ct);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        // The exporter may answer a scrape from its short cache: scrape until the webhook's count shows (or give up).
        HttpResponseMessage response;
        var text = "";
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            response = await ScrapeAsync();
            text = await response.Content.ReadAsStringAsync(Ct);
            if (text.Contains("billingportal_mp_webhooks_received_total", StringComparison.Ordinal) || DateTimeOffset.UtcNow > deadline) break;
            response.Dispose();
            await Task.Delay(200, Ct);
        }

        using var _ = response;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE billingportal_mp_webhooks_received_total counter", text, StringComparison.Ordinal);
        Assert.Contains("billingportal_mp_webhooks_received_total{", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.WebhookSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_RelayedByAProxyWithoutTheToken_IsRefusedWith401()
    {
        using var response = await ScrapeAsync(forwardedFor: "203.0.113.9");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain("billingportal_mp_", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_RelayedByAProxyWithAWrongToken_IsRefused()
    {
        using var response = await ScrapeAsync(forwardedFor: "203.0.113.9", bearer: portal.ScrapeToken + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_RelayedByAProxyWithTheToken_IsServed()
    {
        using var response = await ScrapeAsync(forwardedFor: "203.0.113.9", bearer: portal.ScrapeToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", false, null, null, MetricsAccess.Loopback)]
    [InlineData("::1", false, null, null, MetricsAccess.Loopback)]
    [InlineData("::ffff:127.0.0.1", false, null, null, MetricsAccess.Loopback)]
    [InlineData("127.0.0.1", true, null, null, MetricsAccess.NotLocal)]
    [InlineData("203.0.113.9", false, null, null, MetricsAccess.NotLocal)]
    [InlineData("203.0.113.9", false, "Bearer s3cret", null, MetricsAccess.NotLocal)]
    [InlineData("203.0.113.9", false, null, "s3cret", MetricsAccess.BadToken)]
    [InlineData("203.0.113.9", false, "Bearer wrong", "s3cret", MetricsAccess.BadToken)]
    [InlineData("203.0.113.9", false, "Basic s3cret", "s3cret", MetricsAccess.BadToken)]
    [InlineData("203.0.113.9", false, "Bearer s3cret", "s3cret", MetricsAccess.Token)]
    [InlineData("203.0.113.9", false, "bearer  s3cret ", "s3cret", MetricsAccess.Token)]
    [InlineData("127.0.0.1", true, "Bearer s3cret", "s3cret", MetricsAccess.Token)]
    [InlineData("127.0.0.1", false, "Bearer wrong", "s3cret", MetricsAccess.Loopback)]
    [InlineData(null, false, null, null, MetricsAccess.NotLocal)]
    public void Check_RemoteProxyAndToken_DecidesAsDocumented(string? remote, bool relayed, string? authorization, string? token, MetricsAccess expected)
    {
        var address = remote is null ? null : IPAddress.Parse(remote);

        Assert.Equal(expected, PortalMetrics.Check(address, relayed, authorization, token));
    }

    /// <summary>The portal with a webhook secret and a scrape token (both random per run).</summary>
    public sealed class MetricsPortalFactory : BillingPortalFactory
    {
        public string WebhookSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        public string ScrapeToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            settings["MercadoPago:Webhooks:Secret"] = WebhookSecret;
            settings["Metrics:ScrapeToken"] = ScrapeToken;
            settings["MercadoPago:UseSandbox"] = "false";
            settings["Metrics:Enabled"] = "true";
        }
    }
}
