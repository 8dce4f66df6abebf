using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BillingPortal.Core.Demo;

/// <summary>
/// <c>seed --reset</c>: deletes every row of every table in the EF model (dependents before their principals, so
/// tables added later are covered too) and, on SQLite, restarts the AUTOINCREMENT counters so a new seed gets the
/// same ids as on a fresh file. SQL Server identities are not reseeded: ids continue, the data is otherwise the same.
/// </summary>
internal static class DemoDatabaseReset
{
    public static async Task ResetAsync(BillingDbContext db, CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        foreach (var table in TablesInDeleteOrder(db.Model))
        {
#pragma warning disable EF1002 // Table names come from the model, not from input.
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM {sql.DelimitIdentifier(table.Name, table.Schema)}", cancellationToken);
#pragma warning restore EF1002
        }

        if (db.Database.IsSqlite())
        {
            var hasSequence = await db.Database
                .SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
                .SingleAsync(cancellationToken);
            if (hasSequence > 0) await db.Database.ExecuteSqlRawAsync("DELETE FROM sqlite_sequence", cancellationToken);
        }
    }

    /// <summary>Every mapped table, each before the tables it references (self-references ignored).</summary>
    internal static List<ITable> TablesInDeleteOrder(IModel model)
    {
        var tables = model.GetRelationalModel().Tables.ToList();
        var ordered = new List<ITable>(tables.Count);
        var remaining = new HashSet<ITable>(tables);
        while (remaining.Count > 0)
        {
            // A table can go once no remaining table references it.
            var next = remaining
                .Where(t => !remaining.Any(other => other != t && other.ForeignKeyConstraints.Any(fk => fk.PrincipalTable == t)))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
            if (next.Count == 0) throw new InvalidOperationException("The model has a cycle of foreign keys between tables.");
            foreach (var t in next)
            {
                ordered.Add(t);
                remaining.Remove(t);
            }
        }

        return ordered;
    }
}
