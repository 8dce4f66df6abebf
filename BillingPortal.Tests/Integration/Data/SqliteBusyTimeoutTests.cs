using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.Data;

/// <summary>Every SQLite connection the portal's factory opens waits for a busy file with SQLite's own handler.</summary>
public sealed class SqliteBusyTimeoutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bp-busy-").FullName;

    [Fact]
    public async Task RegisteredFactory_OpenedConnection_HasTheBusyTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = new ServiceCollection()
            .AddBillingData(new DatabaseOptions { DataDirectory = _directory }, _directory)
            .BuildServiceProvider();
        await using var _ = services;
        var factory = services.GetRequiredService<IDbContextFactory<BillingDbContext>>();

        for (var i = 0; i < 2; i++)
        {
            // Twice: the second open reuses the pooled native connection, and the interceptor still runs.
            await using var db = await factory.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            Assert.Equal(30_000L, Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
