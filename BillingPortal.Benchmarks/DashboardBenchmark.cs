using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Reporting;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BillingPortal.Benchmarks;

/// <summary>Options of the dashboard benchmark (see <see cref="DashboardBenchmark"/>).</summary>
internal sealed record DashboardBenchmarkOptions(
    string? Directory,
    bool Keep,
    int Scale,
    int Runs,
    int Clients,
    TimeSpan Warmup,
    TimeSpan Duration,
    string? Portal,
    bool Load,
    bool Queries = true,
    TimeSpan Think = default)
{
    public static DashboardBenchmarkOptions Parse(string[] args)
    {
        var options = new DashboardBenchmarkOptions(null, false, 1_000_000, 30, 50, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), null, true);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--dashboard" => options,
                "--dir" => options with { Directory = args[++i] },
                "--keep" => options with { Keep = true },
                "--scale" => options with { Scale = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--clients" => options with { Clients = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) },
                "--portal" => options with { Portal = args[++i] },
                "--no-load" => options with { Load = false },
                "--no-queries" => options with { Queries = false },
                "--think" => options with { Think = TimeSpan.FromMilliseconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }

        return options;
    }
}

/// <summary>
/// Dashboard benchmark (issue #6 §4): one organizer with about a million sales. Seeds the demo (or reuses
/// <c>--dir</c>), gives every row to organizer 1 and rebuilds the daily rollups, then times, in the same run,
/// <see cref="DashboardQueries.GetDashboardAsync"/> (12 months, 30 days, one event) against the naive equivalent over raw
/// <c>Payments</c> and against <see cref="LedgerQueries"/> over <c>LedgerEntries</c>. Then starts the built portal
/// (Release) on that database and has <c>--clients</c> signed-in users (signed in through the sandbox OpenID provider
/// over HTTP with cookies) load the organizer pages as prerendered GETs plus the API summary, timing every request.
/// </summary>
internal static partial class DashboardBenchmark
{
    private const int Organizer = 1;
    private const string OwnerSubject = "demo-pacifico-owner";
    private const string OwnerEmail = "carmen.flores@pacifico-fest.example";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = DashboardBenchmarkOptions.Parse(args);
        var directory = options.Directory ?? Path.Combine(Path.GetTempPath(), "billingportal-dashboard-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
        var database = new DatabaseOptions { DataDirectory = directory };
        var connectionString = DataServiceCollectionExtensions.SqliteConnectionString(database, directory);
        var factory = new BenchmarkContextFactory(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(connectionString).Options);
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average {LoadAverage()}");

        if (!File.Exists(Path.Combine(directory, database.SqliteFileName)))
        {
            Directory.CreateDirectory(directory);
            await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
            var store = new MercadoPagoSandboxStore(Path.Combine(directory, MercadoPagoSandboxStore.FileName));
            var seeder = new DemoSeeder(factory, TimeProvider.System, new ConsoleLogger<DemoSeeder>(), [new SandboxDemoSink(store, new SandboxAccounts(store, new SandboxClock()))]);
            Console.WriteLine($"Seeding {options.Scale.ToString("N0", CultureInfo.InvariantCulture)} purchases into {directory}");
            var seedWatch = Stopwatch.StartNew();
            var result = await seeder.SeedAsync(new SeedRequest(options.Scale, SeedRequest.DefaultSeed), CancellationToken.None);
            Console.WriteLine($"{result} ({seedWatch.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s, rollups included: see the seed's timings line)");
        }
        else
        {
            Console.WriteLine($"Reusing {directory}");
            var migrateWatch = Stopwatch.StartNew();
            await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
            Console.WriteLine($"Migrations applied in {migrateWatch.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s");
        }

        await ConcentrateAsync(factory);

        int payments;
        await using (var db = factory.CreateDbContext())
        {
            payments = await db.Payments.CountAsync(p => p.OrganizerId == Organizer);
        }

        var today = AccountingCalendar.Lima.LocalDate(DateTimeOffset.UtcNow);
        var year = new DatePeriod(today.AddMonths(-12).AddDays(1), today);
        var month = new DatePeriod(today.AddDays(-29), today);
        var topEvent = await TopEventAsync(factory, year);
        Console.WriteLine($"Organizer {Organizer}: {payments.ToString("N0", CultureInfo.InvariantCulture)} payments; 12 months = {year}, 30 days = {month}, event {topEvent}");

        var dashboard = new DashboardQueries(factory, TimeProvider.System);
        var ledger = new LedgerQueries(factory);
        var rows = new List<(string Name, Timing Timing)>();
        foreach (var (label, period, eventId) in options.Queries ? new (string, DatePeriod, int?)[] { ("12 months", year, null), ("30 days", month, null), ("one event, 12 months", year, topEvent) } : [])
        {
            rows.Add(($"DashboardQueries.GetDashboardAsync, {label}", await TimeAsync(options.Runs, () => dashboard.GetDashboardAsync(Organizer, period, eventId, CancellationToken.None))));
            rows.Add(($"naive GROUP BY over Payments, {label}", await TimeAsync(Math.Max(3, options.Runs / 5), () => NaiveAsync(connectionString, period, eventId), warmups: 1)));
            rows.Add(($"LedgerQueries (cards, comparison, balance) over LedgerEntries, {label}", await TimeAsync(Math.Max(3, options.Runs / 5), async () =>
            {
                await ledger.GetPeriodSummaryAsync(Organizer, period, eventId, CancellationToken.None);
                await ledger.GetPeriodSummaryAsync(Organizer, DashboardPeriods.PreviousOf(period), eventId, CancellationToken.None);
                await ledger.GetBalanceAsync(Organizer, DateTimeOffset.UtcNow, eventId, CancellationToken.None);
            }, warmups: 1)));
        }

        if (options.Queries) rows.Add(("DashboardQueries.GetEventsAsync, 12 months", await TimeAsync(options.Runs, () => dashboard.GetEventsAsync(Organizer, year, CancellationToken.None))));

        // Same figures, three ways: a benchmark of wrong answers proves nothing.
        if (options.Queries) await CompareAsync(dashboard, ledger, year);
        if (options.Queries) PrintRows(options, rows);

        var exit = 0;
        if (options.Load) exit = await LoadAsync(options, directory, year);
        SqliteConnection.ClearAllPools();
        if (!options.Keep && options.Directory is null) Directory.Delete(directory, recursive: true);
        else Console.WriteLine($"Kept {directory} (reuse with --dir)");
        return exit;
    }

