using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Integration.MercadoPago.Payments;
using BillingPortal.Tests.Unit.MercadoPago;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Tests.Integration.MercadoPago.Sync;

/// <summary>The payment write path over a real SQLite file: versions, history, ledger, anomalies, concurrency, metrics.</summary>
public sealed class PaymentUpserterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly ConcurrentQueue<string> _logs = new();
    private SqliteTestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private IPaymentUpserter _upserter = null!;
    private long _seller;
    private int _organizerId;
    private int _eventId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync(Ct);
        _seller = SyncTestKit.NewSellerId();
        (_organizerId, _eventId) = await SyncTestKit.NewOrganizerAsync(_database, _seller, Ct);
        _services = BuildServices(_database, _logs, extra: null);
        _upserter = _services.GetRequiredService<IPaymentUpserter>();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    internal static ServiceProvider BuildServices(SqliteTestDatabase database, ConcurrentQueue<string>? logs, Action<IServiceCollection>? extra)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Debug);
            if (logs is not null) b.AddProvider(new SandboxPaymentsKit.ListLoggerProvider(logs));
        });
        services.AddSingleton<IConfiguration>(configuration);
        services.AddBillingData(database.Options, database.Directory);
        extra?.Invoke(services);
        services.AddMercadoPago(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    [Fact]
    public async Task Upsert_NewPayment_CreatedWithFeesHistoryAndTheLedgerOfItsJson()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 150m, Ct, tickets: 2);
        var sale = SyncTestKit.Sale(_seller, 150m, reference, Now, TimeSpan.FromDays(3), tickets: 2);

        var outcomes = await _upserter.UpsertAsync(_organizerId, [sale], Ct);

        Assert.Equal([new PaymentUpsertOutcome(sale.Id, PaymentUpsertResult.Created)], outcomes);
        var stored = await SyncTestKit.StoredPaymentAsync(_database, sale.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal((PaymentStatus.Approved, "accredited", 150m), (stored.Status, stored.StatusDetail, stored.TransactionAmount));
        Assert.NotNull(stored.PurchaseId);
        Assert.Equal((_eventId, 2), (stored.EventId!.Value, stored.Tickets));
        Assert.Equal(2, stored.Fees.Count);
        Assert.Equal(sale.TransactionDetails!.NetReceivedAmount, stored.NetReceivedAmount);
        var change = Assert.Single(stored.StatusHistory);
        Assert.Equal((PaymentStatus.Approved, sale.DateLastUpdated!.Value.ToUniversalTime()), (change.Status, change.ChangedAt));
        Assert.Equal(await SyncTestKit.ExpectedLedgerAsync(_database, _organizerId, [sale], Ct), await SyncTestKit.StoredLedgerAsync(_database, _organizerId, Ct));
        Assert.Single(await SyncTestKit.StoredLedgerAsync(_database, _organizerId, Ct));
        await using var db = _database.CreateContext();
        Assert.Empty(await db.Anomalies.Where(a => a.PaymentId == sale.Id).ToListAsync(Ct));
    }

    [Fact]
    public async Task Upsert_FixturePayments_StoredAsTheMapperMapsThem()
    {
        var fixtures = new[] { MercadoPagoFixtures.Approved, MercadoPagoFixtures.PartiallyRefunded }
            .Select(MercadoPagoFixtures.Payment)
            .Select(p => p with { CollectorId = _seller, Id = p.Id + _seller })
            .ToList();

        var outcomes = await _upserter.UpsertAsync(_organizerId, fixtures, Ct);

        Assert.All(outcomes, o => Assert.Equal(PaymentUpsertResult.Created, o.Result));
        Assert.Equal(await SyncTestKit.ExpectedLedgerAsync(_database, _organizerId, fixtures, Ct), await SyncTestKit.StoredLedgerAsync(_database, _organizerId, Ct));
        var refunded = await SyncTestKit.StoredPaymentAsync(_database, fixtures[1].Id, Ct);
        Assert.Equal(fixtures[1].Refunds!.Count, refunded!.Refunds.Count);
    }

    [Fact]
    public async Task Upsert_SameVersionAgain_UnchangedAndNothingWritten()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 80m, Ct);
        var sale = SyncTestKit.Sale(_seller, 80m, reference, Now, TimeSpan.FromDays(2));
        await _upserter.UpsertAsync(_organizerId, [sale], Ct);
        var before = await SyncTestKit.FingerprintAsync(_database, _organizerId, Ct);

        var outcomes = await _upserter.UpsertAsync(_organizerId, [sale, sale], Ct);

        Assert.Equal([new PaymentUpsertOutcome(sale.Id, PaymentUpsertResult.Unchanged)], outcomes);
        Assert.Equal(before, await SyncTestKit.FingerprintAsync(_database, _organizerId, Ct));
    }

    [Fact]
    public async Task Upsert_RefundThenTheOlderApprovedVersion_OlderIsStaleAndTheRefundStays()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 120m, Ct);
        var sale = SyncTestKit.Sale(_seller, 120m, reference, Now, TimeSpan.FromDays(10));
        var refunded = SyncTestKit.Refunded(sale, null, Now - TimeSpan.FromDays(1));
        await _upserter.UpsertAsync(_organizerId, [refunded], Ct);
        var before = await SyncTestKit.FingerprintAsync(_database, _organizerId, Ct);

        var outcomes = await _upserter.UpsertAsync(_organizerId, [sale], Ct);

        Assert.Equal(PaymentUpsertResult.Stale, Assert.Single(outcomes).Result);
        Assert.Equal(before, await SyncTestKit.FingerprintAsync(_database, _organizerId, Ct));
        var stored = await SyncTestKit.StoredPaymentAsync(_database, sale.Id, Ct);
        Assert.Equal(PaymentStatus.Refunded, stored!.Status);
        Assert.Equal(await SyncTestKit.ExpectedLedgerAsync(_database, _organizerId, [refunded], Ct), await SyncTestKit.StoredLedgerAsync(_database, _organizerId, Ct));
    }

    [Fact]
    public async Task Upsert_PartialRefundThenChargeback_HistoryKeepsEveryStatusAndLedgerIsRecomputed()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 200m, Ct);
        var sale = SyncTestKit.Sale(_seller, 200m, reference, Now, TimeSpan.FromDays(20));
        var partial = SyncTestKit.Refunded(sale, 50m, Now - TimeSpan.FromDays(10));
        var chargeback = SyncTestKit.ChargedBack(partial, "in_process", Now - TimeSpan.FromDays(2));

        var first = await _upserter.UpsertAsync(_organizerId, [sale], Ct);
        var second = await _upserter.UpsertAsync(_organizerId, [partial], Ct);
        var third = await _upserter.UpsertAsync(_organizerId, [chargeback], Ct);

        Assert.Equal([PaymentUpsertResult.Created, PaymentUpsertResult.Updated, PaymentUpsertResult.Updated], new[] { first, second, third }.Select(o => Assert.Single(o).Result));
        var stored = await SyncTestKit.StoredPaymentAsync(_database, sale.Id, Ct);
        Assert.Equal(
            [(PaymentStatus.Approved, "accredited"), (PaymentStatus.Approved, "partially_refunded"), (PaymentStatus.ChargedBack, "in_process")],
            stored!.StatusHistory.OrderBy(h => h.ChangedAt).Select(h => (h.Status, h.StatusDetail)));
        var refund = Assert.Single(stored.Refunds);
        Assert.Equal(50m, refund.Amount);
        var ledger = await SyncTestKit.StoredLedgerAsync(_database, _organizerId, Ct);
        Assert.Equal([LedgerEntryKind.Sale, LedgerEntryKind.Refund, LedgerEntryKind.Chargeback], ledger.Select(l => l.Kind).Order());
        Assert.Equal(-150m, ledger.Single(l => l.Kind == LedgerEntryKind.Chargeback).Gross);
        Assert.Equal(partial.Refunds![0].Id, ledger.Single(l => l.Kind == LedgerEntryKind.Refund).RefundId);
    }

    [Fact]
    public async Task Upsert_ReleaseOfFunds_UpdatedWithoutAHistoryEntry()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 60m, Ct);
        var sale = SyncTestKit.Sale(_seller, 60m, reference, Now, TimeSpan.FromDays(5));
        await _upserter.UpsertAsync(_organizerId, [sale], Ct);

        var outcomes = await _upserter.UpsertAsync(_organizerId, [SyncTestKit.Released(sale, Now - TimeSpan.FromHours(1))], Ct);

        Assert.Equal(PaymentUpsertResult.Updated, Assert.Single(outcomes).Result);
        var stored = await SyncTestKit.StoredPaymentAsync(_database, sale.Id, Ct);
        Assert.Equal(MoneyReleaseStatus.Released, stored!.MoneyReleaseStatus);
        Assert.Single(stored.StatusHistory);
    }

    [Fact]
    public async Task Upsert_SameDateButDifferentContent_Updated()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 70m, Ct);
        var sale = SyncTestKit.Sale(_seller, 70m, reference, Now, TimeSpan.FromDays(5));
        await _upserter.UpsertAsync(_organizerId, [sale], Ct);

        var outcomes = await _upserter.UpsertAsync(_organizerId, [sale with { MoneyReleaseStatus = MercadoPagoReleaseStatuses.Released }], Ct);

        Assert.Equal(PaymentUpsertResult.Updated, Assert.Single(outcomes).Result);
    }

    [Fact]
    public async Task Upsert_AnotherSellersPayment_RefusedAndLoggedByIdsOnly()
    {
        var foreign = SyncTestKit.Sale(SyncTestKit.NewSellerId(), 90m, null, Now, TimeSpan.FromDays(1));

        var outcomes = await _upserter.UpsertAsync(_organizerId, [foreign], Ct);

        Assert.Empty(outcomes);
        Assert.Null(await SyncTestKit.StoredPaymentAsync(_database, foreign.Id, Ct));
        var line = Assert.Single(_logs, l => l.Contains("refused", StringComparison.Ordinal));
        Assert.Contains(foreign.Id.ToString(CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.DoesNotContain("@", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_NoPurchaseForTheReference_StoredWithOneUnmatchedAnomalyEvenAfterUpdates()
    {
        var sale = SyncTestKit.Sale(_seller, 95m, "ord_que_no_existe_" + Guid.NewGuid().ToString("N"), Now, TimeSpan.FromDays(6));

        await _upserter.UpsertAsync(_organizerId, [sale], Ct);
        await _upserter.UpsertAsync(_organizerId, [SyncTestKit.Refunded(sale, 10m, Now - TimeSpan.FromDays(1))], Ct);

        var stored = await SyncTestKit.StoredPaymentAsync(_database, sale.Id, Ct);
        Assert.NotNull(stored);
        Assert.Null(stored.PurchaseId);
        await using var db = _database.CreateContext();
        var anomaly = Assert.Single(await db.Anomalies
            .Where(a => a.PaymentId == sale.Id && (a.Kind == AnomalyKind.UnmatchedPayment || a.Kind == AnomalyKind.AmountMismatch)).ToListAsync(Ct));
        Assert.Equal((AnomalyKind.UnmatchedPayment, _organizerId, 95m), (anomaly.Kind, anomaly.OrganizerId!.Value, anomaly.Actual!.Value));
        Assert.Contains(sale.ExternalReference!, anomaly.Detail, StringComparison.Ordinal);
        Assert.Equal(2, (await SyncTestKit.StoredLedgerAsync(_database, _organizerId, Ct)).Count);
    }

    [Fact]
    public async Task Upsert_PurchaseAmountDiffers_StoredWithAnAmountMismatch()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 100m, Ct);
        var sale = SyncTestKit.Sale(_seller, 110m, reference, Now, TimeSpan.FromDays(6));

        await _upserter.UpsertAsync(_organizerId, [sale], Ct);
        await _upserter.UpsertAsync(_organizerId, [SyncTestKit.Released(sale, Now)], Ct);

        await using var db = _database.CreateContext();
        var anomaly = Assert.Single(await db.Anomalies.Where(a => a.PaymentId == sale.Id).ToListAsync(Ct));
        Assert.Equal((AnomalyKind.AmountMismatch, 100m, 110m), (anomaly.Kind, anomaly.Expected!.Value, anomaly.Actual!.Value));
        Assert.NotNull((await SyncTestKit.StoredPaymentAsync(_database, sale.Id, Ct))!.PurchaseId);
    }

    [Fact]
    public async Task Upsert_NetThatDoesNotAddUp_LedgerWriterAnomalyRecorded()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 100m, Ct);
        var sale = SyncTestKit.Sale(_seller, 100m, reference, Now, TimeSpan.FromDays(6));
        var broken = sale with { TransactionDetails = sale.TransactionDetails! with { NetReceivedAmount = sale.TransactionDetails!.NetReceivedAmount + 1m } };

        await _upserter.UpsertAsync(_organizerId, [broken], Ct);

        await using var db = _database.CreateContext();
        Assert.Contains(await db.Anomalies.Where(a => a.PaymentId == sale.Id).Select(a => a.Kind).ToListAsync(Ct), k => k == AnomalyKind.NetMismatch);
    }

    [Fact]
    public async Task Upsert_UnmappablePayment_SkippedAndTheRestOfThePageStored()
    {
        var good = SyncTestKit.Sale(_seller, 50m, null, Now, TimeSpan.FromDays(1));
        var bad = SyncTestKit.Sale(_seller, 50m, null, Now, TimeSpan.FromDays(1)) with { Status = "desconocido" };

        var outcomes = await _upserter.UpsertAsync(_organizerId, [bad, good], Ct);

        Assert.Equal([new PaymentUpsertOutcome(good.Id, PaymentUpsertResult.Created)], outcomes);
        Assert.Null(await SyncTestKit.StoredPaymentAsync(_database, bad.Id, Ct));
    }

    [Fact]
    public async Task Upsert_TwoWritersRacingWithVersionsInAnyOrder_NewestWinsOnceWithoutDuplicates()
    {
        var reference = await SyncTestKit.NewPurchaseAsync(_database, _organizerId, _eventId, 300m, Ct);
        var versions = new List<MpPayment> { SyncTestKit.Sale(_seller, 300m, reference, Now, TimeSpan.FromDays(30)) };
        versions.Add(SyncTestKit.Refunded(versions[^1], 20m, Now - TimeSpan.FromDays(20)));
        versions.Add(SyncTestKit.Refunded(versions[^1], 30m, Now - TimeSpan.FromDays(10)));
        versions.Add(SyncTestKit.ChargedBack(versions[^1], "in_process", Now - TimeSpan.FromDays(5)));
        await using var second = BuildServices(_database, null, null);
        var other = second.GetRequiredService<IPaymentUpserter>();

        // Each writer sends every version (webhooks out of order, the sync in order) many times at once.
        var tasks = new List<Task>();
        for (var round = 0; round < 4; round++)
        {
            tasks.Add(Task.Run(async () => { foreach (var v in versions) await _upserter.UpsertAsync(_organizerId, [v], Ct); }, Ct));
            tasks.Add(Task.Run(async () => { foreach (var v in Enumerable.Reverse(versions)) await other.UpsertAsync(_organizerId, [v], Ct); }, Ct));
        }

        await Task.WhenAll(tasks);

        var stored = await SyncTestKit.StoredPaymentAsync(_database, versions[0].Id, Ct);
        Assert.Equal((PaymentStatus.ChargedBack, "in_process"), (stored!.Status, stored.StatusDetail));
        Assert.Equal(2, stored.Refunds.Count);
        Assert.Equal(2, stored.Fees.Count);
        Assert.Equal(stored.StatusHistory.Count, stored.StatusHistory.Select(h => (h.Status, h.StatusDetail)).Distinct().Count());
        Assert.Equal(await SyncTestKit.ExpectedLedgerAsync(_database, _organizerId, [versions[^1]], Ct), await SyncTestKit.StoredLedgerAsync(_database, _organizerId, Ct));
    }

    [Fact]
    public async Task Upsert_WithASource_CountsPaymentsBySourceAndResult()
    {
        using var recorder = new MeterRecorder(_services.GetRequiredService<IMeterFactory>(), "billingportal.mp.payments.upserted");
        var sale = SyncTestKit.Sale(_seller, 40m, null, Now, TimeSpan.FromDays(1));

        await _upserter.UpsertAsync(_organizerId, [sale], PaymentUpsertSources.Sync, Ct);
        await _upserter.UpsertAsync(_organizerId, [sale], PaymentUpsertSources.Webhook, Ct);
        await _upserter.UpsertAsync(_organizerId, [SyncTestKit.Released(sale, Now)], Ct);

        Assert.Equal(1, recorder.Sum(("source", "sync"), ("result", "created")));
        Assert.Equal(1, recorder.Sum(("source", "webhook"), ("result", "unchanged")));
        Assert.Equal(1, recorder.Sum(("source", "other"), ("result", "updated")));
        Assert.Equal(0, recorder.Sum(("result", "stale")));
    }

    [Fact]
    public async Task Upsert_NotifierRegistered_PublishesCreatedAndUpdatedOnly()
    {
        var notifier = new RecordingNotifier();
        await using var services = BuildServices(_database, null, s => s.AddSingleton<IPaymentChangeNotifier>(notifier));
        var upserter = services.GetRequiredService<IPaymentUpserter>();
        var sale = SyncTestKit.Sale(_seller, 40m, null, Now, TimeSpan.FromDays(1));

        await upserter.UpsertAsync(_organizerId, [sale], Ct);
        await upserter.UpsertAsync(_organizerId, [sale], Ct);
        await upserter.UpsertAsync(_organizerId, [SyncTestKit.Refunded(sale, null, Now)], Ct);

        Assert.Equal(
            [(sale.Id, PaymentUpsertResult.Created), (sale.Id, PaymentUpsertResult.Updated)],
            notifier.Published.Select(c => (c.PaymentId, c.Result)));
        Assert.All(notifier.Published, c => Assert.Equal(_organizerId, c.OrganizerId));
    }

    /// <summary>Records what the upserter publishes (the live notifier is another part's; this only listens).</summary>
    private sealed class RecordingNotifier : IPaymentChangeNotifier
    {
        public ConcurrentQueue<PaymentChange> Published { get; } = new();

        public void Publish(IReadOnlyList<PaymentChange> changes)
        {
            foreach (var change in changes) Published.Enqueue(change);
        }

        public IDisposable Subscribe(int organizerId, Func<IReadOnlyList<PaymentChange>, Task> onChanges) => throw new NotSupportedException();
    }
}
