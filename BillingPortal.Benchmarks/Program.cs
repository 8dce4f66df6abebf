using System.Diagnostics;
using System.Globalization;
using BillingPortal.Benchmarks;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

// Seed benchmark (run by hand, in Release; see docs/performance.md):
//   dotnet run -c Release --project BillingPortal.Benchmarks -- [--scale 1000000] [--seed 42] [--anchor 2026-11-28] [--dir /tmp/x] [--keep]
//     [--entity-framework]   write through EF batched inserts (the SQL Server path) instead of raw SQLite inserts
//     [--generate-only]      generate in memory on every core, write nothing (the CPU cost of the generator alone)
// Seeds a fresh SQLite portal database and the Mercado Pago sandbox store, then prints time, throughput, memory and sizes.
// Sync benchmark (issue #5: first sync of one seller's payments through the emulator over HTTP):
//   dotnet run -c Release --project BillingPortal.Benchmarks -- --sync [--payments 100000] [--page-size 100] [--dir /tmp/x] [--keep]
if (args.Contains("--sync")) return await SyncBenchmark.RunAsync([.. args.Where(a => a != "--sync")]);
// Webhook intake benchmark: see WebhookBenchmark.cs and docs/performance.md.
//   dotnet run -c Release --project BillingPortal.Benchmarks -- --webhooks [--clients 32] [--duration 20] [--no-kill] [--no-processor] [--env NAME=VALUE] [--portal path/BillingPortal.dll]
if (args.Contains("--webhooks")) return await WebhookBenchmark.RunAsync(args);
// Dashboard benchmark (issue #6: one organizer with a million sales; rollups vs raw payments vs ledger; 50 signed-in users):
//   dotnet run -c Release --project BillingPortal.Benchmarks -- --dashboard [--dir D] [--keep] [--runs 30] [--clients 50] [--duration 30] [--think MS] [--no-load] [--no-queries] [--portal path/BillingPortal.dll]
if (args.Contains("--dashboard")) return await DashboardBenchmark.RunAsync(args);
// Statements benchmark (issue #7 §9: Excel 1M lines with MiniExcel vs 100k with ClosedXML, PDF 10k, CSV 1M, a cached statement;
// each in a child process of its own, re-invoked as --statements-one FORMAT LINES; see StatementsBenchmark.cs):
//   dotnet run -c Release --project BillingPortal.Benchmarks -- --statements [--dir D [--org 1]] [--excel-lines 1000000] [--closedxml-lines 100000]
//     [--pdf-lines 10000] [--csv-lines 1000000] [--hits 1000] [--cache-scale 3000] [--only excel,closedxml,pdf,csv,cache] [--keep-files]
if (args.Contains("--statements-one")) return await StatementsBenchmark.RunOneAsync(args);
if (args.Contains("--statements")) return await StatementsBenchmark.RunAsync(args);
if (args.Contains("--transactions")) return await TransactionsBenchmark.RunAsync([.. args.Where(a => a != "--transactions")]);

var options = BenchmarkOptions.Parse(args);
if (options.GenerateOnly)
{
    // Generation alone (no database): where the CPU goes before any write.
    var world = new DemoWorld(options.Scale, options.Seed, options.Anchor ?? new DateOnly(2026, 11, 28));
    world.AssignSequentialIds();
    var generator = new DemoDataGenerator(world);
    var watch = Stopwatch.StartNew();
    long generated = 0, bytes = 0;
    Parallel.For(0, DemoWorld.Days, d =>
    {
        var day = generator.GenerateDay(d);
        Interlocked.Add(ref generated, day.PaymentCount);
        Interlocked.Add(ref bytes, day.Sales.Sum(s => s.Payments.Sum(p => (long)p.Json.Length)));
    });
    Console.WriteLine($"Generated {generated.ToString("N0", CultureInfo.InvariantCulture)} payments ({(bytes / 1024d / 1024d).ToString("N0", CultureInfo.InvariantCulture)} MB of JSON) in {watch.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s on {Environment.ProcessorCount} cores; GC gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:N0} ms, allocated {GC.GetTotalAllocatedBytes() / 1024 / 1024:N0} MB");
    return 0;
}

