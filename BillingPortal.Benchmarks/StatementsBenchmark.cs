using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;
using BillingPortal.Core.Statements.Rendering;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BillingPortal.Benchmarks;

/// <summary>Options of the statements benchmark (see <see cref="StatementsBenchmark"/>).</summary>
internal sealed record StatementsBenchmarkOptions(
    string? Directory,
    int Organizer,
    int ExcelLines,
    int ClosedXmlLines,
    int PdfLines,
    int CsvLines,
    int Hits,
    int CacheScale,
    string? Only,
    bool KeepFiles)
{
    public static StatementsBenchmarkOptions Parse(string[] args)
    {
        var options = new StatementsBenchmarkOptions(null, 1, 1_000_000, 100_000, 10_000, 1_000_000, 1_000, 3_000, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--statements" or "--statements-one" => options,
                "--dir" => options with { Directory = args[++i] },
                "--org" => options with { Organizer = Int(args[++i]) },
                "--excel-lines" => options with { ExcelLines = Int(args[++i]) },
                "--closedxml-lines" => options with { ClosedXmlLines = Int(args[++i]) },
                "--pdf-lines" => options with { PdfLines = Int(args[++i]) },
                "--csv-lines" => options with { CsvLines = Int(args[++i]) },
                "--hits" => options with { Hits = Int(args[++i]) },
                "--cache-scale" => options with { CacheScale = Int(args[++i]) },
                "--only" => options with { Only = args[++i] },
                "--keep-files" => options with { KeepFiles = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }

        return options;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}

/// <summary>
/// Statements benchmark (issue #7 §9), every format side by side in one run. Each measurement runs in a fresh child
/// process (the benchmark re-invokes itself with <c>--statements-one FORMAT LINES</c>) so that its peak working set and
/// GC heap are its own, not what an earlier step left behind:
/// <list type="bullet">
/// <item>Excel with MiniExcel (<see cref="ExcelStatementRenderer"/>) of 1,000,000 lines: target under 15 s and 250 MB;</item>
/// <item>the same first 100,000 lines with MiniExcel and with ClosedXML 0.95.4 (same sheets, columns, typed cells,
/// <c>S/</c> formats, frozen header and filter): the reference point of ADR-009;</item>
/// <item>PDF (<see cref="PdfStatementRenderer"/>) of 10,000 lines: target under 2 s; CSV of 1,000,000 lines;</item>
/// <item>a cached statement: composed and rendered once through the real path (SQLite, <see cref="StatementComposer"/>,
/// the PDF renderer), then served again from the cache: target under 10 ms.</item>
/// </list>
/// Lines come from a real <see cref="StatementDocument"/> over a seeded portal database when <c>--dir</c> holds one
/// (organizer <c>--org</c>, its whole ledger), otherwise from a synthetic but realistic stream built with the real record
/// types (sales, refunds, chargebacks; Lima dates; céntimos).
/// </summary>
internal static class StatementsBenchmark
{
    private const string ResultPrefix = "STATEMENTS-RESULT ";
    private static readonly DatePeriod SyntheticPeriod = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 10, 31));

    /// <summary>One measurement, as a child process reports it to the parent.</summary>
    internal sealed record Measurement(
        string Format,
        long Lines,
        double Seconds,
        double PeakWorkingSetMb,
        double PeakGcHeapMb,
        double AllocatedMb,
        double FileMb,
        string? Note = null,
        string? Error = null,
        double P99Ms = 0,
        double CpuSeconds = 0);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = StatementsBenchmarkOptions.Parse(args);
        var source = options.Directory is null ? "synthetic lines (in memory, real record types)" : $"{options.Directory} (organizer {options.Organizer})";
        Console.WriteLine($"Statements benchmark, {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average {LoadAverage()}");
        Console.WriteLine($"Lines from {source}");

        var steps = new (string Format, int Lines)[]
        {
            ("lines", options.ExcelLines),
            ("excel", options.ExcelLines),
            ("excel", options.ClosedXmlLines),
            ("closedxml", options.ClosedXmlLines),
            ("pdf", options.PdfLines),
            ("csv", options.CsvLines),
            ("cache", options.Hits),
        };
        var results = new List<Measurement>();
        foreach (var (format, lines) in steps)
        {
            if (options.Only is { } only && !only.Split(',').Contains(format)) continue;
            Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {format} {lines.ToString("N0", CultureInfo.InvariantCulture)} (load average {LoadAverage()})");
            var result = await RunChildAsync(format, lines, args);
            Console.WriteLine($"    {Describe(result)}");
            results.Add(result);
        }

        Console.WriteLine();
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average after the run {LoadAverage()}; lines from {source}");
        Console.WriteLine();
        Console.WriteLine("| format | lines | seconds | CPU s | peak working set MB | peak GC heap MB | allocated MB | file MB | target | met? |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in results) Console.WriteLine(Row(r));
        Console.WriteLine();
        foreach (var r in results.Where(r => r.Note is not null)) Console.WriteLine($"- {Label(r.Format)}: {r.Note}");
        return results.Any(r => r.Error is not null) ? 1 : 0;
    }

    /// <summary>The child: one format, one size, in a process of its own; prints one result line for the parent.</summary>
    public static async Task<int> RunOneAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--statements-one");
        var format = args[at + 1];
        var lines = int.Parse(args[at + 2], CultureInfo.InvariantCulture);
        var options = StatementsBenchmarkOptions.Parse([.. args.Where((_, i) => i < at || i > at + 2)]);
        Measurement result;
        try
        {
            result = format == "cache" ? await MeasureCacheAsync(options, lines) : await MeasureRenderAsync(options, format, lines);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result = new Measurement(format, lines, 0, Mb(Process.GetCurrentProcess().PeakWorkingSet64), 0, 0, 0, Error: $"{ex.GetType().Name}: {ex.Message}");
        }

        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<Measurement> RunChildAsync(string format, int lines, string[] args)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? "dotnet";
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(StatementsBenchmark).Assembly.Location);
        foreach (var a in args.Where(a => a != "--statements")) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--statements-one");
        start.ArgumentList.Add(format);
        start.ArgumentList.Add(lines.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process");
        var errors = process.StandardError.ReadToEndAsync();
        Measurement? result = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal)) result = JsonSerializer.Deserialize<Measurement>(line[ResultPrefix.Length..]);
            else Console.WriteLine("    " + line);
        }

        await process.WaitForExitAsync();
        var stderr = await errors;
        return result ?? new Measurement(format, lines, 0, 0, 0, 0, 0, Error: $"child exited {process.ExitCode} without a result: {Last(stderr, 400)}");
    }

    // ---- rendering (Excel, ClosedXML, PDF, CSV) ----

    private static async Task<Measurement> MeasureRenderAsync(StatementsBenchmarkOptions options, string format, int lines)
    {
        var statement = await StatementAsync(options, lines);
        var output = Path.Combine(Path.GetTempPath(), $"statements-bench-{Environment.ProcessId}.{Extension(format)}");

        // Warm-up (JIT, fonts, MiniExcel's reflection) on a small statement of the same kind, not timed.
        await using (var warm = new MemoryStream()) await RenderAsync(format, Limit(statement, 200), warm);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        var counted = Counted(statement);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using var memory = new PeakMemorySampler(intervalMs: 50);
        var watch = Stopwatch.StartNew();
        try
        {
            await using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await RenderAsync(format, counted.Statement, file);
        }
        catch
        {
            File.Delete(output);
            throw;
        }

        watch.Stop();
        memory.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var size = new FileInfo(output).Length;
        var note = format == "closedxml" ? $"ClosedXML 0.95.4 (same sheets, columns, typed cells, S/ formats, frozen header, filter){LibGdiPlus()}" : null;
        if (options.KeepFiles) Console.WriteLine($"kept {output}");
        else File.Delete(output);
        return new Measurement(format, counted.Count(), watch.Elapsed.TotalSeconds,
            Mb(Math.Max(memory.Peak, Process.GetCurrentProcess().PeakWorkingSet64)), Mb(memory.PeakGcHeap),
            Mb(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore), Mb(size), note, CpuSeconds: cpu);
    }

    private static Task RenderAsync(string format, StatementDocument statement, Stream output) => format switch
    {
        "excel" => ExcelStatementRenderer.RenderAsync(statement, output, CancellationToken.None),
        "closedxml" => Task.Run(() => ClosedXmlWorkbook.Save(statement, output)),
        "pdf" => PdfStatementRenderer.RenderAsync(statement, output, CancellationToken.None),
        "csv" => CsvStatementRenderer.RenderAsync(statement, output, ';', CancellationToken.None),
        "lines" => WalkAsync(statement),
        _ => throw new ArgumentException($"Unknown format {format}"),
    };

    /// <summary>Reads the lines and writes nothing: what the source (generator or database) costs by itself.</summary>
    private static async Task WalkAsync(StatementDocument statement)
    {
        await foreach (var _ in statement.Lines(CancellationToken.None))
        {
        }
    }

    private static string Extension(string format) => format switch
    {
        "excel" or "closedxml" => "xlsx",
        _ => format,
    };

    // ---- the cached statement ----

    /// <summary>
    /// Composes and renders a small statement through the real path (a SQLite database: <c>--dir</c>, or a small demo
    /// seeded for the purpose; <see cref="StatementComposer"/>; the PDF renderer) into the cache, then times
    /// <paramref name="hits"/> hits. Kept apart so it can switch to the portal's report cache when that is merged.
    /// </summary>
    private static async Task<Measurement> MeasureCacheAsync(StatementsBenchmarkOptions options, int hits)
    {
        var directory = options.Directory;
        var seeded = false;
        if (directory is null)
        {
            directory = Path.Combine(Path.GetTempPath(), "billingportal-statements-cache-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            await SeedSmallDemoAsync(directory, options.CacheScale);
            seeded = true;
        }

        try
        {
            var factory = Factory(directory);
            var request = new StatementRequest(options.Organizer, await SmallPeriodAsync(factory, options.Organizer, minimumLines: 500), null);
            var composer = Composer(factory);
            using var memory = new PeakMemorySampler(intervalMs: 50);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (miss, hitTimes, bytes) = await HybridCacheHitsAsync(composer, request, "pdf", hits);
            memory.Stop();
            var timing = Percentiles(hitTimes);
            var lines = (await composer.MeasureAsync(request, CancellationToken.None))!.Value.Lines;
            var note = $"{hits.ToString("N0", CultureInfo.InvariantCulture)} hits of a {(bytes.Length / 1024d).ToString("N0", CultureInfo.InvariantCulture)} KB PDF ({request.Period}, " +
                       $"{lines.ToString("N0", CultureInfo.InvariantCulture)} lines{(seeded ? $", demo of {options.CacheScale.ToString("N0", CultureInfo.InvariantCulture)} purchases" : "")}) " +
                       $"from HybridCache (in memory): median {Ms(timing.Median)}, p99 {Ms(timing.P99)}, max {Ms(timing.Max)}; the first request (compose + render + store) took {Ms(miss)}";
            return new Measurement("cache", hits, timing.Median / 1000d, Mb(Math.Max(memory.Peak, Process.GetCurrentProcess().PeakWorkingSet64)),
                Mb(memory.PeakGcHeap), Mb(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore), Mb(bytes.Length), note, P99Ms: timing.P99);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (seeded) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The cache part on <see cref="HybridCache"/> directly (in memory), the rendered bytes keyed by organizer, period,
    /// event and format and tagged by organizer. Returns the first request's milliseconds, every hit's, and the bytes.
    /// </summary>
    private static async Task<(double MissMs, List<double> HitMs, byte[] Bytes)> HybridCacheHitsAsync(StatementComposer composer, StatementRequest request, string format, int hits)
    {
        var services = new ServiceCollection();
        services.AddHybridCache(o => o.MaximumPayloadBytes = 64 * 1024 * 1024);
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<HybridCache>();
        var key = $"statement:{request.OrganizerId}:{request.Period.From:yyyyMMdd}-{request.Period.To:yyyyMMdd}:{request.EventId ?? 0}:{format}";
        string[] tags = [$"organizer:{request.OrganizerId}"];

        async ValueTask<byte[]> Render(CancellationToken ct)
        {
            var statement = await composer.ComposeAsync(request, ct) ?? throw new InvalidOperationException("No such organizer");
            using var buffer = new MemoryStream();
            await PdfStatementRenderer.RenderAsync(statement, buffer, ct);
            return buffer.ToArray();
        }

        var start = Stopwatch.GetTimestamp();
        var bytes = await cache.GetOrCreateAsync(key, Render, tags: tags);
        var missMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var renders = 0;
        var samples = new List<double>(hits);
        for (var i = 0; i < hits; i++)
        {
            start = Stopwatch.GetTimestamp();
            var hit = await cache.GetOrCreateAsync(key, ct => { renders++; return Render(ct); }, tags: tags);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (hit.Length != bytes.Length) throw new InvalidOperationException("A hit returned other bytes");
        }

        if (renders > 0) throw new InvalidOperationException($"{renders} of {hits} requests missed the cache");
        return (missMs, samples, bytes);
    }

    private static async Task SeedSmallDemoAsync(string directory, int scale)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        var factory = Factory(directory);
        await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var store = new MercadoPagoSandboxStore(Path.Combine(directory, MercadoPagoSandboxStore.FileName));
        var seeder = new DemoSeeder(factory, TimeProvider.System, NullLogger<DemoSeeder>.Instance, [new SandboxDemoSink(store, new SandboxAccounts(store, new SandboxClock()))]);
        await seeder.SeedAsync(new SeedRequest(scale, SeedRequest.DefaultSeed), CancellationToken.None);
    }

    /// <summary>The latest days of the organizer's ledger that hold at least <paramref name="minimumLines"/> lines (31 days at most).</summary>
    private static async Task<DatePeriod> SmallPeriodAsync(BenchmarkContextFactory factory, int organizer, int minimumLines)
    {
        await using var db = factory.CreateDbContext();
        var days = await db.LedgerEntries.Where(e => e.OrganizerId == organizer).GroupBy(e => e.LocalDate)
            .Select(g => new { Date = g.Key, Lines = g.Count() }).OrderByDescending(d => d.Date).Take(31).ToListAsync();
        if (days.Count == 0) throw new InvalidOperationException($"Organizer {organizer} has no ledger lines");
        var total = 0;
        var from = days[0].Date;
        foreach (var day in days)
        {
            total += day.Lines;
            from = day.Date;
            if (total >= minimumLines) break;
        }

        return new DatePeriod(from, days[0].Date);
    }

    // ---- where the lines come from ----

    private static async Task<StatementDocument> StatementAsync(StatementsBenchmarkOptions options, int lines)
    {
        if (options.Directory is null) return SyntheticStatement.Create(lines, SyntheticPeriod, seed: 7);

        var factory = Factory(options.Directory);
        DatePeriod period;
        await using (var db = factory.CreateDbContext())
        {
            var entries = db.LedgerEntries.Where(e => e.OrganizerId == options.Organizer);
            period = new DatePeriod(await entries.MinAsync(e => e.LocalDate), await entries.MaxAsync(e => e.LocalDate));
        }

        var statement = await Composer(factory).ComposeAsync(new StatementRequest(options.Organizer, period), CancellationToken.None)
                        ?? throw new InvalidOperationException($"Organizer {options.Organizer} not found in {options.Directory}");
        Console.WriteLine($"Composed organizer {options.Organizer}, {period}: {statement.LineCount.ToString("N0", CultureInfo.InvariantCulture)} lines (rendering the first {lines.ToString("N0", CultureInfo.InvariantCulture)})");
        return Limit(statement, lines);
    }

    private static StatementComposer Composer(BenchmarkContextFactory factory) =>
        new(factory, new DashboardQueries(factory, TimeProvider.System), new LedgerQueries(factory), TimeProvider.System, Options.Create(new PlatformIdentityOptions()));

    private static BenchmarkContextFactory Factory(string directory)
    {
        var database = new DatabaseOptions { DataDirectory = directory };
        var connectionString = DataServiceCollectionExtensions.SqliteConnectionString(database, directory);
        return new BenchmarkContextFactory(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(connectionString).Options);
    }

    /// <summary>The same statement with at most <paramref name="lines"/> lines.</summary>
    private static StatementDocument Limit(StatementDocument statement, int lines) =>
        statement with { LineCount = Math.Min(statement.LineCount, lines), Lines = ct => Take(statement.Lines(ct), lines, ct) };

    private static async IAsyncEnumerable<StatementLine> Take(IAsyncEnumerable<StatementLine> lines, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (count <= 0) yield break;
        var taken = 0;
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            yield return line;
            if (++taken == count) yield break;
        }
    }

    /// <summary>The statement with a counter of the lines a renderer actually pulled (the last walk's).</summary>
    private static (StatementDocument Statement, Func<long> Count) Counted(StatementDocument statement)
    {
        long count = 0;
        async IAsyncEnumerable<StatementLine> Walk([EnumeratorCancellation] CancellationToken ct)
        {
            count = 0;
            await foreach (var line in statement.Lines(ct).WithCancellation(ct))
            {
                count++;
                yield return line;
            }
        }

        return (statement with { Lines = Walk }, () => count);
    }

    // ---- output ----

    private static string Row(Measurement r)
    {
        var (target, met) = Target(r);
        if (r.Error is not null) return $"| {Label(r.Format)} | {N(r.Lines)} | — | — | {F(r.PeakWorkingSetMb)} | — | — | — | {target} | failed: {r.Error.Replace('|', '/')} |";
        var seconds = r.Format == "cache" ? $"{Ms(r.Seconds * 1000)} median, {Ms(r.P99Ms)} p99 (hits)" : r.Seconds.ToString("N2", CultureInfo.InvariantCulture);
        var lines = r.Format == "cache" ? $"{N(r.Lines)} hits" : N(r.Lines);
        var cpu = r.Format == "cache" ? "—" : r.CpuSeconds.ToString("N2", CultureInfo.InvariantCulture);
        return $"| {Label(r.Format)} | {lines} | {seconds} | {cpu} | {F(r.PeakWorkingSetMb)} | {F(r.PeakGcHeapMb)} | {F(r.AllocatedMb)} | {r.FileMb.ToString("N2", CultureInfo.InvariantCulture)} | {target} | {met} |";
    }

    private static (string Target, string Met) Target(Measurement r)
    {
        static string Yes(bool ok, string miss) => ok ? "yes" : "no: " + miss;
        return r.Format switch
        {
            "excel" when r.Lines >= 1_000_000 => ("< 15 s and < 250 MB",
                Yes(r.Seconds < 15 && r.PeakWorkingSetMb < 250, $"{r.Seconds.ToString("N1", CultureInfo.InvariantCulture)} s, {F(r.PeakWorkingSetMb)} MB")),
            "pdf" when r.Lines >= 10_000 => ("< 2 s", Yes(r.Seconds < 2, $"{(r.Seconds / 2 * 100 - 100).ToString("N0", CultureInfo.InvariantCulture)}% over")),
            "cache" => ("< 10 ms", Yes(r.P99Ms < 10, $"p99 {Ms(r.P99Ms)}")),
            _ => ("reference", "—"),
        };
    }

    private static string Describe(Measurement r) => r.Error is not null
        ? $"FAILED: {r.Error}"
        : $"{N(r.Lines)} in {r.Seconds.ToString("N3", CultureInfo.InvariantCulture)} s ({r.CpuSeconds.ToString("N2", CultureInfo.InvariantCulture)} s CPU), peak working set {F(r.PeakWorkingSetMb)} MB, peak GC heap {F(r.PeakGcHeapMb)} MB, allocated {F(r.AllocatedMb)} MB, file {r.FileMb.ToString("N2", CultureInfo.InvariantCulture)} MB";

    private static string Label(string format) => format switch
    {
        "excel" => "Excel (MiniExcel)",
        "closedxml" => "Excel (ClosedXML 0.95.4)",
        "pdf" => "PDF (PDFsharp)",
        "csv" => "CSV (`;`)",
        "cache" => "cached statement (HybridCache hit)",
        "lines" => "lines only (the source, no file)",
        _ => format,
    };

    private static string LibGdiPlus() =>
        File.Exists("/usr/lib/libgdiplus.so") || File.Exists("/usr/lib/x86_64-linux-gnu/libgdiplus.so.0") || File.Exists("/usr/lib/libgdiplus.so.0")
            ? "; libgdiplus installed"
            : "; libgdiplus not installed";

    private static (double Median, double P99, double Max) Percentiles(List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, Math.Max(0, (int)Math.Ceiling(q * samples.Count) - 1))];
        return (At(0.5), At(0.99), samples[^1]);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Last(string text, int length) => text.Length <= length ? text.Trim() : text[^length..].Trim();

    private static double Mb(long bytes) => bytes / 1024d / 1024d;

    private static string F(double mb) => mb.ToString("N0", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString(value < 10 ? "N3" : "N0", CultureInfo.InvariantCulture) + " ms";
}
