using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Integration.MercadoPago.Linking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks.Inbox;

/// <summary>
/// The inbox's Core services as the portal wires them (<see cref="LinkingTestKit"/>: a real SQLite file, the emulator
/// on loopback), an organizer linked through the real consent flow, and helpers to put notifications in the inbox and
/// run the processor on a chosen clock.
/// </summary>
internal sealed class InboxTestKit : IAsyncDisposable
{
    private static long _nextNotificationId = 880_000_000_000L + Random.Shared.Next(0, 1_000_000);

    private InboxTestKit(LinkingTestKit linking, ServiceProvider instance)
    {
        Linking = linking;
        Instance = instance;
    }

    public LinkingTestKit Linking { get; }

    public ServiceProvider Instance { get; }

    public MercadoPagoSandboxServer Sandbox => Linking.Sandbox;

    public WebhookIntake Intake => Instance.GetRequiredService<WebhookIntake>();

    public WebhookInboxSignal Signal => Instance.GetRequiredService<WebhookInboxSignal>();

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Starts the kit; processing settings have millisecond-free, round values the tests compute with.</summary>
    public static async Task<InboxTestKit> StartAsync(CancellationToken cancellationToken, Action<IDictionary<string, string?>>? settings = null)
    {
        var linking = await LinkingTestKit.StartAsync(cancellationToken);
        var instance = linking.CreateInstance(s =>
        {
            s["MercadoPago:Webhooks:Processing:BatchSize"] = "50";
            s["MercadoPago:Webhooks:Processing:BackoffBase"] = "00:00:30";
            s["MercadoPago:Webhooks:Processing:BackoffMax"] = "00:10:00";
            s["MercadoPago:Webhooks:Processing:MaxAttempts"] = "3";
            s["MercadoPago:Webhooks:Processing:LeaseDuration"] = "00:02:00";
            settings?.Invoke(s);
        });
        return new InboxTestKit(linking, instance) { Admin = new HttpClient { BaseAddress = linking.Sandbox.BaseAddress } };
    }

    /// <summary>An organizer linked (consent and callback) to a new emulator seller.</summary>
    public async Task<(int OrganizerId, long SellerId, OrganizerAccess Owner)> LinkedOrganizerAsync(CancellationToken cancellationToken)
    {
        var seller = await Linking.NewSellerAsync(cancellationToken);
        var owner = await Linking.NewOrganizerAsync(OrganizerRole.Owner, cancellationToken);
        var completion = await LinkingTestKit.LinkAsync(Instance.GetRequiredService<IMercadoPagoLinking>(), owner, seller.Id, cancellationToken);
        Assert.True(completion.Succeeded, completion.Message);
        return (owner.OrganizerId, seller.Id, owner);
    }

    /// <summary>The processor on <paramref name="time"/> (the rest of the instance on the system clock).</summary>
    public WebhookProcessor Processor(TimeProvider time, bool portableClaims = false) => new(
        Instance.GetRequiredService<IDbContextFactory<BillingDbContext>>(),
        Instance.GetRequiredService<IMercadoPagoSellerApi>(),
        Instance.GetRequiredService<IPaymentUpserter>(),
        Instance.GetRequiredService<IMercadoPagoLinking>(),
        Instance.GetRequiredService<IAdminAlerts>(),
        time,
        Instance.GetRequiredService<IOptionsMonitor<MercadoPagoWebhookProcessingOptions>>(),
        Instance.GetRequiredService<MercadoPagoMetrics>(),
        Instance.GetRequiredService<ILogger<WebhookProcessor>>())
    {
        PortableClaims = portableClaims,
    };

    /// <summary>The dead letters service on <paramref name="time"/>.</summary>
    public WebhookDeadLetters DeadLetters(TimeProvider time) => new(
        Instance.GetRequiredService<IDbContextFactory<BillingDbContext>>(), time, Signal, Instance.GetRequiredService<IAdminAlerts>());

    /// <summary>A notification as Mercado Pago's body would carry it, through the intake; returns its inbox id.</summary>
    public async Task<long> AcceptAsync(string topic, string action, string dataId, long? sellerId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextNotificationId).ToString(CultureInfo.InvariantCulture);
        var seller = sellerId is { } s ? s.ToString(CultureInfo.InvariantCulture) : "null";
        var body = $$$"""{"id":{{{id}}},"live_mode":true,"type":"{{{topic}}}","date_created":"2026-03-14T19:02:11.000-04:00","user_id":{{{seller}}},"api_version":"v1","action":"{{{action}}}","data":{"id":"{{{dataId}}}"}}""";
        Assert.True(InboxNotification.TryCreate(dataId, topic, Encoding.UTF8.GetBytes(body), false, "req-" + id, DateTimeOffset.UtcNow, out var notification, out var invalid), invalid);
        Assert.Equal(WebhookIntakeOutcome.Accepted, await Intake.AcceptAsync(notification!, cancellationToken));
        await using var db = Linking.Database.CreateContext();
        return await db.WebhookInbox.Where(e => e.DedupKey == "id:" + id).Select(e => e.Id).SingleAsync(cancellationToken);
    }

    public async Task<WebhookInboxEntry> EntryAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = Linking.Database.CreateContext();
        return await db.WebhookInbox.AsNoTracking().SingleAsync(e => e.Id == id, cancellationToken);
    }

    /// <summary>An approved sale in the emulator for the seller.</summary>
    public async Task<long> SaleAsync(long sellerId, decimal amount, CancellationToken cancellationToken)
    {
        using var response = await Admin.PostAsJsonAsync("_admin/sales", new { seller_id = sellerId, amount, payment_method_id = "visa" }, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        using var json = System.Text.Json.JsonDocument.Parse(text);
        return json.RootElement.GetProperty("id").GetInt64();
    }

    /// <summary><c>POST /_admin/faults</c>: the next <paramref name="count"/> requests to the payments API answer 500 (null: all of them).</summary>
    public async Task FailPaymentReadsAsync(int? count, CancellationToken cancellationToken)
    {
        using var response = await Admin.PostAsJsonAsync("_admin/faults", new { kind = "server_error", rate = count is null ? 1.0 : 0.0, count, path = "/v1/payments/" }, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async Task ClearFaultsAsync(CancellationToken cancellationToken)
    {
        using var response = await Admin.DeleteAsync("_admin/faults", cancellationToken);
        Assert.True(response.IsSuccessStatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Linking.DisposeAsync();
    }
}
