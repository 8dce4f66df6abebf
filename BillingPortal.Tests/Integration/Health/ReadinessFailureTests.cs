using System.Net;
using System.Text;
using BillingPortal.Tests.Infrastructure;

namespace BillingPortal.Tests.Integration.Health;

/// <summary>Readiness against a database that is really not usable; liveness does not depend on it.</summary>
public sealed class ReadinessFailureTests
{
    [Fact]
    public async Task Ready_EmptyDatabaseWithPendingMigrations_Returns503()
    {
        await using var factory = new UnmigratedPortalFactory([]);
        await factory.InitializeAsync();
        using var client = factory.CreateHttpClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Ready_DatabaseFileIsNotSqlite_Returns503()
    {
        await using var factory = new UnmigratedPortalFactory(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("esto no es una base de datos SQLite. ", 200))));
        await factory.InitializeAsync();
        using var client = factory.CreateHttpClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>Starts the portal with migrations off over a database file written beforehand.</summary>
    private sealed class UnmigratedPortalFactory(byte[] databaseFile) : BillingPortalFactory
    {
        public override async ValueTask InitializeAsync()
        {
            Directory.CreateDirectory(DataDirectory);
            await File.WriteAllBytesAsync(DatabaseFilePath, databaseFile, TestContext.Current.CancellationToken);
            await base.InitializeAsync();
        }

        protected override void ConfigureSettings(IDictionary<string, string?> settings) => settings["Database:MigrateOnStartup"] = "false";
    }
}