    private static async Task CompareAsync(DashboardQueries dashboard, LedgerQueries ledger, DatePeriod year)
    {
        var fromRollups = await dashboard.GetPeriodSummaryAsync(Organizer, year, null, CancellationToken.None);
        var fromLedger = await ledger.GetPeriodSummaryAsync(Organizer, year, null, CancellationToken.None);
        Console.WriteLine($"12 months: rollups net {fromRollups.Net.ToString("N2", CultureInfo.InvariantCulture)} ({fromRollups.Sales.ToString("N0", CultureInfo.InvariantCulture)} sales), ledger net {fromLedger.Net.ToString("N2", CultureInfo.InvariantCulture)} — {(fromRollups == fromLedger ? "equal" : "DIFFERENT")}");

    }

    private static void PrintRows(DashboardBenchmarkOptions options, List<(string Name, Timing Timing)> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"| query ({options.Runs} runs after 2 warm-up; naive and ledger {Math.Max(3, options.Runs / 5)} after 1) | median | p95 | min |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, timing) in rows) Console.WriteLine($"| {name} | {Ms(timing.Median)} | {Ms(timing.P95)} | {Ms(timing.Min)} |");
        Console.WriteLine();
    }

    /// <summary>Gives every organizer's rows to organizer 1 (once) and rebuilds the rollups, timing both.</summary>
    private static async Task ConcentrateAsync(BenchmarkContextFactory factory)
    {
        await using var db = factory.CreateDbContext();
        var others = await db.Payments.AnyAsync(p => p.OrganizerId != Organizer);
        if (!others)
        {
            Console.WriteLine("Every payment already belongs to organizer 1");
            return;
        }

        var watch = Stopwatch.StartNew();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            foreach (var table in new[] { "Payments", "Purchases", "LedgerEntries", "Events", "Anomalies" })
            {
#pragma warning disable EF1002 // table names are constants of this method
                var changed = await db.Database.ExecuteSqlRawAsync($"UPDATE \"{table}\" SET \"OrganizerId\" = {Organizer} WHERE \"OrganizerId\" <> {Organizer}");
#pragma warning restore EF1002
                Console.WriteLine($"  {table}: {changed.ToString("N0", CultureInfo.InvariantCulture)} rows moved to organizer {Organizer}");
            }

            await tx.CommitAsync();
        }

