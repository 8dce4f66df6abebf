using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Integration.MercadoPago.Linking;
using BillingPortal.Tests.Integration.MercadoPago.Payments;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Tests.Integration.MercadoPago.Sync;

/// <summary>
/// A sync test's world: the Mercado Pago emulator standalone on loopback, a real SQLite file, and a portal instance wired
/// as the portal wires Core (<c>AddBillingData</c> + <c>AddMercadoPago</c>) whose clock is the emulator's (moving time
/// moves both). Organizers are linked through the real consent flow. An observer at the HTTP layer (innermost handler of
/// the API client) records every search attempt and can act after the k-th page (cancel, inject a fault).
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    public const string KeyId = "2026-11";

    private readonly string _directory;

    private SyncHarness(string directory, MercadoPagoSandboxServer sandbox, SqliteTestDatabase database, ServiceProvider portal, SearchObserver observer, ConcurrentQueue<string> logs)
    {
        _directory = directory;
        Sandbox = sandbox;
        Database = database;
        Portal = portal;
        Observer = observer;
        Logs = logs;
    }

    public MercadoPagoSandboxServer Sandbox { get; }

    public SqliteTestDatabase Database { get; }

    public ServiceProvider Portal { get; }

    public SearchObserver Observer { get; }

    public ConcurrentQueue<string> Logs { get; }

    public SandboxClock Clock => Sandbox.Clock;

    public SandboxPayments Payments => Sandbox.Services.GetRequiredService<SandboxPayments>();

    public SandboxFaults Faults => Sandbox.Services.GetRequiredService<SandboxFaults>();

    public IPaymentSync Sync => Portal.GetRequiredService<IPaymentSync>();

    /// <summary>Starts the emulator, the database and one portal instance; <paramref name="settings"/> overrides configuration keys.</summary>
    public static async Task<SyncHarness> StartAsync(Action<IDictionary<string, string?>>? settings, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "mp-sync-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var sandbox = await MercadoPagoSandboxServer.StartAsync(directory, o =>
        {
            o.RedirectUris = [LinkingTestKit.Callback];
            o.RequirePkce = true;
        }, cancellationToken: cancellationToken);
        var database = await SqliteTestDatabase.CreateAsync(cancellationToken);
        var values = new Dictionary<string, string?>
        {
            ["TokenProtection:Keys:" + KeyId] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["TokenProtection:ActiveKeyId"] = KeyId,
            ["TokenProtection:AllowGeneratedKey"] = "false",
            ["MercadoPago:Client:MaxRetries"] = "3",
            ["MercadoPago:Client:RetryBaseDelay"] = "00:00:00.010",
            ["MercadoPago:Client:RetryMaxDelay"] = "00:00:00.100",
            ["MercadoPago:Client:AttemptTimeout"] = "00:00:10",
            ["MercadoPago:Client:TotalTimeout"] = "00:00:30",
        };
        settings?.Invoke(values);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new ConcurrentQueue<string>();
        var observer = new SearchObserver();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Debug);
            b.AddProvider(new SandboxPaymentsKit.ListLoggerProvider(logs));
        });
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(sandbox.Clock);
        services.AddSingleton<IMercadoPagoEndpoints>(new KitEndpoints(sandbox.BaseAddress, sandbox.AuthorizationEndpoint, (sandbox.Options.ClientId, sandbox.Options.ClientSecret!)));
        services.AddBillingData(database.Options, database.Directory);
        services.AddMercadoPago(configuration);
        services.AddHttpClient(MercadoPagoApiClient.HttpClientName).AddHttpMessageHandler(() => new SearchObserverHandler(observer));
        var portal = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new SyncHarness(directory, sandbox, database, portal, observer, logs);
    }

    /// <summary>A new emulator seller, an organizer on the sandbox's plan with an event and an owner, linked through the consent flow.</summary>
    public async Task<LinkedOrganizer> NewLinkedOrganizerAsync(CancellationToken cancellationToken)
    {
        var organizer = await NewOrganizerAsync(cancellationToken);
        var completion = await LinkingTestKit.LinkAsync(Portal.GetRequiredService<IMercadoPagoLinking>(), organizer.Owner, organizer.SellerId, cancellationToken);
        Assert.True(completion.Succeeded, completion.Message);
        return organizer;
    }

    /// <summary>An organizer with its seller in the emulator but no link yet.</summary>
    public async Task<LinkedOrganizer> NewOrganizerAsync(CancellationToken cancellationToken)
    {
        var sellerId = SyncTestKit.NewSellerId();
        await Sandbox.Accounts.UpsertSellerAsync(SyncTestKit.Seller(sellerId), cancellationToken);
        var (organizerId, eventId) = await SyncTestKit.NewOrganizerAsync(Database, sellerId, cancellationToken);
        var owner = await AddMemberAsync(organizerId, OrganizerRole.Owner, cancellationToken);
        return new LinkedOrganizer(organizerId, eventId, sellerId, owner);
    }

    public async Task<OrganizerAccess> AddMemberAsync(int organizerId, OrganizerRole role, CancellationToken cancellationToken)
    {
        await using var db = Database.CreateContext();
        var user = new PortalUser
        {
            Issuer = "https://sandbox.test",
            Subject = Guid.NewGuid().ToString("N"),
            Email = $"{Guid.NewGuid():N}@example.pe",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        db.OrganizerMembers.Add(new OrganizerMember { OrganizerId = organizerId, UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync(cancellationToken);
        return new OrganizerAccess(organizerId, role, user.Id, user.Email);
    }

    /// <summary>An approved sale in the emulator (with a matching purchase in the portal unless <paramref name="withPurchase"/> is false).</summary>
    public async Task<MpPayment> SaleAsync(LinkedOrganizer organizer, decimal amount, TimeSpan ago, CancellationToken cancellationToken, bool withPurchase = true, bool pending = false)
    {
        var reference = withPurchase ? await SyncTestKit.NewPurchaseAsync(Database, organizer.OrganizerId, organizer.EventId, amount, cancellationToken) : null;
        return await Payments.CreateSaleAsync(
            new SandboxSaleRequest { SellerId = organizer.SellerId, Amount = amount, ExternalReference = reference, DateCreated = Clock.GetUtcNow() - ago, Pending = pending },
            cancellationToken);
    }

    /// <summary>Writes payments straight into the emulator's store (no notification: what Mercado Pago changed without telling).</summary>
    public async Task PutAsync(IEnumerable<MpPayment> payments, CancellationToken cancellationToken)
    {
        foreach (var payment in payments) await Sandbox.Store.SaveAsync(payment, cancellationToken);
    }

    /// <summary>Every payment of the seller the emulator holds (its truth).</summary>
    public async Task<List<MpPayment>> SandboxPaymentsAsync(long sellerId, CancellationToken cancellationToken)
    {
        var page = await Sandbox.Store.SearchAsync(new SandboxPaymentQuery { CollectorId = sellerId, Sort = SandboxPaymentField.Id, Limit = 1_000_000 }, cancellationToken);
        return page.Results.Select(json => JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpPayment)!).ToList();
    }

    /// <summary>
    /// The portal holds exactly the emulator's payments of the organizer's seller: the same ids, versions, statuses and
    /// refunds, one fee row per fee, one history entry per status seen (no duplicates), and the ledger computed from
    /// the same JSON.
    /// </summary>
    public async Task AssertMirrorsSandboxAsync(LinkedOrganizer organizer, CancellationToken cancellationToken)
    {
        var truth = await SandboxPaymentsAsync(organizer.SellerId, cancellationToken);
        await using var db = Database.CreateContext();
        var stored = await db.Payments.AsNoTracking().Where(p => p.OrganizerId == organizer.OrganizerId)
            .Include(p => p.Fees).Include(p => p.Refunds).Include(p => p.StatusHistory).AsSplitQuery()
            .OrderBy(p => p.Id).ToListAsync(cancellationToken);
        Assert.Equal(truth.Select(p => p.Id).Order(), stored.Select(p => p.Id));
        var byId = stored.ToDictionary(p => p.Id);
        foreach (var payment in truth)
        {
            var mine = byId[payment.Id];
            Assert.True(MercadoPagoStatuses.TryParse(payment.Status, out var status));
            Assert.Equal((status, payment.StatusDetail), (mine.Status, mine.StatusDetail));
            Assert.Equal(PaymentUpserter.LastUpdated(payment), mine.DateLastUpdated);
            Assert.Equal((payment.Refunds ?? []).Select(r => (r.Id, r.Amount)).Order(), mine.Refunds.Select(r => (r.Id, r.Amount)).Order());
            Assert.Equal(payment.FeeDetails?.Count ?? 0, mine.Fees.Count);
            Assert.Equal(mine.StatusHistory.Count, mine.StatusHistory.Select(h => (h.Status, h.StatusDetail)).Distinct().Count());
            Assert.Equal((mine.Status, mine.StatusDetail), mine.StatusHistory.OrderBy(h => h.ChangedAt).ThenBy(h => h.Id).Select(h => (h.Status, h.StatusDetail)).Last());
        }

        Assert.Equal(await SyncTestKit.ExpectedLedgerAsync(Database, organizer.OrganizerId, truth, cancellationToken), await SyncTestKit.StoredLedgerAsync(Database, organizer.OrganizerId, cancellationToken));
    }

    public async Task<MercadoPagoSyncState> StateAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = Database.CreateContext();
        return await db.MercadoPagoSyncStates.AsNoTracking().SingleAsync(s => s.OrganizerId == organizerId, cancellationToken);
    }

    public async Task<List<MercadoPagoSyncRun>> RunsAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = Database.CreateContext();
        return await db.MercadoPagoSyncRuns.AsNoTracking().Where(r => r.OrganizerId == organizerId).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection on another thread still holds the file: the OS cleans the temp folder.
        }
    }
}

