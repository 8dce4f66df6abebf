using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using BillingPortal.Core.MercadoPago.Webhooks;
using Microsoft.Data.Sqlite;

namespace BillingPortal.Benchmarks;

/// <summary>Options of <c>--webhooks</c>.</summary>
internal sealed record WebhookBenchmarkOptions(
    string? Portal,
    int Clients,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan KillAfter,
    bool Kill,
    bool Keep,
    bool Processor,
    IReadOnlyDictionary<string, string>? Environment = null)
{
    public static WebhookBenchmarkOptions Parse(string[] args)
    {
        var options = new WebhookBenchmarkOptions(null, 32, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6), true, false, true);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--webhooks" => options,
                "--portal" => options with { Portal = args[++i] },
                "--clients" => options with { Clients = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) },
                "--kill-after" => options with { KillAfter = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) },
                "--no-kill" => options with { Kill = false },
                "--no-processor" => options with { Processor = false },
                "--keep" => options with { Keep = true },
                "--env" => options with { Environment = With(options.Environment, args[++i]) },
                _ => throw new ArgumentException($"Unknown argument {args[i]}"),
            };
        }

        return options;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string>? environment, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new ArgumentException("--env takes NAME=VALUE");
        var copy = environment is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(environment, StringComparer.Ordinal);
        copy[assignment[..equals]] = assignment[(equals + 1)..];
        return copy;
    }
}

/// <summary>
/// Webhook intake benchmark (issue #5 §7): the built portal (Release) as a child process on a free loopback port with a
/// temporary data folder and a webhook secret; N clients post signed <c>payment</c> notifications (unique ids, the
/// emulator's body and headers) for a fixed time; accepted/s and latency percentiles are printed. Then the kill test:
/// clients fire continuously, the process is SIGKILLed mid-stream and restarted, and every notification that got a 200
/// must be in the inbox (counted by dedup key).
/// </summary>
internal static class WebhookBenchmark
{
    private const string Route = "/api/webhooks/mercadopago";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = WebhookBenchmarkOptions.Parse(args);
        var portal = options.Portal ?? DefaultPortal();
        if (!File.Exists(portal))
        {
            Console.Error.WriteLine($"Portal not found at {portal}: build it first (dotnet build -c Release BillingPortal) or pass --portal <BillingPortal.dll>.");
            return 2;
        }

        Console.WriteLine($"Portal: {portal}");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average {LoadAverage()}");
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

        var throughputDir = NewDirectory("throughput");
        bool ok;
        await using (var host = await PortalHost.StartAsync(portal, throughputDir, secret, options))
        {
            var result = await LoadAsync(host.BaseAddress, secret, options.Clients, options.Warmup, options.Duration, null, CancellationToken.None);
            var stored = CountInbox(throughputDir);
            Console.WriteLine();
            if (options.Environment is { Count: > 0 } extra) Console.WriteLine("Extra environment: " + string.Join(", ", extra.Select(e => e.Key + "=" + e.Value)));
            Console.WriteLine($"Throughput: {options.Clients} clients, {options.Duration.TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s measured after {options.Warmup.TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s of warm-up; processor {(options.Processor ? "on" : "off")}");
            Console.WriteLine($"  accepted      {result.Measured.ToString("N0", CultureInfo.InvariantCulture)} ({(result.Measured / options.Duration.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)}/s)");
            Console.WriteLine($"  latency       p50 {result.Percentile(0.50)} ms, p95 {result.Percentile(0.95)} ms, p99 {result.Percentile(0.99)} ms, max {result.Percentile(1.0)} ms");
            Console.WriteLine($"  errors        {result.Errors.ToString("N0", CultureInfo.InvariantCulture)} (non-200 or failed requests)");
            Console.WriteLine($"  inbox rows    {stored.ToString("N0", CultureInfo.InvariantCulture)} for {result.Acknowledged.Count.ToString("N0", CultureInfo.InvariantCulture)} acknowledged (warm-up included)");
            Console.WriteLine($"  portal CPU    {host.CpuTime.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s; load average now {LoadAverage()}");
            ok = result.Errors == 0 && stored == result.Acknowledged.Count;
        }

