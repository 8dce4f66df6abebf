using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>
/// SQLite's own busy handler for the inbox's connections. Microsoft.Data.Sqlite does not set <c>busy_timeout</c>: when
/// the file is locked by another writer it sleeps 150 ms and tries again, so the intake's group commit, meeting a
/// processor or sync transaction, would wait 150 ms even when the lock is free a millisecond later (measured: p99 of
/// the intake ~470 ms with the processor on, ~70 ms without). With <c>PRAGMA busy_timeout</c> SQLite itself waits in
/// steps of a few milliseconds. The setting belongs to the native connection and stays with it in the pool.
/// </summary>
internal static class SqliteBusyTimeout
{
    /// <summary>As long as the connection string's default command timeout (30 s).</summary>
    public const int Milliseconds = 30_000;

    /// <summary>Sets the busy timeout on an open SQLite connection (other providers: nothing).</summary>
    public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is not SqliteConnection) return;
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = " + Milliseconds.ToString(CultureInfo.InvariantCulture) + ";";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