        var moved = watch.Elapsed;
        watch.Restart();
        var written = await LedgerRollups.RebuildAsync(db, null, CancellationToken.None);
        Console.WriteLine($"Reassigned in {moved.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s; LedgerRollups.RebuildAsync(all) wrote {written.ToString("N0", CultureInfo.InvariantCulture)} rows in {watch.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s");
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
    }

    private static async Task<int> TopEventAsync(BenchmarkContextFactory factory, DatePeriod period)
    {
        await using var db = factory.CreateDbContext();
        return await db.LedgerEventDayTotals.Where(r => r.OrganizerId == Organizer && r.EventId != 0 && r.LocalDate >= period.From && r.LocalDate <= period.To)
            .GroupBy(r => r.EventId).OrderByDescending(g => g.Sum(r => r.Entries)).Select(g => g.Key).FirstAsync();
    }

    /// <summary>
    /// What the dashboard would cost without the rollups: the same cards (this period and the previous one), balance,
    /// next releases, series, by event and by payment method, each a GROUP BY over the organizer's raw payments.
    /// </summary>
    private static async Task NaiveAsync(string connectionString, DatePeriod period, int? eventId)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var (from, to) = AccountingCalendar.Lima.Range(period);
        var (previousFrom, previousTo) = AccountingCalendar.Lima.Range(DashboardPeriods.PreviousOf(period));
        var eventFilter = eventId is null ? "" : " AND EventId = $event";
        var limaOffsetSeconds = (long)TimeSpan.FromHours(5).TotalSeconds;
        const long EpochTicks = 621355968000000000;
        var bucket = DashboardPeriods.GranularityOf(period) == SeriesGranularity.Day ? "%Y-%m-%d" : "%Y-%m";
        var localDay = $"strftime('{bucket}', (DateApproved - {EpochTicks}) / 10000000 - {limaOffsetSeconds}, 'unixepoch')";
        const string Money = "COUNT(*), SUM(Tickets), SUM(TransactionAmountCents), SUM(TransactionAmountRefundedCents), SUM(MercadoPagoFeeCents), SUM(ApplicationFeeCents), SUM(OtherCollectorFeesCents), SUM(NetReceivedAmountCents)";
        const string Sold = "Status IN ('Approved', 'Refunded', 'ChargedBack')";
        var statements = new[]
        {
            $"SELECT Status, {Money} FROM Payments WHERE OrganizerId = $org AND {Sold} AND DateApproved >= $from AND DateApproved < $to{eventFilter} GROUP BY Status",
            $"SELECT Status, {Money} FROM Payments WHERE OrganizerId = $org AND {Sold} AND DateApproved >= $pfrom AND DateApproved < $pto{eventFilter} GROUP BY Status",
            $"SELECT MoneyReleaseStatus, MoneyReleaseDate > $now, SUM(NetReceivedAmountCents - TransactionAmountRefundedCents) FROM Payments WHERE OrganizerId = $org AND {Sold}{eventFilter} GROUP BY 1, 2",
            $"SELECT MoneyReleaseDate / 864000000000, SUM(NetReceivedAmountCents), COUNT(*) FROM Payments WHERE OrganizerId = $org AND {Sold} AND MoneyReleaseDate > $now{eventFilter} GROUP BY 1 ORDER BY 1 LIMIT 5",
            $"SELECT {localDay}, {Money} FROM Payments WHERE OrganizerId = $org AND {Sold} AND DateApproved >= $from AND DateApproved < $to{eventFilter} GROUP BY 1",
            eventId is null ? $"SELECT EventId, {Money} FROM Payments WHERE OrganizerId = $org AND {Sold} AND DateApproved >= $from AND DateApproved < $to GROUP BY EventId" : "SELECT 1",
            $"SELECT PaymentMethodId, PaymentTypeId, {Money} FROM Payments WHERE OrganizerId = $org AND {Sold} AND DateApproved >= $from AND DateApproved < $to{eventFilter} GROUP BY 1, 2",
        };
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$org", Organizer);
            command.Parameters.AddWithValue("$from", from.UtcTicks);
            command.Parameters.AddWithValue("$to", to.UtcTicks);
            command.Parameters.AddWithValue("$pfrom", previousFrom.UtcTicks);
            command.Parameters.AddWithValue("$pto", previousTo.UtcTicks);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
            command.Parameters.AddWithValue("$event", eventId ?? 0);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                // Read every row, as a page would.
            }
        }
    }

    private static async Task<Timing> TimeAsync(int runs, Func<Task> action, int warmups = 2)
    {
        for (var i = 0; i < warmups; i++) await action();
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Timing.Of(samples);
    }

    // ---- Concurrency: the built portal as a child process, signed-in users over HTTP ----

    private static async Task<int> LoadAsync(DashboardBenchmarkOptions options, string directory, DatePeriod year)
    {
        var portal = options.Portal ?? DefaultPortal();
        if (!File.Exists(portal))
        {
            Console.Error.WriteLine($"Portal not found at {portal}: build it first (dotnet build -c Release BillingPortal) or pass --portal <BillingPortal.dll>.");
            return 2;
        }

        var port = PortalPort(directory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(portal)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(portal);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["Database__DataDirectory"] = directory;
        start.Environment["Serilog__WriteTo__File__Args__path"] = Path.Combine(directory, "logs", "billingportal-.json");
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        // Demo mode on an already seeded database seeds nothing: it turns on the sandbox OpenID provider and invites
        // the demo accounts (Carmen is the owner of organizer 1). No live sales, no jobs: only the browsing load.
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__LiveSales__Enabled"] = "false";
        start.Environment["Jobs__Enabled"] = "false";
        start.Environment["MercadoPago__Webhooks__Processing__Enabled"] = "false";
        start.Environment["TokenProtection__Keys__bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["TokenProtection__ActiveKeyId"] = "bench";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var drain = Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(Stream.Null), process.StandardError.BaseStream.CopyToAsync(Stream.Null));
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        try
        {
            await WaitReadyAsync(process, baseAddress);

            // Sign every user in through the sandbox provider, as a browser would (cookies, redirects, the login form).
            var signIn = Stopwatch.StartNew();
            var clients = new List<HttpClient>();
            for (var i = 0; i < options.Clients; i++) clients.Add(await SignInAsync(baseAddress));
            Console.WriteLine($"Signed {options.Clients} sessions in through the sandbox provider in {signIn.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s");

            var key = await CreateApiKeyAsync(directory);
            var summaryPath = $"api/v1/summary?from={year.From:yyyy-MM-dd}&to={year.To:yyyy-MM-dd}";
            var routes = new List<string>();
            foreach (var page in new[] { "resumen?org=1", "eventos?org=1", "transacciones?org=1" })
            {
                using var probe = await clients[0].GetAsync(page);
                if (probe.StatusCode == HttpStatusCode.OK && probe.RequestMessage!.RequestUri!.AbsolutePath == "/" + page.Split('?')[0]) routes.Add(page);
                else Console.WriteLine($"  {page}: {(int)probe.StatusCode} at {probe.RequestMessage!.RequestUri!.AbsolutePath}, left out");
            }

            routes.Add(summaryPath);
            Console.WriteLine($"Routes: {string.Join(", ", routes)}");

            var samples = new ConcurrentBag<(string Route, double Ms, bool Ok)>();
            var warmupEnds = Stopwatch.StartNew();
            var end = options.Warmup + options.Duration;
            var cpuBefore = TimeSpan.Zero;
            var measuring = false;
            var tasks = clients.Select((client, index) => Task.Run(async () =>
            {
                var i = index;
                while (warmupEnds.Elapsed < end)
                {
                    var route = routes[i++ % routes.Count];
                    using var request = new HttpRequestMessage(HttpMethod.Get, route);
                    if (route.StartsWith("api/", StringComparison.Ordinal)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    var t0 = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                        ok = response.StatusCode == HttpStatusCode.OK && response.RequestMessage!.RequestUri!.AbsolutePath == "/" + route.Split('?')[0];
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // A timeout (30 s) or a refused connection counts as a failed request, with its time.
                        ok = false;
                    }

                    var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (warmupEnds.Elapsed > options.Warmup) samples.Add((route.Split('?')[0], ms, ok));

                    // A person reads before the next click: --think T waits between T/2 and 3T/2 (0: a closed loop).
                    if (options.Think > TimeSpan.Zero)
                        await Task.Delay(TimeSpan.FromMilliseconds(options.Think.TotalMilliseconds * (0.5 + Random.Shared.NextDouble())));
                }
            })).ToList();
            while (!measuring)
            {
                await Task.Delay(100);
                if (warmupEnds.Elapsed > options.Warmup)
                {
                    process.Refresh();
                    cpuBefore = process.TotalProcessorTime;
                    measuring = true;
                }
            }

            await Task.WhenAll(tasks);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var all = samples.ToList();
            Console.WriteLine();
            Console.WriteLine($"| {options.Clients} signed-in clients, think time {options.Think.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)} ms ±50%, {options.Duration.TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s after {options.Warmup.TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s warm-up | requests | failed | req/s | p50 | p95 | p99 | max |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var group in all.GroupBy(s => s.Route).Append(all.GroupBy(_ => "all requests").Single()))
            {
                var timing = Timing.Of([.. group.Select(s => s.Ms)]);
                Console.WriteLine($"| {group.Key} | {group.Count().ToString("N0", CultureInfo.InvariantCulture)} | {group.Count(s => !s.Ok)} | {(group.Count() / options.Duration.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)} | {Ms(timing.Median)} | {Ms(timing.P95)} | {Ms(timing.P99)} | {Ms(timing.Max)} |");
            }

            Console.WriteLine($"Portal CPU during the measured window: {cpu.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s of {(options.Duration.TotalSeconds * Environment.ProcessorCount).ToString("N0", CultureInfo.InvariantCulture)} s available; load average now {LoadAverage()}");
            foreach (var client in clients) client.Dispose();
            return all.Any(s => !s.Ok) ? 1 : 0;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await drain;
        }
    }

    /// <summary>
    /// A signed-in session: GET /cuenta/ingresar (redirects to the sandbox provider's login page), POST the page's form for
    /// Carmen's account (the provider redirects back through /signin-oidc, which sets the session cookie), as a browser does.
    /// </summary>
    private static async Task<HttpClient> SignInAsync(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 20, UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var login = await client.GetAsync("cuenta/ingresar?returnUrl=" + Uri.EscapeDataString("/resumen?org=1"));
        var html = await login.Content.ReadAsStringAsync();
        var form = FormAction().Match(html);
        if (!login.IsSuccessStatusCode || !form.Success) throw new InvalidOperationException($"No sandbox login form at {login.RequestMessage?.RequestUri?.AbsolutePath} ({(int)login.StatusCode}).");
        var fields = HiddenInput().Matches(html[form.Index..]).Take(2)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .Append(new KeyValuePair<string, string>("account", OwnerSubject))
            .ToList();
        using var content = new FormUrlEncodedContent(fields);
        using var signedIn = await client.PostAsync(new Uri(login.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value)), content);
        if (signedIn.StatusCode != HttpStatusCode.OK || signedIn.RequestMessage!.RequestUri!.AbsolutePath != "/resumen")
            throw new InvalidOperationException($"Sign-in ended at {signedIn.RequestMessage?.RequestUri?.AbsolutePath} with {(int)signedIn.StatusCode}.");
        return client;
    }

    /// <summary>An organizer API key of organizer 1, created by the portal's own service for the signed-in owner.</summary>
    private static async Task<string> CreateApiKeyAsync(string directory)
    {
        var database = new DatabaseOptions { DataDirectory = directory };
        var factory = new BenchmarkContextFactory(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(DataServiceCollectionExtensions.SqliteConnectionString(database, directory)).Options);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Email == OwnerEmail && db.OrganizerMembers.Any(m => m.UserId == u.Id && m.OrganizerId == Organizer)).OrderBy(u => u.Id).FirstAsync();
        var service = new ApiKeyService(factory, TimeProvider.System);
        var created = await service.CreateAsync(new OrganizerAccess(Organizer, OrganizerRole.Owner, user.Id, user.Email), "dashboard benchmark " + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture), AuditOrigin.None, CancellationToken.None);
        return created is ApiKeyResult<CreatedApiKey>.Success success ? success.Value.PlainKey : throw new InvalidOperationException($"Could not create an API key: {created}");
    }

    private static async Task WaitReadyAsync(Process process, Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The portal exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)} while starting.");
            try
            {
                using var ready = await http.GetAsync("health/ready");
                if (ready.StatusCode == HttpStatusCode.OK) break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("The portal did not become ready in 3 minutes.");
            await Task.Delay(200);
        }

        Console.WriteLine($"Portal ready on {baseAddress} in {deadline.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s");
    }

    private static string DefaultPortal()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BillingPortal.sln"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? Environment.CurrentDirectory, "BillingPortal", "bin", "Release", "net10.0", "BillingPortal.dll");
    }

    /// <summary>
    /// The same port on every run over one directory: the sandbox provider's issuer includes it, and the portal knows a
    /// user by (issuer, subject), so a new port would make Carmen a new user without her membership of organizer 1.
    /// </summary>
    private static int PortalPort(string directory)
    {
        var file = Path.Combine(directory, "benchmark-portal-port.txt");
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var saved))
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, saved);
                probe.Start();
                return saved;
            }
            catch (SocketException)
            {
                Console.WriteLine($"Port {saved.ToString(CultureInfo.InvariantCulture)} of the earlier runs is busy: a new port (and a new sandbox issuer) is used");
            }
        }

        var port = FreePort();
        File.WriteAllText(file, port.ToString(CultureInfo.InvariantCulture));
        return port;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Ms(double value) => value.ToString(value < 10 ? "N2" : "N0", CultureInfo.InvariantCulture) + " ms";

    private sealed record Timing(double Median, double P95, double P99, double Min, double Max)
    {
        public static Timing Of(List<double> samples)
        {
            if (samples.Count == 0) return new Timing(0, 0, 0, 0, 0);
            samples.Sort();
            double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
            return new Timing(At(0.5), At(0.95), At(0.99), samples[0], samples[^1]);
        }
    }

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\">")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