/// <summary>An organizer of a sync test: its ids, its emulator seller and an owner.</summary>
internal sealed record LinkedOrganizer(int OrganizerId, int EventId, long SellerId, OrganizerAccess Owner);

/// <summary>What the API client sent to <c>/v1/payments/search</c> (every attempt) and what came back.</summary>
internal sealed class SearchObserver
{
    private int _pages;

    public ConcurrentQueue<SearchAttempt> Attempts { get; } = new();

    /// <summary>Runs after the k-th search answered 200 (k from 1), before the client sees the answer.</summary>
    public Func<int, Task>? AfterPage { get; set; }

    public int Pages => Volatile.Read(ref _pages);

    internal async Task ObserveAsync(HttpRequestMessage request, HttpResponseMessage response)
    {
        var query = QueryHelpers.ParseQuery(request.RequestUri!.Query);
        var offset = query.TryGetValue("offset", out var o) ? int.Parse(o.ToString(), CultureInfo.InvariantCulture) : 0;
        var begin = query.TryGetValue("begin_date", out var b) ? b.ToString() : "";
        var end = query.TryGetValue("end_date", out var e) ? e.ToString() : "";
        Attempts.Enqueue(new SearchAttempt(begin, end, offset, (int)response.StatusCode));
        if (response.IsSuccessStatusCode && AfterPage is { } after) await after(Interlocked.Increment(ref _pages));
        else if (response.IsSuccessStatusCode) Interlocked.Increment(ref _pages);
    }
}

internal sealed record SearchAttempt(string Begin, string End, int Offset, int Status);

internal sealed class SearchObserverHandler(SearchObserver observer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.AbsolutePath.EndsWith("/v1/payments/search", StringComparison.Ordinal) == true)
            await observer.ObserveAsync(request, response);
        return response;
    }
}
