using System.Diagnostics;
using System.Globalization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BillingPortal.Benchmarks;

/// <summary>
/// Issue #6: the transactions list on one organizer with (about) a million payments. Seeds the demo (or reuses
/// <c>--dir</c>), gives every row to organizer 1, then times <see cref="TransactionQueries"/> pages (first, deep by
/// cursor, last, each filter, search) side by side with the naive <c>OFFSET/LIMIT</c> query over raw payments,
/// reporting median and p95 of repeated runs.
/// <c>dotnet run -c Release --project BillingPortal.Benchmarks -- --transactions [--scale 1000000] [--dir D] [--runs 15]</c>
/// </summary>
internal static class TransactionsBenchmark
{
    private const int Organizer = 1;
    private const int Limit = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var scale = 1_000_000;
        var runs = 15;
        string? directory = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scale": scale = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir": directory = args[++i]; break;
                default: throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }

        directory ??= Path.Combine(Path.GetTempPath(), "billingportal-txbench");
        var database = new DatabaseOptions { DataDirectory = directory };
        var connectionString = DataServiceCollectionExtensions.SqliteConnectionString(database, directory);
        var factory = new BenchmarkContextFactory(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(connectionString).Options);
        var reused = File.Exists(Path.Combine(directory, database.SqliteFileName));
        Directory.CreateDirectory(directory);
        // A reused database gets the migrations added since it was seeded (new indexes, then ANALYZE) before it is timed.
        await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        if (!reused)
        {
            var seeder = new DemoSeeder(factory, TimeProvider.System, new ConsoleLogger<DemoSeeder>(), []);
            var watch = Stopwatch.StartNew();
            Console.WriteLine($"Seeding {scale.ToString("N0", CultureInfo.InvariantCulture)} purchases into {directory}");
            await seeder.SeedAsync(new SeedRequest(scale, 42), CancellationToken.None);
            Console.WriteLine($"Seeded in {watch.Elapsed.TotalSeconds:N0} s; giving every row to organizer {Organizer}");
            await using var db = factory.CreateDbContext();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                await db.Database.ExecuteSqlRawAsync("UPDATE Payments SET OrganizerId = 1 WHERE OrganizerId <> 1");
                await db.Database.ExecuteSqlRawAsync("UPDATE Purchases SET OrganizerId = 1 WHERE OrganizerId <> 1");
                await db.Database.ExecuteSqlRawAsync("UPDATE LedgerEntries SET OrganizerId = 1 WHERE OrganizerId <> 1");
                await db.Database.ExecuteSqlRawAsync("UPDATE Events SET OrganizerId = 1 WHERE OrganizerId <> 1");
                await db.Database.ExecuteSqlRawAsync("UPDATE Anomalies SET OrganizerId = 1 WHERE OrganizerId <> 1");
                await LedgerRollups.RebuildAsync(db, Organizer, CancellationToken.None);
                await tx.CommitAsync();
            }

            await db.Database.ExecuteSqlRawAsync("ANALYZE");
            Console.WriteLine($"Reassigned and analysed after {watch.Elapsed.TotalSeconds:N0} s");
        }

        var queries = new TransactionQueries(factory, TimeProvider.System);
        int total;
        await using (var db = factory.CreateDbContext())
            total = await db.Payments.CountAsync(p => p.OrganizerId == Organizer);
        Console.WriteLine($"Organizer {Organizer}: {total.ToString("N0", CultureInfo.InvariantCulture)} payments; {runs} runs per case after 2 warm-ups");

        DateOnly newest;
        int eventId;
        await using (var db = factory.CreateDbContext())
        {
            var newestAt = await db.Payments.Where(p => p.OrganizerId == Organizer).MaxAsync(p => p.DateCreated);
            newest = Core.Common.AccountingCalendar.Lima.LocalDate(newestAt);
            eventId = await db.Payments.Where(p => p.OrganizerId == Organizer && p.EventId != null)
                .GroupBy(p => p.EventId).OrderByDescending(g => g.Count()).Select(g => g.Key!.Value).FirstAsync();
        }

        var searchRow = await NaivePageAsync(factory, q => q, total / 3, 1);
        var sample = searchRow.Single();
        var cases = new List<(string Name, TransactionFilter Filter, Func<IQueryable<Payment>, IQueryable<Payment>> Naive)>
        {
            ("no filter", TransactionFilter.None, q => q),
            ("last 30 days", new TransactionFilter(From: newest.AddDays(-29), To: newest),
                q => q.Where(p => p.DateCreated >= Start(newest.AddDays(-29)) && p.DateCreated < Start(newest.AddDays(1)))),
            ("event (largest)", new TransactionFilter(EventId: eventId), q => q.Where(p => p.EventId == eventId)),
            ("status refunded", new TransactionFilter(Status: PaymentStatus.Refunded), q => q.Where(p => p.Status == PaymentStatus.Refunded)),
            ("method yape", new TransactionFilter(PaymentMethodId: "yape"), q => q.Where(p => p.PaymentMethodId == "yape")),
            ("release pending", new TransactionFilter(Release: TransactionRelease.Pending),
                q => q.Where(p => (p.Status == PaymentStatus.Approved || p.Status == PaymentStatus.Refunded || p.Status == PaymentStatus.ChargedBack) && p.MoneyReleaseStatus == MoneyReleaseStatus.Pending)),
            ("release credited", new TransactionFilter(Release: TransactionRelease.Credited),
                q => q.Where(p => p.MoneyReleaseStatus == MoneyReleaseStatus.Released)),
            ("has refund", new TransactionFilter(HasRefund: true), q => q.Where(p => p.TransactionAmountRefunded > 0m)),
            ("combined: 30 days + event + visa + credited + no refund", new TransactionFilter(newest.AddDays(-29), newest, eventId, null, "visa", TransactionRelease.Credited, false),
                q => q.Where(p => p.DateCreated >= Start(newest.AddDays(-29)) && p.DateCreated < Start(newest.AddDays(1)) && p.EventId == eventId
                                  && p.PaymentMethodId == "visa" && p.MoneyReleaseStatus == MoneyReleaseStatus.Released && p.TransactionAmountRefunded == 0m)),
            ("search payment id", new TransactionFilter(Search: sample.Id.ToString(CultureInfo.InvariantCulture)), q => q.Where(p => p.Id == sample.Id)),
            ("search reference prefix", new TransactionFilter(Search: sample.ExternalReference![..^2]), q => q.Where(p => p.ExternalReference!.StartsWith(sample.ExternalReference.Substring(0, sample.ExternalReference.Length - 2)))),
            ("search email", new TransactionFilter(Search: sample.PayerEmail), q => q.Where(p => p.PayerEmail == sample.PayerEmail)),
        };

        Console.WriteLine();
        Console.WriteLine("| case | rows matching | keyset page: median / p95 ms | naive OFFSET page: median / p95 ms | count (once per filter set): median / p95 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, filter, naive) in cases)
        {
            var count = await queries.CountAsync(Organizer, filter, CancellationToken.None);
            var countTimes = await TimeAsync(runs, () => queries.CountAsync(Organizer, filter, CancellationToken.None));
            var first = await TimeAsync(runs, () => queries.GetPageAsync(Organizer, new TransactionPageRequest(filter, Limit: Limit), false, CancellationToken.None));
            var naiveFirst = await TimeAsync(runs, () => NaivePageAsync(factory, naive, 0, Limit));
            Console.WriteLine($"| {name}, first page | {N(count)} | {Ms(first)} | {Ms(naiveFirst)} | {Ms(countTimes)} |");
            if (count <= Limit * 2) continue;

            // Deep: the page after the row at 90% of the filtered rows, by cursor, against OFFSET to the same place.
            var position = (int)(count * 0.9);
            var at = (await NaivePageAsync(factory, naive, position - 1, 1)).Single();
            var cursor = new TransactionCursor(TransactionSort.DateDescending, false, at.DateCreated.UtcTicks, at.Id).Encode();
            var deep = await TimeAsync(runs, () => queries.GetPageAsync(Organizer, new TransactionPageRequest(filter, Limit: Limit, Cursor: cursor), false, CancellationToken.None));
            var naiveDeep = await TimeAsync(runs, () => NaivePageAsync(factory, naive, position, Limit));
            Console.WriteLine($"| {name}, page after row {N(position)} (cursor) | {N(count)} | {Ms(deep)} | {Ms(naiveDeep)} | |");
            var last = await TimeAsync(runs, () => queries.GetPageAsync(Organizer, new TransactionPageRequest(filter, Limit: Limit, Last: true), false, CancellationToken.None));
            var naiveLast = await TimeAsync(runs, () => NaivePageAsync(factory, naive, Math.Max(0, count - Limit), Limit));
            Console.WriteLine($"| {name}, last page | {N(count)} | {Ms(last)} | {Ms(naiveLast)} | |");
        }

        var amount = await TimeAsync(Math.Min(runs, 5), () => queries.GetPageAsync(Organizer, new TransactionPageRequest(TransactionFilter.None, TransactionSort.AmountDescending, Limit), false, CancellationToken.None));
        Console.WriteLine($"| no filter, sorted by amount (no index), first page | {N(total)} | {Ms(amount)} | | |");
        var detail = await TimeAsync(runs, () => queries.GetDetailAsync(Organizer, sample.Id, false, CancellationToken.None));
        Console.WriteLine($"| detail (breakdown, timeline, refunds) | 1 | {Ms(detail)} | | |");
        SqliteConnection.ClearAllPools();
        return 0;
    }

    private static DateTimeOffset Start(DateOnly day) => Core.Common.AccountingCalendar.Lima.StartOfDayUtc(day);

    private static async Task<List<Payment>> NaivePageAsync(BenchmarkContextFactory factory, Func<IQueryable<Payment>, IQueryable<Payment>> filter, int offset, int limit)
    {
        await using var db = factory.CreateDbContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        return await filter(db.Payments.AsNoTracking().Where(p => p.OrganizerId == Organizer))
            .OrderByDescending(p => p.DateCreated).ThenByDescending(p => p.Id)
            .Skip(offset).Take(limit).ToListAsync();
    }

    private static async Task<double[]> TimeAsync<T>(int runs, Func<Task<T>> action)
    {
        for (var i = 0; i < 2; i++) await action();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times;
    }

    private static string Ms(double[] sorted)
    {
        var median = sorted[sorted.Length / 2];
        var p95 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.95) - 1)];
        return $"{median.ToString("N1", CultureInfo.InvariantCulture)} / {p95.ToString("N1", CultureInfo.InvariantCulture)}";
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