        if (!options.Keep) Delete(throughputDir);
        if (!options.Kill) return ok ? 0 : 1;

        var killDir = NewDirectory("kill");
        var acknowledged = new ConcurrentBag<string>();
        await using (var host = await PortalHost.StartAsync(portal, killDir, secret, options))
        {
            using var stop = new CancellationTokenSource();
            var load = LoadAsync(host.BaseAddress, secret, options.Clients, TimeSpan.Zero, TimeSpan.FromMinutes(5), acknowledged, stop.Token);
            await Task.Delay(options.KillAfter);
            var before = acknowledged.Count;
            host.Kill();
            var killedAt = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await stop.CancelAsync();
            var result = await load;
            Console.WriteLine();
            Console.WriteLine($"Kill test: SIGKILL after {options.KillAfter.TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s with {options.Clients} clients firing; {before.ToString("N0", CultureInfo.InvariantCulture)} acknowledged at the kill, {acknowledged.Count.ToString("N0", CultureInfo.InvariantCulture)} in all, {result.Errors.ToString("N0", CultureInfo.InvariantCulture)} requests failed at or after it");
            _ = killedAt;
        }

        await using (var restarted = await PortalHost.StartAsync(portal, killDir, secret, options))
        {
            var keys = ReadKeys(killDir);
            var missing = acknowledged.Where(id => !keys.Contains("id:" + id)).ToList();
            var extra = keys.Count - acknowledged.Distinct().Count();
            Console.WriteLine($"  after restart: inbox holds {keys.Count.ToString("N0", CultureInfo.InvariantCulture)} entries; acknowledged but missing: {missing.Count.ToString("N0", CultureInfo.InvariantCulture)}; stored but never acknowledged (in flight at the kill): {extra.ToString("N0", CultureInfo.InvariantCulture)}");
            ok &= missing.Count == 0;
        }

