using System.Diagnostics;
using System.Globalization;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Benchmarks;

/// <summary>Command-line options of the seed benchmark.</summary>
internal sealed record BenchmarkOptions(int Scale, int Seed, DateOnly? Anchor, string? Directory, bool Keep, bool GenerateOnly = false, bool EntityFramework = false)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(1_000_000, 42, null, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--scale" => options with { Scale = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--anchor" => options with { Anchor = DateOnly.ParseExact(args[++i], "yyyy-MM-dd", CultureInfo.InvariantCulture) },
                "--dir" => options with { Directory = args[++i] },
                "--keep" => options with { Keep = true },
                "--generate-only" => options with { GenerateOnly = true },
                "--entity-framework" => options with { EntityFramework = true },
                _ => throw new ArgumentException($"Unknown argument {args[i]}"),
            };
        }

        return options;
    }
}

/// <summary>A context factory over fixed options (what the host's DI would provide).</summary>
internal sealed class BenchmarkContextFactory(DbContextOptions<SqliteBillingDbContext> options) : IDbContextFactory<BillingDbContext>
{
    public BillingDbContext CreateDbContext() => new SqliteBillingDbContext(options);
}

/// <summary>
/// Samples the process working set (and the GC heap: <see cref="GC.GetTotalMemory(bool)"/> without collecting) every
/// 200 ms, or every <c>intervalMs</c>, and keeps the largest values.
/// </summary>
internal sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;
    private long _peakGcHeap;

    public PeakMemorySampler(int intervalMs = 200) => _timer = new Timer(_ => Sample(), null, 0, intervalMs);

    public long Peak => Interlocked.Read(ref _peak);

    public long PeakGcHeap => Interlocked.Read(ref _peakGcHeap);

    public void Stop()
    {
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        Sample();
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        Raise(ref _peak, process.WorkingSet64);
        Raise(ref _peakGcHeap, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static void Raise(ref long peak, long current)
    {
        long seen;
        do seen = Interlocked.Read(ref peak);
        while (current > seen && Interlocked.CompareExchange(ref peak, current, seen) != seen);
    }
}

/// <summary>Prints the seeder's progress lines with a timestamp.</summary>
internal sealed class ConsoleLogger<T> : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {formatter(state, exception)}");
    }
}