var directory = options.Directory ?? Path.Combine(Path.GetTempPath(), "billingportal-bench-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
Directory.CreateDirectory(directory);

var database = new DatabaseOptions { DataDirectory = directory };
var connectionString = DataServiceCollectionExtensions.SqliteConnectionString(database, directory);
var factory = new BenchmarkContextFactory(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(connectionString).Options);
await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
var store = new MercadoPagoSandboxStore(Path.Combine(directory, MercadoPagoSandboxStore.FileName));
var seeder = new DemoSeeder(factory, TimeProvider.System, new ConsoleLogger<DemoSeeder>(), [new SandboxDemoSink(store, new SandboxAccounts(store, new SandboxClock()))]);

Console.WriteLine($"Seeding {options.Scale.ToString("N0", CultureInfo.InvariantCulture)} purchases (seed {options.Seed}) into {directory}");
using var memory = new PeakMemorySampler();
var stopwatch = Stopwatch.StartNew();
var result = await seeder.SeedAsync(new SeedRequest(options.Scale, options.Seed) { AnchorDate = options.Anchor, UseEntityFrameworkWriter = options.EntityFramework }, CancellationToken.None);
stopwatch.Stop();
memory.Stop();
Console.WriteLine(result.ToString());

var rows = new List<(string Table, long Rows)>();
await using (var db = factory.CreateDbContext())
{
    rows.Add(("Purchases", await db.Purchases.LongCountAsync()));
    rows.Add(("Payments", await db.Payments.LongCountAsync()));
    rows.Add(("PaymentFees", await db.PaymentFees.LongCountAsync()));
    rows.Add(("PaymentRefunds", await db.PaymentRefunds.LongCountAsync()));
    rows.Add(("PaymentStatusChanges", await db.PaymentStatusChanges.LongCountAsync()));
    rows.Add(("LedgerEntries", await db.LedgerEntries.LongCountAsync()));
    rows.Add(("Anomalies", await db.Anomalies.LongCountAsync()));
}

var sandboxRows = await store.CountAsync(null, CancellationToken.None);
rows.Add(("sandbox payments", sandboxRows));
var totalRows = rows.Sum(r => r.Rows);
var seconds = stopwatch.Elapsed.TotalSeconds;

// Two reads the portal and the emulator will do on this data, timed once each (warm).
var demoOrganizer = 1;
var collector = 0L;
await using (var db = factory.CreateDbContext())
{
    collector = (await db.Organizers.SingleAsync(o => o.Id == demoOrganizer)).MercadoPagoUserId!.Value;
}

var lastMonth = DatePeriod.Month(result.AnchorDate.AddMonths(-1).Year, result.AnchorDate.AddMonths(-1).Month);
var queries = new LedgerQueries(factory);
var queryWatch = Stopwatch.StartNew();
var summary = await queries.GetPeriodSummaryAsync(demoOrganizer, lastMonth, null, CancellationToken.None);
var summaryMs = queryWatch.Elapsed.TotalMilliseconds;
queryWatch.Restart();
var page = await store.SearchAsync(new SandboxPaymentQuery { CollectorId = collector, Sort = SandboxPaymentField.DateCreated, Descending = true, Limit = 100, Offset = 1000 }, CancellationToken.None);
var searchMs = queryWatch.Elapsed.TotalMilliseconds;

SqliteConnection.ClearAllPools();
long Size(string file) => File.Exists(Path.Combine(directory, file)) ? new FileInfo(Path.Combine(directory, file)).Length : 0;
string Mb(long bytes) => (bytes / 1024d / 1024d).ToString("N1", CultureInfo.InvariantCulture) + " MB";

Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| purchases | {result.Purchases.ToString("N0", CultureInfo.InvariantCulture)} |");
Console.WriteLine($"| payments | {result.Payments.ToString("N0", CultureInfo.InvariantCulture)} |");
Console.WriteLine($"| elapsed (seed) | {seconds.ToString("N1", CultureInfo.InvariantCulture)} s |");
Console.WriteLine($"| purchases/s | {(result.Purchases / seconds).ToString("N0", CultureInfo.InvariantCulture)} |");
Console.WriteLine($"| rows written (all tables, both files) | {totalRows.ToString("N0", CultureInfo.InvariantCulture)} |");
Console.WriteLine($"| rows/s | {(totalRows / seconds).ToString("N0", CultureInfo.InvariantCulture)} |");
Console.WriteLine($"| GC | gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, pauses {GC.GetTotalPauseDuration().TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s, allocated {(GC.GetTotalAllocatedBytes() / 1024d / 1024d / 1024d).ToString("N1", CultureInfo.InvariantCulture)} GB |");
Console.WriteLine($"| peak working set | {Mb(Math.Max(memory.Peak, Environment.WorkingSet))} (process peak {Mb(Process.GetCurrentProcess().PeakWorkingSet64)}) |");
Console.WriteLine($"| billingportal.db | {Mb(Size(database.SqliteFileName))} (+ wal {Mb(Size(database.SqliteFileName + "-wal"))}) |");
Console.WriteLine($"| sandbox-mercadopago.db | {Mb(Size(MercadoPagoSandboxStore.FileName))} (+ wal {Mb(Size(MercadoPagoSandboxStore.FileName + "-wal"))}) |");
Console.WriteLine($"| ledger period summary, demo organizer, {lastMonth} | {summaryMs.ToString("N0", CultureInfo.InvariantCulture)} ms ({summary.Sales.ToString("N0", CultureInfo.InvariantCulture)} sales) |");
Console.WriteLine($"| sandbox search, demo collector, newest first, offset 1000, limit 100 | {searchMs.ToString("N0", CultureInfo.InvariantCulture)} ms (total {page.Total.ToString("N0", CultureInfo.InvariantCulture)}) |");
Console.WriteLine();
foreach (var (table, count) in rows) Console.WriteLine($"  {table,-22} {count.ToString("N0", CultureInfo.InvariantCulture),12}");

if (!options.Keep) Directory.Delete(directory, recursive: true);
else Console.WriteLine($"Kept {directory}");
return 0;
