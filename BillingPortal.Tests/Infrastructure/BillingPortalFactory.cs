using System.Security.Cryptography;
using BillingPortal.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// The whole portal on a real Kestrel port on loopback, over a real SQLite file in a fresh temp directory
/// (<c>Database:DataDirectory</c>), migrated on start, environment <c>Testing</c>, demo off, and one random platform
/// API key (<see cref="ApiKey"/>). Share it with <c>IClassFixture&lt;BillingPortalFactory&gt;</c> (one database per test
/// class) or derive from it; <see cref="Settings"/> or <see cref="ConfigureSettings"/> add or override configuration keys and
/// <see cref="ConfigureTestServices"/> replaces services (e.g. a FakeTimeProvider).
/// </summary>
/// <remarks>
/// Program.cs goes through <c>PortalCommandLine.RunAsync(args)</c>: WebApplicationFactory passes its host settings
/// as <c>--key=value</c> arguments, which is the serve path, and intercepts the host built there. Starting and
/// stopping are serialized across factories because Program installs Serilog's static bootstrap logger, which
/// each host freezes once: two hosts starting at the same time would race on it ("The logger is already frozen").
/// </remarks>
public class BillingPortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly SemaphoreSlim HostGate = new(1, 1);

    public BillingPortalFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "host-" + Guid.NewGuid().ToString("N"));
        ApiKey = "test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        UseKestrel(0);
    }

    /// <summary>
    /// Adds or overrides configuration keys for one instance, e.g.
    /// <c>new BillingPortalFactory { Settings = s =&gt; s["Ingestion:MaxBodyBytes"] = "2048" }</c>.
    /// </summary>
    public Action<IDictionary<string, string?>>? Settings { get; init; }

    /// <summary>The folder of this instance's SQLite file (and its log files); deleted on dispose.</summary>
    public string DataDirectory { get; }

    public string DatabaseFilePath => Path.Combine(DataDirectory, new DatabaseOptions().SqliteFileName);

    /// <summary>The platform API key configured as <c>Ingestion:ApiKeys:0</c>.</summary>
    public string ApiKey { get; }

    /// <summary>Creates the data folder and starts the server (migrations run in its start-up).</summary>
    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await HostGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            StartServer();
        }
        finally
        {
            HostGate.Release();
        }
    }

    /// <summary>A client for the real server that follows no redirects and keeps no cookies.</summary>
    public HttpClient CreateHttpClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ServerAddress, AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>The address Kestrel listens on (a dynamic port on loopback).</summary>
    public Uri ServerAddress
    {
        get
        {
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            return new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        }
    }

    /// <summary>A client that sends <see cref="ApiKey"/> in <c>X-Api-Key</c> on every request.</summary>
    public HttpClient CreateIngestionClient()
    {
        var client = CreateHttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>A context on the portal's own database.</summary>
    public BillingDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<BillingDbContext>>().CreateDbContext();

    /// <summary>Deletes every row of every table (not the migrations history), for tests that need an empty database.</summary>
    public async Task ResetDataAsync(CancellationToken cancellationToken)
    {
        await using var db = CreateDbContext();
        var tables = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().ToList();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF;", cancellationToken);
            foreach (var table in tables)
            {
#pragma warning disable EF1002 // table names come from the EF model, not from input
                await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{table}\";", cancellationToken);
#pragma warning restore EF1002
            }
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = ON;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await HostGate.WaitAsync();
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            HostGate.Release();
        }

        using (var connection = new SqliteConnection(DataServiceCollectionExtensions.SqliteConnectionString(new DatabaseOptions { DataDirectory = DataDirectory }, DataDirectory)))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a connection finishing on another thread: the OS cleans the temp folder.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Adds or overrides configuration keys; the defaults are already in <paramref name="settings"/>.</summary>
    protected virtual void ConfigureSettings(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Replaces services after the portal registered its own.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = DataDirectory,
            ["Database:MigrateOnStartup"] = "true",
            ["Demo:Enabled"] = "false",
            ["Ingestion:ApiKeys:0"] = ApiKey,
            ["Serilog:WriteTo:File:Args:path"] = Path.Combine(DataDirectory, "logs", "billingportal-.json"),
        };
        ConfigureSettings(settings);
        Settings?.Invoke(settings);

        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(ConfigureTestServices);
    }
}
