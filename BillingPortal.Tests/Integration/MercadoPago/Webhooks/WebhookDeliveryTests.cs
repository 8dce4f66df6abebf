using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Integration.MercadoPago.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks;

/// <summary>
/// The emulator's signed webhooks delivered over real HTTP to a minimal Kestrel receiver on a loopback port (§5.2–§5.5),
/// with a short retry schedule.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "sandbox-webhook-secret-for-tests";
    private readonly Receiver _receiver = new();
    private SandboxPaymentsKit _mp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _receiver.StartAsync(Ct);
        _mp = await SandboxPaymentsKit.StartAsync(o =>
        {
            o.Webhooks.Url = _receiver.Url;
            o.Webhooks.Secret = Secret;
            o.Webhooks.RetryInterval = TimeSpan.FromMilliseconds(40);
            o.Webhooks.AttemptsBeforeBackoff = 2;
            o.Webhooks.MaxAttempts = 4;
            o.Webhooks.DeliveryTimeout = TimeSpan.FromSeconds(5);
            o.LiveMode.Interval = TimeSpan.FromMilliseconds(100);
        }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _mp.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task NewSale_PaymentCreatedIsPostedSignedWithQueryAndBodyAsMercadoPago()
    {
        var sale = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 120m, TimeSpan.Zero, Ct);

        var hit = await _receiver.NextAsync(Ct);
        var id = sale.Id.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(id, hit.Query["data.id"]);
        Assert.Equal("payment", hit.Query["type"]);
        Assert.StartsWith("application/json", hit.ContentType, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", hit.RequestId);
        Assert.Matches("^ts=[0-9]{10},v1=[0-9a-f]{64}$", hit.Signature);
        Assert.Equal(WebhookSignatureFailure.None,
            MercadoPagoWebhookSignature.Verify(hit.Signature, hit.RequestId, hit.Query["data.id"], [Secret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal(WebhookSignatureFailure.Mismatch,
            MercadoPagoWebhookSignature.Verify(hit.Signature, hit.RequestId, hit.Query["data.id"], ["another-secret"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        var body = hit.Body;
        Assert.Equal(JsonValueKind.Number, body["id"]!.GetValueKind());
        Assert.True(body["live_mode"]!.GetValue<bool>());
        Assert.Equal("payment", body["type"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-04:00$", body["date_created"]!.GetValue<string>());
        Assert.Equal(SandboxPaymentsKit.SellerA, body["user_id"]!.GetValue<long>());
        Assert.Equal("v1", body["api_version"]!.GetValue<string>());
        Assert.Equal("payment.created", body["action"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.String, body["data"]!["id"]!.GetValueKind());
        Assert.Equal(id, body["data"]!["id"]!.GetValue<string>());
        Assert.Equal(8, body.AsObject().Count);
    }

    [Fact]
    public async Task ReceiverFails_RetriedOnTheScheduleUntilDelivered()
    {
        _receiver.FailNext(2);

        var sale = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 60m, TimeSpan.Zero, Ct);
        var attempts = new[] { await _receiver.NextAsync(Ct), await _receiver.NextAsync(Ct), await _receiver.NextAsync(Ct) };

        Assert.All(attempts, a => Assert.Equal(sale.Id.ToString(CultureInfo.InvariantCulture), a.Query["data.id"]));
        Assert.Equal(3, attempts.Select(a => a.RequestId).Distinct().Count());
        Assert.Single(attempts.Select(a => a.Body["id"]!.GetValue<long>()).Distinct());
        Assert.All(attempts, a => Assert.Equal(WebhookSignatureFailure.None,
            MercadoPagoWebhookSignature.Verify(a.Signature, a.RequestId, a.Query["data.id"], [Secret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        await SandboxPaymentsKit.EventuallyAsync(async () => (await _mp.NotificationsAsync(Ct, "delivered")).Count == 1, "delivered", Ct);
        var delivered = Assert.Single(await _mp.NotificationsAsync(Ct, "delivered"));
        Assert.Equal(3, delivered!["attempts"]!.GetValue<int>());
        Assert.Equal(200, delivered["last_status"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReceiverAlwaysFails_GivesUpAfterMaxAttempts()
    {
        _receiver.FailNext(int.MaxValue);

        await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 60m, TimeSpan.Zero, Ct);

        await SandboxPaymentsKit.EventuallyAsync(async () => (await _mp.NotificationsAsync(Ct, "failed")).Count == 1, "given up", Ct);
        var failed = Assert.Single(await _mp.NotificationsAsync(Ct, "failed"));
        Assert.Equal(4, failed!["attempts"]!.GetValue<int>());
        Assert.Equal(500, failed["last_status"]!.GetValue<int>());
        Assert.Equal(4, _receiver.Count);
    }

    [Fact]
    public void RetryDelay_IntervalThenDoublingThenGiveUp()
    {
        var options = new SandboxWebhookOptions { RetryInterval = TimeSpan.FromMinutes(15), AttemptsBeforeBackoff = 3, MaxAttempts = 6 };

        var delays = Enumerable.Range(1, 6).Select(n => SandboxWebhookSender.RetryDelay(options, n)).ToArray();

        Assert.Equal(
            [TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(120), null],
            delays);
    }

    [Fact]
    public async Task NoUrl_NotificationsWaitAndGoOutOnceAUrlIsSet()
    {
        using (var pause = await _mp.AdminAsync("_admin/webhook", new { url = (string?)null }, Ct)) Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        var sale = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 60m, TimeSpan.Zero, Ct);
        var pending = await _mp.NotificationsAsync(Ct, "pending");

        using (var resume = await _mp.AdminAsync("_admin/webhook", new { url = _receiver.Url }, Ct)) Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var hit = await _receiver.NextAsync(Ct);

        Assert.Equal(0, pending.Single()!["attempts"]!.GetValue<int>());
        Assert.Equal(sale.Id.ToString(CultureInfo.InvariantCulture), hit.Query["data.id"]);
    }

    [Fact]
    public async Task SimulateNotificationAndChanges_PaymentUpdatedIsPosted()
    {
        var sale = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 60m, TimeSpan.Zero, Ct);
        await _receiver.NextAsync(Ct);

        using var simulate = await _mp.AdminAsync($"_admin/payments/{sale.Id}/notify", new { }, Ct);
        var simulated = await _receiver.NextAsync(Ct);
        using var chargeback = await _mp.AdminAsync($"_admin/payments/{sale.Id}/chargeback", new { status_detail = "in_process" }, Ct);
        var changed = await _receiver.NextAsync(Ct);

        Assert.Equal(HttpStatusCode.Accepted, simulate.StatusCode);
        Assert.Equal("payment.updated", simulated.Body["action"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, chargeback.StatusCode);
        Assert.Equal("payment.updated", changed.Body["action"]!.GetValue<string>());
        Assert.NotEqual(simulated.Body["id"]!.GetValue<long>(), changed.Body["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task MpConnect_DataIdIsTheSeller()
    {
        var notifier = _mp.Server.Services.GetRequiredService<ISandboxNotifier>();

        await notifier.NotifyConnectAsync(SandboxPaymentsKit.SellerB, "application.deauthorized", Ct);
        var hit = await _receiver.NextAsync(Ct);

        var seller = SandboxPaymentsKit.SellerB.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(seller, hit.Query["data.id"]);
        Assert.Equal("mp-connect", hit.Query["type"]);
        Assert.Equal("mp-connect", hit.Body["type"]!.GetValue<string>());
        Assert.Equal("application.deauthorized", hit.Body["action"]!.GetValue<string>());
        Assert.Equal(seller, hit.Body["data"]!["id"]!.GetValue<string>());
        Assert.Equal(WebhookSignatureFailure.None,
            MercadoPagoWebhookSignature.Verify(hit.Signature, hit.RequestId, seller, [Secret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task MovedClock_SignatureTimestampStaysTheWallClock()
    {
        _mp.Server.Clock.Advance(TimeSpan.FromDays(20));

        await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 60m, TimeSpan.Zero, Ct);
        var hit = await _receiver.NextAsync(Ct);

        Assert.Equal(WebhookSignatureFailure.None,
            MercadoPagoWebhookSignature.Verify(hit.Signature, hit.RequestId, hit.Query["data.id"], [Secret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.StartsWith(_mp.Server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(-4)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hit.Body["date_created"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveMode_ProducesSalesAndPaymentCreatedNotifications()
    {
        using (var on = await _mp.AdminAsync("_admin/live", new { enabled = true }, Ct)) Assert.Equal(HttpStatusCode.OK, on.StatusCode);

        var hit = await _receiver.NextAsync(Ct);
        using (var off = await _mp.AdminAsync("_admin/live", new { enabled = false }, Ct)) Assert.Equal(HttpStatusCode.OK, off.StatusCode);

        Assert.Equal("payment.created", hit.Body["action"]!.GetValue<string>());
        var sellers = new[] { SandboxPaymentsKit.SellerA, SandboxPaymentsKit.SellerB };
        Assert.Contains(hit.Body["user_id"]!.GetValue<long>(), sellers);
        var payment = await _mp.Server.Store.GetAsync(long.Parse(hit.Query["data.id"]!, CultureInfo.InvariantCulture), Ct);
        Assert.NotNull(payment);
        Assert.Equal("approved", payment.Status);
        Assert.StartsWith("ord_live_", payment.ExternalReference, StringComparison.Ordinal);
        Assert.Equal(payment.CollectorId, hit.Body["user_id"]!.GetValue<long>());
    }

    /// <summary>A minimal Kestrel app on 127.0.0.1:0 that records every POST to <c>/hooks</c> and can fail the next N.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly System.Threading.Channels.Channel<Hit> _hits = System.Threading.Channels.Channel.CreateUnbounded<Hit>();
        private WebApplication? _app;
        private int _failures;
        private int _count;

        public string Url { get; private set; } = "";

        public int Count => Volatile.Read(ref _count);

        public void FailNext(int times) => Volatile.Write(ref _failures, times);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.MapPost("/hooks", async (HttpContext http) =>
            {
                using var reader = new StreamReader(http.Request.Body);
                var body = JsonNode.Parse(await reader.ReadToEndAsync(http.RequestAborted))!;
                var query = http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
                Interlocked.Increment(ref _count);
                _hits.Writer.TryWrite(new Hit(query, http.Request.Headers["x-signature"].ToString(), http.Request.Headers["x-request-id"].ToString(), http.Request.ContentType ?? "", body));
                var fail = Volatile.Read(ref _failures);
                if (fail > 0)
                {
                    Interlocked.Decrement(ref _failures);
                    return Results.StatusCode(500);
                }

                return Results.Ok();
            });
            await _app.StartAsync(cancellationToken);
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Url = address.TrimEnd('/') + "/hooks";
        }

        public async Task<Hit> NextAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            return await _hits.Reader.ReadAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is null) return;
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record Hit(Dictionary<string, string?> Query, string Signature, string RequestId, string ContentType, JsonNode Body);
}
