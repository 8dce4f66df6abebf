using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.Data;

/// <summary>Applies the provider's migrations (at start-up when configured, and by the <c>migrate</c> command).</summary>
public sealed class DatabaseMigrator(IDbContextFactory<BillingDbContext> factory, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();

        // Some migrations backfill read models from every ledger entry: minutes on a large database, not 30 s.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct => await db.Database.MigrateAsync(ct), cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the web host read while jobs write; it is a property of the file and persists.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

            // A migration that adds indexes leaves them without statistics, and SQLite's planner may then prefer a new
            // index over the right one (seen: the transactions list sorting a million rows through the release-state
            // index). Fresh statistics after any migration: about 2 s on a 1 GB database.
            if (pending.Count > 0) await db.Database.ExecuteSqlRawAsync("ANALYZE;", cancellationToken);
        }

        logger.LogInformation("Database migrated ({Provider}); {Count} migrations applied", db.Database.ProviderName, pending.Count);
    }
}
