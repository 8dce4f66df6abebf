using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Demo;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Unit.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Demo;

public sealed class DemoSeederTests : IAsyncLifetime
{
    private const int Scale = 1_500;
    private readonly List<SqliteTestDatabase> _databases = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases) await database.DisposeAsync();
    }

    [Fact]
    public async Task SeedAsync_FreshDatabase_StoredLedgerEqualsLedgerEngineOverStoredPayments()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, store, seeder) = await CreateAsync(ct);

        var result = await seeder.SeedAsync(new SeedRequest(Scale, 42) { AnchorDate = GeneratedDemo.Anchor }, ct);

        await using var db = database.CreateContext();
        var organizers = await db.Organizers.AsNoTracking().Include(o => o.CommissionPlan).ToDictionaryAsync(o => o.Id, ct);
        var eventPlans = await db.Events.AsNoTracking().Include(e => e.CommissionPlan).ToDictionaryAsync(e => e.Id, e => e.CommissionPlan, ct);
        var payments = await db.Payments.AsNoTracking().Include(p => p.Fees).Include(p => p.Refunds).Include(p => p.StatusHistory).AsSplitQuery().ToListAsync(ct);
        var stored = await db.LedgerEntries.AsNoTracking().ToListAsync(ct);
        var expected = payments
            .SelectMany(p => LedgerEngine.Compute(p, LedgerPolicy.From((p.EventId is { } e ? eventPlans[e] : null) ?? organizers[p.OrganizerId].CommissionPlan!), AccountingCalendar.Lima))
            .ToList();

        Assert.Equal(Scale, await db.Purchases.CountAsync(ct));
        Assert.Equal(result.Payments, payments.Count);
        Assert.Equal(result.LedgerEntries, stored.Count);
        Assert.Equal(Key(expected), Key(stored));
        Assert.Equal(result.InjectedAnomalyPaymentIds.Order(), (await db.Anomalies.Select(a => a.PaymentId!.Value).ToListAsync(ct)).Order());
        Assert.All(organizers.Values, o => Assert.NotNull(o.MercadoPagoUserId));
        Assert.Equal(["ok"], DatabaseDump.Pragma(database.FilePath, "integrity_check"));
        Assert.Empty(DatabaseDump.Pragma(database.FilePath, "foreign_key_check"));
        Assert.Equal(result.Payments, await store.CountAsync(null, ct));
    }

    [Fact]
    public async Task SeedAsync_BulkLoad_PutsEveryIndexAndTheWalJournalBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, _, seeder) = await CreateAsync(ct);
        var before = DatabaseDump.Indexes(database.FilePath);

        await seeder.SeedAsync(new SeedRequest(300, 1) { AnchorDate = GeneratedDemo.Anchor }, ct);

        Assert.Contains(before, i => i.StartsWith("IX_Purchases_ExternalId", StringComparison.Ordinal));
        Assert.Equal(before, DatabaseDump.Indexes(database.FilePath));
        Assert.Equal(["wal"], DatabaseDump.Pragma(database.FilePath, "journal_mode"));
    }

    [Fact]
    public async Task SeedAsync_SameRequest_IdenticalDatabasesAndSandbox_AndTheGeneratorsHash()
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, firstStore, firstSeeder) = await CreateAsync(ct);
        var (second, secondStore, secondSeeder) = await CreateAsync(ct);
        var (third, _, thirdSeeder) = await CreateAsync(ct);
        var request = new SeedRequest(Scale, 42) { AnchorDate = GeneratedDemo.Anchor };

        var a = await firstSeeder.SeedAsync(request, ct);
        var b = await secondSeeder.SeedAsync(request, ct);
        var c = await thirdSeeder.SeedAsync(request with { Seed = 43 }, ct);

        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.Equal(new GeneratedDemo(Scale, 42, GeneratedDemo.Anchor).ContentHash, a.ContentHash);
        Assert.Equal(DatabaseDump.Hash(first.FilePath), DatabaseDump.Hash(second.FilePath));
        Assert.Equal(DatabaseDump.Hash(firstStore.FilePath), DatabaseDump.Hash(secondStore.FilePath));
        Assert.NotEqual(a.ContentHash, c.ContentHash);
        Assert.NotEqual(DatabaseDump.Hash(first.FilePath), DatabaseDump.Hash(third.FilePath));
    }

    [Fact]
    public async Task SeedAsync_EntityFrameworkPath_WritesTheSameDatabaseAsTheRawPath()
    {
        var ct = TestContext.Current.CancellationToken;
        var (raw, _, rawSeeder) = await CreateAsync(ct);
        var (ef, _, efSeeder) = await CreateAsync(ct);
        var request = new SeedRequest(600, 5) { AnchorDate = GeneratedDemo.Anchor };

        await rawSeeder.SeedAsync(request, ct);
        await efSeeder.SeedAsync(request with { UseEntityFrameworkWriter = true }, ct);

        Assert.Equal(DatabaseDump.Hash(raw.FilePath), DatabaseDump.Hash(ef.FilePath));
    }

    [Fact]
    public async Task SeedAsync_DatabaseWithOrganizers_IsRefusedAndLeftUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, _, seeder) = await CreateAsync(ct);
        await seeder.SeedAsync(new SeedRequest(200, 1) { AnchorDate = GeneratedDemo.Anchor }, ct);
        var before = DatabaseDump.Hash(database.FilePath);

        var error = await Assert.ThrowsAsync<DemoDatabaseNotEmptyException>(() => seeder.SeedAsync(new SeedRequest(200, 2) { AnchorDate = GeneratedDemo.Anchor }, ct));

        Assert.Contains("--reset", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, DatabaseDump.Hash(database.FilePath));
    }

    [Fact]
    public async Task SeedAsync_Reset_ReplacesEverythingAsOnAFreshFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var (reused, reusedStore, reusedSeeder) = await CreateAsync(ct);
        var (fresh, freshStore, freshSeeder) = await CreateAsync(ct);
        await reusedSeeder.SeedAsync(new SeedRequest(700, 9) { AnchorDate = GeneratedDemo.Anchor.AddDays(-30) }, ct);

        var request = new SeedRequest(400, 3) { AnchorDate = GeneratedDemo.Anchor };
        await reusedSeeder.SeedAsync(request with { Reset = true }, ct);
        await freshSeeder.SeedAsync(request, ct);

        Assert.Equal(DatabaseDump.Hash(fresh.FilePath), DatabaseDump.Hash(reused.FilePath));
        Assert.Equal(DatabaseDump.Hash(freshStore.FilePath), DatabaseDump.Hash(reusedStore.FilePath));
    }

    [Fact]
    public async Task SeedAsync_NoAnchor_UsesTodayInLimaFromTheTimeProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, _, _) = await CreateAsync(ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 4, 30, 0, TimeSpan.Zero)); // 23:30 on 28 Feb in Lima
        var seeder = new DemoSeeder(database.Factory, time, NullLogger<DemoSeeder>.Instance, []);

        var result = await seeder.SeedAsync(new SeedRequest(100, 1), ct);

        await using var db = database.CreateContext();
        Assert.Equal(new DateOnly(2026, 2, 28), result.AnchorDate);
        Assert.Equal(0, result.SandboxPayments);
        Assert.True(await db.Purchases.AllAsync(p => p.CreatedAt < new DateTimeOffset(2026, 2, 28, 5, 0, 0, TimeSpan.Zero), ct));
    }

    [Fact]
    public async Task SeedAsync_SandboxJson_MapsToTheStoredPayments()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, store, seeder) = await CreateAsync(ct);
        await seeder.SeedAsync(new SeedRequest(500, 4) { AnchorDate = GeneratedDemo.Anchor }, ct);

        await using var db = database.CreateContext();
        var purchases = await db.Purchases.AsNoTracking().ToDictionaryAsync(p => p.ExternalId, ct);
        var payments = await db.Payments.AsNoTracking().Include(p => p.Fees).Include(p => p.Refunds).AsSplitQuery().ToListAsync(ct);
        foreach (var payment in payments.Where((_, i) => i % 10 == 0))
        {
            var fromSandbox = await store.GetAsync(payment.Id, ct);
            var mapped = PaymentMapper.ToEntity(fromSandbox!, payment.OrganizerId, purchases[fromSandbox!.ExternalReference!], payment.SyncedAt);
            Assert.Equal(
                (payment.Status, payment.StatusDetail, payment.TransactionAmount, payment.NetReceivedAmount, payment.MercadoPagoFee, payment.ApplicationFee, payment.PurchaseId, payment.DateLastUpdated, payment.MoneyReleaseDate),
                (mapped.Status, mapped.StatusDetail, mapped.TransactionAmount, mapped.NetReceivedAmount, mapped.MercadoPagoFee, mapped.ApplicationFee, mapped.PurchaseId, mapped.DateLastUpdated, mapped.MoneyReleaseDate));
            Assert.Equal(payment.Refunds.Select(r => (r.Id, r.Amount, r.DateCreated)).Order(), mapped.Refunds.Select(r => (r.Id, r.Amount, r.DateCreated)).Order());
        }
    }

    private static List<string> Key(IEnumerable<LedgerEntry> entries) =>
    [
        .. entries
            .Select(e => string.Join(
                '|',
                e.PaymentId, e.Kind, e.RefundId, e.OccurredAt.UtcTicks, e.LocalDate, e.Tickets,
                Amount(e.Gross), Amount(e.MercadoPagoFee), Amount(e.CommissionBase), Amount(e.CommissionIgv), Amount(e.OtherFees), Amount(e.Net),
                e.Currency, e.PaymentMethodId, e.PaymentTypeId, e.PaymentStatus, e.MoneyReleaseDate?.UtcTicks, e.ReleaseLocalDate, e.ReleaseState, e.EventId, e.OrganizerId))
            .Order(StringComparer.Ordinal),
    ];

    private static string Amount(decimal value) => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(SqliteTestDatabase Database, MercadoPagoSandboxStore Store, DemoSeeder Seeder)> CreateAsync(CancellationToken ct)
    {
        var database = await SqliteTestDatabase.CreateAsync(ct);
        _databases.Add(database);
        var store = new MercadoPagoSandboxStore(Path.Combine(database.Directory, MercadoPagoSandboxStore.FileName));
        var accounts = new SandboxAccounts(store, new SandboxClock());
        var seeder = new DemoSeeder(database.Factory, TimeProvider.System, NullLogger<DemoSeeder>.Instance, [new SandboxDemoSink(store, accounts)]);
        return (database, store, seeder);
    }
}
