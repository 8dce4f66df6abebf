using System.Diagnostics;
using System.Security.Cryptography;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Payments;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.Demo;

/// <summary>What to generate: <see cref="Purchases"/> purchases (with their payments) from a deterministic seed.</summary>
public sealed record SeedRequest(int Purchases, int Seed)
{
    public const int DefaultScale = 20_000;
    public const int DefaultSeed = 42;
    public const int MaxScale = 5_000_000;

    /// <summary>The Lima date the data ends before (purchases cover the 365 days before it); null: today in Lima.</summary>
    public DateOnly? AnchorDate { get; init; }

    /// <summary>Delete everything in the database (and the sandbox store) first instead of refusing a non-empty database.</summary>
    public bool Reset { get; init; }

    /// <summary>Tests only: use the EF batched writer (the SQL Server path) even on SQLite.</summary>
    internal bool UseEntityFrameworkWriter { get; init; }
}

/// <summary>What the seeder wrote.</summary>
public sealed record SeedResult(int Organizers, int Events, int Purchases, int Payments, int LedgerEntries, TimeSpan Elapsed)
{
    /// <summary>The Lima date the data was anchored to.</summary>
    public DateOnly AnchorDate { get; init; }

    /// <summary>Approved refunds written.</summary>
    public int Refunds { get; init; }

    /// <summary>Payments in status charged_back.</summary>
    public int Chargebacks { get; init; }

    /// <summary>Anomalies found by the detector (only the injected ones, by construction).</summary>
    public int Anomalies { get; init; }

    /// <summary>Ids of the payments that carry a deliberately injected anomaly.</summary>
    public IReadOnlyList<long> InjectedAnomalyPaymentIds { get; init; } = [];

    /// <summary>Payments written to the Mercado Pago sandbox store (0 when none is registered).</summary>
    public int SandboxPayments { get; init; }

    /// <summary>SHA-256 (hex) of the generated content: equal for equal (purchases, seed, anchor date).</summary>
    public string ContentHash { get; init; } = "";

    public override string ToString() =>
        $"Seeded {Organizers} organizers, {Events} events, {Purchases} purchases, {Payments} payments, {LedgerEntries} ledger entries in {Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s " +
        $"(anchor {AnchorDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, {Refunds} refunds, {Chargebacks} chargebacks, {Anomalies} anomalies, sandbox {SandboxPayments}, hash {ContentHash[..Math.Min(16, ContentHash.Length)]})";
}