        if (!options.Keep) Delete(killDir);
        Console.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }

    private sealed record LoadResult(long[] Latencies, long Measured, long Errors, ConcurrentBag<string> Acknowledged)
    {
        public string Percentile(double p)
        {
            if (Latencies.Length == 0) return "-";
            var index = Math.Clamp((int)Math.Ceiling(p * Latencies.Length) - 1, 0, Latencies.Length - 1);
            return (Latencies[index] * 1000.0 / Stopwatch.Frequency).ToString("N1", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// <paramref name="clients"/> loops posting signed notifications until <paramref name="warmup"/> + <paramref name="duration"/>
    /// (or cancellation); latencies of the requests started after the warm-up are kept.
    /// </summary>
    private static async Task<LoadResult> LoadAsync(
        Uri baseAddress, string secret, int clients, TimeSpan warmup, TimeSpan duration, ConcurrentBag<string>? acknowledged, CancellationToken cancellationToken)
    {
        acknowledged ??= [];
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new ConcurrentBag<long[]>();
        long errors = 0;
        long nextId = 900_000_000_000L + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 1_000_000) * 1_000_000;
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>(8192);
            while (!cancellationToken.IsCancellationRequested)
            {
                var before = Stopwatch.GetTimestamp();
                if (before >= end) break;
                var id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
                var paymentId = (Interlocked.Increment(ref nextId) % 1_000_000_000L + 1).ToString(CultureInfo.InvariantCulture);
                try
                {
                    using var request = Request(secret, id, paymentId);
                    using var response = await http.SendAsync(request, cancellationToken);
                    var after = Stopwatch.GetTimestamp();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(id);
                        if (before >= measureFrom) mine.Add(after - before);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    Interlocked.Increment(ref errors);
                    if (cancellationToken.IsCancellationRequested) break;
                    await Task.Delay(50, CancellationToken.None);
                }
            }

            latencies.Add([.. mine]);
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(all, all.Length, errors, acknowledged);
    }

    /// <summary>What the emulator sends (§5.2): query, body, x-signature and x-request-id.</summary>
    private static HttpRequestMessage Request(string secret, string notificationId, string paymentId)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = "{\"id\":" + notificationId + ",\"live_mode\":true,\"type\":\"payment\",\"date_created\":\"2026-11-28T10:04:58.396-04:00\",\"user_id\":300100200,"
                   + "\"api_version\":\"v1\",\"action\":\"payment.created\",\"data\":{\"id\":\"" + paymentId + "\"}}";
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Route}?data.id={paymentId}&type=payment")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-request-id", requestId);
        request.Headers.TryAddWithoutValidation("x-signature", MercadoPagoWebhookSignature.Sign(secret, paymentId, requestId, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return request;
    }

    private static long CountInbox(string directory)
    {
        using var connection = Open(directory);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"WebhookInbox\"";
        return (long)command.ExecuteScalar()!;
    }

    private static HashSet<string> ReadKeys(string directory)
    {
        using var connection = Open(directory);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"DedupKey\" FROM \"WebhookInbox\"";
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read()) keys.Add(reader.GetString(0));
        return keys;
    }

    private static SqliteConnection Open(string directory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "billingportal.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static string DefaultPortal()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BillingPortal.sln"))) directory = directory.Parent;
        var root = directory?.FullName ?? Environment.CurrentDirectory;
        return Path.Combine(root, "BillingPortal", "bin", "Release", "net10.0", "BillingPortal.dll");
    }

    private static string NewDirectory(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), "billingportal-bench-webhooks-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void Delete(string directory)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>The portal as a child process: <c>dotnet BillingPortal.dll</c> in Production on a free loopback port.</summary>
    private sealed class PortalHost : IAsyncDisposable
    {
        /// <summary>Production refuses to start without a token protection key: a random one for this run.</summary>
        private static readonly string TokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        private readonly Process _process;
        private readonly Task _drain;

        private PortalHost(Process process, Uri baseAddress, Task drain)
        {
            _process = process;
            BaseAddress = baseAddress;
            _drain = drain;
        }

        public Uri BaseAddress { get; }

        public TimeSpan CpuTime
        {
            get
            {
                try
                {
                    _process.Refresh();
                    return _process.TotalProcessorTime;
                }
                catch (InvalidOperationException)
                {
                    return TimeSpan.Zero;
                }
            }
        }

        public static async Task<PortalHost> StartAsync(string portal, string dataDirectory, string secret, WebhookBenchmarkOptions options)
        {
            var port = FreePort();
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
            start.Environment["Database__DataDirectory"] = dataDirectory;
            start.Environment["Serilog__WriteTo__File__Args__path"] = Path.Combine(dataDirectory, "logs", "billingportal-.json");
            start.Environment["MercadoPago__Webhooks__Secret"] = secret;
            start.Environment["MercadoPago__Webhooks__Processing__Enabled"] = options.Processor ? "true" : "false";
            start.Environment["Jobs__Enabled"] = "false";
            start.Environment["TokenProtection__Keys__bench"] = TokenKey;
            start.Environment["TokenProtection__ActiveKeyId"] = "bench";
            foreach (var (name, value) in options.Environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            process.StandardInput.Close();
            var drain = Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(Stream.Null), process.StandardError.BaseStream.CopyToAsync(Stream.Null));
            var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
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

                if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("The portal did not become ready in 2 minutes.");
                await Task.Delay(200);
            }

            Console.WriteLine($"Portal ready on {baseAddress} in {deadline.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s (data in {dataDirectory})");
            return new PortalHost(process, baseAddress, drain);
        }

        /// <summary>SIGKILL: no shutdown code runs.</summary>
        public void Kill() => _process.Kill(entireProcessTree: false);

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            await _drain;
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
