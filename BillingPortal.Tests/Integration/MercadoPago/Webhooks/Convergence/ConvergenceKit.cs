using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Integration.MercadoPago.Linking;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks.Convergence;

/// <summary>
/// The whole portal (real Kestrel, real SQLite file, its receiver and inbox processor running) configured against a
/// standalone emulator, as production is against Mercado Pago: the emulator's webhooks are signed with the secret the
/// portal trusts and go to the portal's receiver whenever the test points them there.
/// </summary>
public sealed class ConvergencePortalFactory(MercadoPagoSandboxServer sandbox) : BillingPortalFactory
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in ConvergenceKit.MercadoPagoSettings(sandbox)) settings[key] = value;
        settings["MercadoPago:Webhooks:Processing:BackoffBase"] = "00:00:00.200";
        settings["MercadoPago:Webhooks:Processing:BackoffMax"] = "00:00:02";
        settings["MercadoPago:Webhooks:Processing:PollInterval"] = "00:00:01";
    }
}

/// <summary>The parts of the convergence test: the emulator, portal A (the one that receives webhooks) and helpers.</summary>
internal static class ConvergenceKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Configuration that points the portal's Mercado Pago clients and receiver at the emulator.</summary>
    public static Dictionary<string, string?> MercadoPagoSettings(MercadoPagoSandboxServer sandbox) => new()
    {
        ["MercadoPago:UseSandbox"] = "false",
        ["MercadoPago:ClientId"] = sandbox.Options.ClientId,
        ["MercadoPago:ClientSecret"] = sandbox.Options.ClientSecret,
        ["MercadoPago:ApiBaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
        ["MercadoPago:AuthorizationUrl"] = sandbox.AuthorizationEndpoint.AbsoluteUri,
        ["MercadoPago:RedirectUri"] = LinkingTestKit.Callback,
        ["MercadoPago:Webhooks:Secret"] = sandbox.Options.Webhooks.Secret,
        ["MercadoPago:Client:MaxRetries"] = "2",
        ["MercadoPago:Client:RetryBaseDelay"] = "00:00:00.010",
        ["MercadoPago:Client:RetryMaxDelay"] = "00:00:00.100",
        ["TokenProtection:Keys:convergence"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["TokenProtection:ActiveKeyId"] = "convergence",
    };

    /// <summary>Portal B: Core over a fresh SQLite file against the same emulator (what a full sync from scratch builds).</summary>
    public static ServiceProvider CoreInstance(MercadoPagoSandboxServer sandbox, SqliteTestDatabase database)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(MercadoPagoSettings(sandbox)).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddBillingData(database.Options, database.Directory);
        services.AddMercadoPago(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>An organizer with an owner in <paramref name="factory"/>'s database, linked to the seller through the real consent flow.</summary>
    public static async Task<int> LinkedOrganizerAsync(IDbContextFactory<BillingDbContext> factory, IMercadoPagoLinking linking, long sellerId)
    {
        await using var db = await factory.CreateDbContextAsync(Ct);
        var organizer = new OrganizerBuilder().Build();
        db.Organizers.Add(organizer);
        var user = new PortalUser { Issuer = "https://sandbox.test", Subject = Guid.NewGuid().ToString("N"), Email = $"{Guid.NewGuid():N}@example.pe", CreatedAt = DateTimeOffset.UnixEpoch };
        db.Users.Add(user);
        await db.SaveChangesAsync(Ct);
        db.OrganizerMembers.Add(new OrganizerMember { OrganizerId = organizer.Id, UserId = user.Id, Role = OrganizerRole.Owner, CreatedAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync(Ct);
        var owner = new OrganizerAccess(organizer.Id, OrganizerRole.Owner, user.Id, user.Email);
        var consent = await linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, Ct);
        var callback = await LinkingTestKit.ConsentAsync(consent, sellerId, allow: true, Ct);
        var completion = await linking.CompleteAuthorizationAsync(user.Id, callback.Code, callback.State, callback.Error, AuditOrigin.None, Ct);
        Assert.True(completion.Succeeded, completion.Message);
        return organizer.Id;
    }

    /// <summary>Posts one outbox notification to the receiver exactly as the emulator's sender would (new x-request-id per delivery).</summary>
    public static async Task DeliverAsync(HttpClient portal, MercadoPagoSandboxServer sandbox, SandboxNotification notification)
    {
        var requestId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/api/webhooks/mercadopago?data.id={Uri.EscapeDataString(notification.DataId)}&type={Uri.EscapeDataString(notification.Topic)}")
        {
            Content = new ByteArrayContent(SandboxWebhookOutbox.Body(notification)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-request-id", requestId);
        request.Headers.Add("x-signature", MercadoPagoWebhookSignature.Sign(sandbox.Options.Webhooks.Secret!, notification.DataId, requestId, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        using var response = await portal.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>"Lost": the notification is removed from the emulator's outbox, so nobody ever delivers it.</summary>
    public static async Task LoseAsync(MercadoPagoSandboxServer sandbox, SandboxNotification notification)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sandbox.Store.FilePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM webhook_outbox WHERE id = $id";
        command.Parameters.AddWithValue("$id", notification.Id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }

    public static async Task<IReadOnlyList<SandboxNotification>> PendingAsync(MercadoPagoSandboxServer sandbox) =>
        await sandbox.Services.GetRequiredService<SandboxWebhookOutbox>().ListAsync("pending", 1000, Ct);

    /// <summary><c>POST /_admin/…</c> on the emulator; the JSON answer.</summary>
    public static async Task<JsonElement> AdminAsync(HttpClient sandbox, string path, object body)
    {
        using var response = await sandbox.PostAsJsonAsync(path.TrimStart('/'), body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>Waits until <paramref name="done"/> holds (polling), failing with <paramref name="what"/> after 60 s.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await done()) return;
            await Task.Delay(100, Ct);
        }

        Assert.Fail("Timed out waiting for " + what);
    }

    /// <summary>
    /// Everything the organizer's figures come from, as comparable text (no surrogate or organizer ids, no sync stamps):
    /// payments with fees and refunds, the end state of each status history, ledger entries, anomalies, a period summary
    /// and the balance.
    /// </summary>
    public static async Task<Dictionary<string, string>> SnapshotAsync(IDbContextFactory<BillingDbContext> factory, int organizerId, DateTimeOffset asOf)
    {
        await using var db = await factory.CreateDbContextAsync(Ct);
        var payments = (await db.Payments.AsNoTracking().Where(p => p.OrganizerId == organizerId).ToListAsync(Ct))
            .OrderBy(p => p.Id)
            .Select(p => new
            {
                p.Id,
                p.Status,
                p.StatusDetail,
                p.CollectorId,
                p.ExternalReference,
                p.CurrencyId,
                p.TransactionAmount,
                p.TransactionAmountRefunded,
                p.NetReceivedAmount,
                p.TotalPaidAmount,
                p.MercadoPagoFee,
                p.ApplicationFee,
                p.OtherCollectorFees,
                p.PayerFees,
                p.DateCreated,
                p.DateApproved,
                p.DateLastUpdated,
                p.MoneyReleaseDate,
                p.MoneyReleaseStatus,
                p.PaymentMethodId,
                p.PaymentTypeId,
                p.Installments,
                p.Tickets,
                p.LiveMode,
                p.PurchaseId,
                p.EventId,
            });
        var ids = await db.Payments.AsNoTracking().Where(p => p.OrganizerId == organizerId).Select(p => p.Id).ToListAsync(Ct);
        var fees = (await db.PaymentFees.AsNoTracking().Where(f => ids.Contains(f.PaymentId)).ToListAsync(Ct))
            .OrderBy(f => f.PaymentId).ThenBy(f => f.Type, StringComparer.Ordinal).ThenBy(f => f.Amount)
            .Select(f => new { f.PaymentId, f.Type, f.Amount, f.FeePayer });
        var refunds = (await db.PaymentRefunds.AsNoTracking().Where(r => ids.Contains(r.PaymentId)).ToListAsync(Ct))
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.PaymentId, r.Amount, r.Status, r.DateCreated, r.SourceType });
        var endStates = (await db.PaymentStatusChanges.AsNoTracking().Where(s => ids.Contains(s.PaymentId)).ToListAsync(Ct))
            .GroupBy(s => s.PaymentId)
            .OrderBy(g => g.Key)
            .Select(g => g.OrderBy(s => s.ChangedAt).ThenBy(s => s.Id).Last())
            .Select(s => new { s.PaymentId, s.Status, s.StatusDetail, s.ChangedAt });
        var ledger = (await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId).ToListAsync(Ct))
            .Select(e => new
            {
                e.PaymentId,
                e.Kind,
                e.RefundId,
                e.OccurredAt,
                e.LocalDate,
                e.Tickets,
                e.Gross,
                e.MercadoPagoFee,
                e.CommissionBase,
                e.CommissionIgv,
                e.OtherFees,
                e.Net,
                e.Currency,
                e.PaymentMethodId,
                e.PaymentTypeId,
                e.PaymentStatus,
                e.MoneyReleaseDate,
                e.ReleaseLocalDate,
                e.ReleaseState,
                e.EventId,
            })
            .OrderBy(e => e.PaymentId).ThenBy(e => e.Kind).ThenBy(e => e.RefundId).ThenBy(e => e.OccurredAt);
        var anomalies = (await db.Anomalies.AsNoTracking().Where(a => a.OrganizerId == organizerId && a.ResolvedAt == null).ToListAsync(Ct))
            .OrderBy(a => a.PaymentId).ThenBy(a => a.Kind)
            .Select(a => new { a.PaymentId, a.Kind, a.Expected, a.Actual });
        var queries = new LedgerQueries(factory);
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var summary = await queries.GetPeriodSummaryAsync(organizerId, new DatePeriod(today.AddDays(-40), today.AddDays(1)), null, Ct);
        var balance = await queries.GetBalanceAsync(organizerId, asOf, null, Ct);
        return new Dictionary<string, string>
        {
            ["payments"] = Json(payments),
            ["fees"] = Json(fees),
            ["refunds"] = Json(refunds),
            ["status end states"] = Json(endStates),
            ["ledger"] = Json(ledger),
            ["anomalies"] = Json(anomalies),
            ["summary"] = Json(summary),
            ["balance"] = Json(balance),
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Indented);

    /// <summary>The portal's inbox has nothing left to do.</summary>
    public static async Task<bool> InboxSettledAsync(IDbContextFactory<BillingDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync(Ct);
        return !await db.WebhookInbox.AnyAsync(e => e.Status == WebhookInboxStatus.Pending || e.Status == WebhookInboxStatus.Processing, Ct);
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs one sync of the organizer and asserts it succeeded.</summary>
    public static async Task<SyncRunSummary> SyncAsync(IServiceProvider services, int organizerId)
    {
        await using var scope = services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<IPaymentSync>().RunAsync(organizerId, SyncRunKind.Incremental, null, Ct);
        Assert.True(summary.Status == SyncRunStatus.Succeeded, $"sync {summary.Status}: {summary.ErrorCode} {summary.ErrorMessage}");
        return summary;
    }

    public static MpPayment Payment(JsonElement json) => json.Deserialize(MercadoPagoJsonContext.Default.MpPayment)!;
}