/// <summary>
/// Deterministic demo data: from (purchases, seed, anchor date) it writes the same organizers, commission plans,
/// events, purchases and Mercado Pago payments every time, into the portal database (payments mapped by
/// <see cref="MercadoPago.PaymentMapper"/>, ledger by <see cref="Billing.Ledger.LedgerEngine"/>, anomalies by
/// <see cref="Billing.Anomalies.AnomalyDetector"/>) and, when registered, into the sandbox's payment store as JSON.
/// </summary>
/// <remarks>
/// A database that already has organizers is refused (<see cref="DemoDatabaseNotEmptyException"/>) unless
/// <see cref="SeedRequest.Reset"/> asks to delete everything first. The portal side is one transaction: a failed
/// seed leaves the database as it was. SQLite gets raw prepared inserts (<see cref="SqliteDemoWriter"/>), other
/// providers EF batched inserts (<see cref="EfDemoWriter"/>). Days are generated in parallel and written in order.
/// See <see cref="DemoDataGenerator"/> and <see cref="DemoCatalog"/> for the rates and names used.
/// </remarks>
public sealed class DemoSeeder(
    IDbContextFactory<BillingDbContext> factory,
    TimeProvider time,
    ILogger<DemoSeeder> logger,
    IEnumerable<IDemoPaymentSink> sinks,
    IReportCacheInvalidator? reports = null)
{
    /// <summary>Seeds of at least this many purchases log their progress every 10%.</summary>
    private const int ProgressThreshold = 100_000;

    public async Task<SeedResult> SeedAsync(SeedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Purchases, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Purchases, SeedRequest.MaxScale);
        var stopwatch = Stopwatch.StartNew();
        var anchor = request.AnchorDate ?? AccountingCalendar.Lima.LocalDate(time.GetUtcNow());

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (await db.Organizers.AnyAsync(cancellationToken))
        {
            if (!request.Reset) throw new DemoDatabaseNotEmptyException();
            logger.LogWarning("Demo seed: --reset deletes every row of the database before seeding");
            await DemoDatabaseReset.ResetAsync(db, cancellationToken);
            if (reports is not null) await reports.InvalidateAllAsync(CancellationToken.None);
        }

        var sqlite = db.Database.IsSqlite();
        var restore = sqlite ? await TuneSqliteAsync(db, cancellationToken) : null;
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            var result = await strategy.ExecuteAsync(
                ct => SeedInTransactionAsync(db, request, anchor, sqlite && !request.UseEntityFrameworkWriter, ct),
                cancellationToken);

            // Every organizer's figures changed (committed): no cached report of before may be served.
            if (reports is not null) await reports.InvalidateAllAsync(CancellationToken.None);
            return result with { Elapsed = stopwatch.Elapsed };
        }
        finally
        {
            if (restore is not null) await restore();
        }
    }

    private async Task<SeedResult> SeedInTransactionAsync(BillingDbContext db, SeedRequest request, DateOnly anchor, bool rawSqlite, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var world = new DemoWorld(request.Purchases, request.Seed, anchor);
        var generator = new DemoDataGenerator(world);
        logger.LogInformation(
            "Demo seed: {Purchases} purchases, seed {Seed}, anchor {Anchor}: {Organizers} organizers, {Events} events",
            request.Purchases, request.Seed, anchor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), world.Organizers.Count, world.Events.Count);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.CommissionPlans.AddRange(world.Plans);
        db.Organizers.AddRange(world.Organizers.Select(o => o.Entity));
        db.Events.AddRange(world.Events.Select(e => e.Entity));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        var sink = sinks.FirstOrDefault();
        if (sink is not null)
        {
            var sellers = world.Organizers
                .Select(o => new DemoSeller(o.CollectorId, o.Template.Slug.ToUpperInvariant(), $"mercadopago@{o.Template.Slug}.example", o.Entity.LegalName))
                .ToList();
            await sink.ReplaceSellersAsync(sellers, cancellationToken);
        }

        await using var sinkWriter = sink is null ? null : await sink.BeginReplaceAsync(cancellationToken);
        var sqliteWriter = rawSqlite ? new SqliteDemoWriter(db) : null;
        IDemoDatabaseWriter writer = sqliteWriter ?? (IDemoDatabaseWriter)new EfDemoWriter(db);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var contentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var counts = new Counts();
        var timings = new Timings();
        var injected = new List<long>();
        var pending = new Queue<Task<DemoDay>>();
        var nextDay = 0;
        var lookahead = Math.Max(2, Environment.ProcessorCount);
        var nextProgress = 0.1;
        Task? sinkCompletion = null;
        try
        {
            while (true)
            {
                while (pending.Count < lookahead && nextDay < DemoWorld.Days)
                {
                    var d = nextDay++;
                    pending.Enqueue(Task.Run(() => generator.GenerateDay(d), stop.Token));
                }

                if (pending.Count == 0) break;
                var waitStarted = Stopwatch.GetTimestamp();
                var day = await pending.Dequeue();
                timings.WaitingForGeneration += Stopwatch.GetElapsedTime(waitStarted);
                contentHash.AppendData(day.Hash);
                var documents = sinkWriter is null
                    ? null
                    : day.Sales.SelectMany(s => s.Payments).Select(p => DemoPaymentDocument.From(p.Mp, p.Json)).ToList();
                var databaseTask = Task.Run(
                    async () =>
                    {
                        var started = Stopwatch.GetTimestamp();
                        await writer.WriteAsync(day, stop.Token);
                        timings.Database += Stopwatch.GetElapsedTime(started);
                    },
                    stop.Token);
                var sinkTask = documents is null
                    ? Task.CompletedTask
                    : Task.Run(
                        async () =>
                        {
                            var started = Stopwatch.GetTimestamp();
                            await sinkWriter!.WriteAsync(documents, stop.Token);
                            timings.Sink += Stopwatch.GetElapsedTime(started);
                        },
                        stop.Token);
                await Task.WhenAll(databaseTask, sinkTask);
                counts.Add(day, injected);
                if (request.Purchases >= ProgressThreshold && counts.Purchases >= nextProgress * request.Purchases && nextProgress < 1)
                {
                    logger.LogInformation("Demo seed: {Done}/{Total} purchases written", counts.Purchases, request.Purchases);
                    nextProgress += 0.1;
                }
            }

            // The sandbox builds its indexes while the portal rebuilds its own and commits (two files, two cores).
            sinkCompletion = sinkWriter is null
                ? Task.CompletedTask
                : Task.Run(
                    async () =>
                    {
                        var started = Stopwatch.GetTimestamp();
                        await sinkWriter.CompleteAsync(cancellationToken);
                        timings.SinkComplete = Stopwatch.GetElapsedTime(started);
                    },
                    cancellationToken);
            var finishing = Stopwatch.GetTimestamp();
            sqliteWriter?.RestoreIndexes();
            timings.Indexes = Stopwatch.GetElapsedTime(finishing);
            sqliteWriter?.Dispose();
            sqliteWriter = null;
            finishing = Stopwatch.GetTimestamp();
            await LedgerRollups.RebuildAsync(db, organizerId: null, cancellationToken);
            timings.Rollups = Stopwatch.GetElapsedTime(finishing);
            finishing = Stopwatch.GetTimestamp();
            await transaction.CommitAsync(cancellationToken);
            timings.Commit = Stopwatch.GetElapsedTime(finishing);
            await sinkCompletion;
            logger.LogInformation(
                "Demo seed timings: waiting for generation {Generation:0.0} s, database inserts {Database:0.0} s, database indexes {Indexes:0.0} s, ledger rollups {Rollups:0.0} s, sandbox inserts {Sink:0.0} s, commit {Commit:0.0} s, sandbox indexes {SinkComplete:0.0} s",
                timings.WaitingForGeneration.TotalSeconds, timings.Database.TotalSeconds, timings.Indexes.TotalSeconds, timings.Rollups.TotalSeconds, timings.Sink.TotalSeconds, timings.Commit.TotalSeconds, timings.SinkComplete.TotalSeconds);
        }
        finally
        {
            await stop.CancelAsync();
            sqliteWriter?.Dispose();
            if (sinkCompletion is { IsCompleted: false })
            {
                // The portal failed while the sandbox was finishing: let it finish before the writer is disposed.
                await sinkCompletion.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            // Days generated ahead and no longer needed after a failure: observe them without masking the failure.
            foreach (var task in pending)
                await task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return new SeedResult(world.Organizers.Count, world.Events.Count, counts.Purchases, counts.Payments, counts.LedgerEntries, TimeSpan.Zero)
        {
            AnchorDate = anchor,
            Refunds = counts.Refunds,
            Chargebacks = counts.Chargebacks,
            Anomalies = counts.Anomalies,
            InjectedAnomalyPaymentIds = injected,
            SandboxPayments = sinkWriter is null ? 0 : counts.Payments,
            ContentHash = Convert.ToHexStringLower(contentHash.GetHashAndReset()),
        };
    }

    /// <summary>
    /// Bulk-load settings for the seeder's connection: no fsync per commit, a 256 MB page cache, temp tables in
    /// memory, and a rollback journal instead of WAL while the one big transaction runs (new pages are then written
    /// once, where WAL writes them to the log and again at the checkpoint; a crash still rolls the seed back).
    /// Leaving WAL needs the only connection to the file: idle pooled ones are closed first, and if another is busy
    /// the seed simply runs in WAL. Returns how to put everything back, since the connection returns to the pool.
    /// </summary>
    private static async Task<Func<Task>> TuneSqliteAsync(BillingDbContext db, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var synchronous = await ScalarAsync(connection, "PRAGMA synchronous", cancellationToken);
        var cacheSize = await ScalarAsync(connection, "PRAGMA cache_size", cancellationToken);
        var tempStore = await ScalarAsync(connection, "PRAGMA temp_store", cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;", cancellationToken);
        SqliteConnection.ClearPool(connection);
        var journal = await TrySetJournalModeAsync(connection, "DELETE", cancellationToken);
        return async () =>
        {
            if (string.Equals(journal, "delete", StringComparison.OrdinalIgnoreCase))
                await TrySetJournalModeAsync(connection, "WAL", CancellationToken.None);
            await ExecuteAsync(
                connection,
                $"PRAGMA synchronous = {synchronous}; PRAGMA cache_size = {cacheSize}; PRAGMA temp_store = {tempStore};",
                CancellationToken.None);
        };
    }

    /// <summary>Sets the journal mode if no other connection prevents it; returns the mode in force afterwards.</summary>
    private static async Task<string> TrySetJournalModeAsync(SqliteConnection connection, string mode, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode = {mode}";
        command.CommandTimeout = 1;
        try
        {
            return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "";
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            // SQLITE_BUSY / SQLITE_LOCKED: another connection holds the file; keep the current mode.
            command.CommandText = "PRAGMA journal_mode";
            return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "";
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Where the seed's wall time went (logged; the benchmark quotes it).</summary>
    private sealed class Timings
    {
        public TimeSpan WaitingForGeneration { get; set; }

        public TimeSpan Database { get; set; }

        public TimeSpan Sink { get; set; }

        public TimeSpan Indexes { get; set; }

        public TimeSpan Commit { get; set; }

        public TimeSpan Rollups { get; set; }

        public TimeSpan SinkComplete { get; set; }
    }

    private sealed class Counts
    {
        public int Purchases { get; private set; }

        public int Payments { get; private set; }

        public int LedgerEntries { get; private set; }

        public int Refunds { get; private set; }

        public int Chargebacks { get; private set; }

        public int Anomalies { get; private set; }

        public void Add(DemoDay day, List<long> injected)
        {
            Purchases += day.Sales.Count;
            foreach (var sale in day.Sales)
            {
                foreach (var record in sale.Payments)
                {
                    Payments++;
                    LedgerEntries += record.Ledger.Count;
                    Anomalies += record.Anomalies.Count;
                    Refunds += record.Entity.Refunds.Count(r => r.Status == MercadoPago.MercadoPagoRefundStatuses.Approved);
                    if (record.Entity.Status == PaymentStatus.ChargedBack) Chargebacks++;
                    if (record.Injected is not null) injected.Add(record.Entity.Id);
                }
            }
        }
    }
}
