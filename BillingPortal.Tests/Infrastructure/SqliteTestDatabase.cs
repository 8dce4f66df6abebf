using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>A real SQLite file per test (class), migrated with the real migrations; deleted on dispose.</summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private SqliteTestDatabase(string directory, DatabaseOptions options, IDbContextFactory<BillingDbContext> factory)
    {
        Directory = directory;
        Options = options;
        Factory = factory;
    }

    public string Directory { get; }

    public DatabaseOptions Options { get; }

    public IDbContextFactory<BillingDbContext> Factory { get; }

    public string FilePath => Path.Combine(Directory, Options.SqliteFileName);

    public static async Task<SqliteTestDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", Guid.NewGuid().ToString("N"));
        var options = new DatabaseOptions { DataDirectory = directory };
        var connectionString = DataServiceCollectionExtensions.SqliteConnectionString(options, directory);
        var contextOptions = new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(connectionString).Options;
        var factory = new ContextFactory(contextOptions);
        await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(cancellationToken);
        return new SqliteTestDatabase(directory, options, factory);
    }

    public BillingDbContext CreateContext() => Factory.CreateDbContext();

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pooled connection on another thread: the temp folder is cleaned by the OS.
        }

        return ValueTask.CompletedTask;
    }

    private sealed class ContextFactory(DbContextOptions<SqliteBillingDbContext> options) : IDbContextFactory<BillingDbContext>
    {
        public BillingDbContext CreateDbContext() => new SqliteBillingDbContext(options);
    }
}
