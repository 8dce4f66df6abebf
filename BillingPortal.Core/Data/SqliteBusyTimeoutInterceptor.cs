using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BillingPortal.Core.Data;

/// <summary>
/// Gives every EF SQLite connection SQLite's own busy handler (<c>PRAGMA busy_timeout</c>). Without it,
/// Microsoft.Data.Sqlite sleeps 150 ms whenever another writer holds the file and then retries, so a sync page, a
/// webhook upsert or a ledger write that meets another writer waits 150 ms even when the lock is free a millisecond later
/// (measured on the webhook intake: p99 470 ms → 132 ms, docs/performance.md). SQLite waits in steps of a few ms instead.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    /// <summary>As long as the connection string's default command timeout (30 s).</summary>
    public const int Milliseconds = 30_000;

    private static readonly string Pragma = "PRAGMA busy_timeout = " + Milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";";

    public static SqliteBusyTimeoutInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is not SqliteConnection) return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (connection is not SqliteConnection) return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
