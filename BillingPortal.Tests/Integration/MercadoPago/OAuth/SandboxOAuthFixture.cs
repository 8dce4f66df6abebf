using System.Collections.Concurrent;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Tests.Integration.MercadoPago.OAuth;

/// <summary>
/// One Mercado Pago emulator per test class, standalone on loopback with its store in a temp folder, PKCE required and
/// two registered redirect URLs. Each test makes its own seller (<see cref="NewSellerAsync"/>), so tests of a class do
/// not see each other's grants.
/// </summary>
public class SandboxOAuthFixture : IAsyncLifetime
{
    public const string Callback = "https://portal.example.test/mercadopago/callback";
    public const string OtherCallback = "https://portal.example.test/mercadopago/other-callback";

    private static long _nextSellerId = 700_000_000 + Random.Shared.Next(0, 100_000_000);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "mp-oauth-" + Guid.NewGuid().ToString("N"));

    public MercadoPagoSandboxServer Server { get; private set; } = null!;

    /// <summary>What the emulator logged.</summary>
    public RecordingLoggerProvider ServerLogs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Server = await MercadoPagoSandboxServer.StartAsync(_directory, o =>
        {
            o.RedirectUris = [Callback, OtherCallback];
            o.RequirePkce = true;
            Configure(o);
        }, services =>
        {
            services.AddLogging(logging => logging.AddProvider(ServerLogs));
            ConfigureServices(services);
        }, TestContext.Current.CancellationToken);
    }

    protected virtual void Configure(MercadoPagoSandboxOptions options)
    {
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection on another thread still holds the file: the OS cleans the temp folder.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A new sandbox seller with a unique id.</summary>
    public async Task<SandboxSeller> NewSellerAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextSellerId);
        var seller = new SandboxSeller(id, $"PRODUCTORA{id}", $"ventas{id}@example.test", "Rosa", "Quispe", $"Producciones Andinas {id} S.A.C.")
        {
            PublicKey = SandboxAccounts.PublicKeyFor(id),
        };
        await Server.Accounts.UpsertSellerAsync(seller, cancellationToken);
        return seller;
    }

    /// <summary>The emulated application as the portal sees it (its real client id and secret).</summary>
    public SandboxTestEndpoints Endpoints(string? clientSecret = null, Uri? apiBase = null) =>
        new(apiBase ?? Server.BaseAddress, Server.AuthorizationEndpoint, (Server.Options.ClientId, clientSecret ?? Server.Options.ClientSecret!));

    /// <summary>
    /// Our OAuth client wired as the portal wires it (<c>AddMercadoPago</c>), pointed at this emulator, with
    /// millisecond retry delays; logs go to <paramref name="logs"/> when given.
    /// </summary>
    public static ServiceProvider ClientServices(IMercadoPagoEndpoints endpoints, RecordingLoggerProvider? logs = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["MercadoPago:Client:MaxRetries"] = "2",
            ["MercadoPago:Client:RetryBaseDelay"] = "00:00:00.010",
            ["MercadoPago:Client:RetryMaxDelay"] = "00:00:00.200",
            ["MercadoPago:Client:AttemptTimeout"] = "00:00:10",
            ["MercadoPago:Client:TotalTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null) logging.AddProvider(logs);
        });
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(endpoints);
        services.AddMercadoPago(configuration);
        return services.BuildServiceProvider();
    }
}

/// <summary>Where the portal finds Mercado Pago in these tests: the emulator's address and application.</summary>
public sealed record SandboxTestEndpoints(Uri ApiBase, Uri AuthorizationEndpoint, (string ClientId, string ClientSecret) Application) : IMercadoPagoEndpoints;

/// <summary>Keeps every log line (formatted) so a test can look for what must never be logged.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
