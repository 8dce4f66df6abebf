using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// Keeps <see cref="LedgerDailyRollup"/> in step with the ledger: incrementally (the difference between a payment's
/// old and new entries, inside the writer's transaction) or in bulk (one <c>INSERT … SELECT … GROUP BY</c>).
/// </summary>
public static class LedgerRollups
{
    /// <summary>The event key of entries whose payment has no event.</summary>
    public const int NoEvent = 0;

    /// <summary>The release-date key of entries whose payment has no release date.</summary>
    public static readonly DateOnly NoReleaseDate = DateOnly.MinValue;

    /// <summary>The rollup key of one entry.</summary>
    public static RollupKey KeyOf(LedgerEntry e) => new(
        e.OrganizerId, e.LocalDate, e.EventId ?? NoEvent, e.Kind, e.PaymentMethodId ?? "", e.PaymentTypeId ?? "", e.ReleaseState,
        e.ReleaseLocalDate ?? NoReleaseDate);

    /// <summary>
    /// Adjusts the rollups in <paramref name="db"/> from <paramref name="removed"/> entries to <paramref name="added"/>
    /// ones (only PEN entries count). Call it inside the transaction that replaces the entries, after the first write
    /// (on SQLite the write lock is then held, so no other writer interleaves; elsewhere <see cref="LedgerDailyRollup.Version"/>
    /// turns a race into a concurrency failure the caller retries). The caller saves.
    /// </summary>
    public static async Task ApplyAsync(BillingDbContext db, IEnumerable<LedgerEntry> removed, IEnumerable<LedgerEntry> added, CancellationToken cancellationToken)
    {
        var deltas = new Dictionary<RollupKey, RollupDelta>();
        foreach (var e in removed) Accumulate(deltas, e, -1);
        foreach (var e in added) Accumulate(deltas, e, +1);
        foreach (var key in deltas.Where(kv => kv.Value.IsZero).Select(kv => kv.Key).ToList()) deltas.Remove(key);
        if (deltas.Count == 0) return;

        var organizerIds = deltas.Keys.Select(k => k.OrganizerId).Distinct().ToList();
        var dates = deltas.Keys.Select(k => k.LocalDate).Distinct().ToList();
        var existing = await db.LedgerDailyRollups
            .Where(r => organizerIds.Contains(r.OrganizerId) && dates.Contains(r.LocalDate))
            .ToListAsync(cancellationToken);
        var byKey = existing.ToDictionary(KeyOf);

        foreach (var (key, delta) in deltas)
        {
            if (!byKey.TryGetValue(key, out var row))
            {
                row = new LedgerDailyRollup
                {
                    OrganizerId = key.OrganizerId,
                    LocalDate = key.LocalDate,
                    EventId = key.EventId,
                    Kind = key.Kind,
                    PaymentMethodId = key.PaymentMethodId,
                    PaymentTypeId = key.PaymentTypeId,
                    ReleaseState = key.ReleaseState,
                    ReleaseLocalDate = key.ReleaseLocalDate,
                };
                db.LedgerDailyRollups.Add(row);
                byKey[key] = row;
            }
            else
            {
                row.Version++;
            }

            row.Entries += delta.Entries;
            row.Tickets += delta.Tickets;
            row.Gross += delta.Gross;
            row.MercadoPagoFee += delta.MercadoPagoFee;
            row.CommissionBase += delta.CommissionBase;
            row.CommissionIgv += delta.CommissionIgv;
            row.OtherFees += delta.OtherFees;
            row.Net += delta.Net;
            if (row.Entries <= 0)
            {
                if (db.Entry(row).State == EntityState.Added) db.Entry(row).State = EntityState.Detached;
                else db.LedgerDailyRollups.Remove(row);
                byKey.Remove(key);
            }
        }
    }

    /// <summary>
    /// Rebuilds the rollups of one organizer (or of all when null) from the stored entries, in the caller's transaction.
    /// Used after bulk loads (the demo seed) and as a repair; returns the rows written.
    /// </summary>
    public static async Task<int> RebuildAsync(BillingDbContext db, int? organizerId, CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var rollup = db.Model.FindEntityType(typeof(LedgerDailyRollup))!;
        var entry = db.Model.FindEntityType(typeof(LedgerEntry))!;
        var rollupTable = sql.DelimitIdentifier(rollup.GetTableName()!);
        var entryTable = sql.DelimitIdentifier(entry.GetTableName()!);
        string R(string property) => sql.DelimitIdentifier(rollup.FindProperty(property)!.GetColumnName());
        string E(string property) => sql.DelimitIdentifier(entry.FindProperty(property)!.GetColumnName());

        var noRelease = db.Database.IsSqlite() ? "'0001-01-01'" : "CAST('0001-01-01' AS date)";
        var where = organizerId is null ? "" : $" AND {E(nameof(LedgerEntry.OrganizerId))} = {{0}}";
        var deleteWhere = organizerId is null ? "" : $" WHERE {R(nameof(LedgerDailyRollup.OrganizerId))} = {{0}}";
        object[] parameters = organizerId is null ? [] : [organizerId.Value];

        var groupColumns = new[]
        {
            E(nameof(LedgerEntry.OrganizerId)), E(nameof(LedgerEntry.LocalDate)), $"COALESCE({E(nameof(LedgerEntry.EventId))}, {NoEvent})",
            E(nameof(LedgerEntry.Kind)), $"COALESCE({E(nameof(LedgerEntry.PaymentMethodId))}, '')", $"COALESCE({E(nameof(LedgerEntry.PaymentTypeId))}, '')",
            E(nameof(LedgerEntry.ReleaseState)), $"COALESCE({E(nameof(LedgerEntry.ReleaseLocalDate))}, {noRelease})",
        };
        var insert =
            $"INSERT INTO {rollupTable} ({R(nameof(LedgerDailyRollup.OrganizerId))}, {R(nameof(LedgerDailyRollup.LocalDate))}, {R(nameof(LedgerDailyRollup.EventId))}, " +
            $"{R(nameof(LedgerDailyRollup.Kind))}, {R(nameof(LedgerDailyRollup.PaymentMethodId))}, {R(nameof(LedgerDailyRollup.PaymentTypeId))}, " +
            $"{R(nameof(LedgerDailyRollup.ReleaseState))}, {R(nameof(LedgerDailyRollup.ReleaseLocalDate))}, {R(nameof(LedgerDailyRollup.Entries))}, " +
            $"{R(nameof(LedgerDailyRollup.Tickets))}, {R(nameof(LedgerDailyRollup.Gross))}, {R(nameof(LedgerDailyRollup.MercadoPagoFee))}, " +
            $"{R(nameof(LedgerDailyRollup.CommissionBase))}, {R(nameof(LedgerDailyRollup.CommissionIgv))}, {R(nameof(LedgerDailyRollup.OtherFees))}, " +
            $"{R(nameof(LedgerDailyRollup.Net))}, {R(nameof(LedgerDailyRollup.Version))}) " +
            $"SELECT {string.Join(", ", groupColumns)}, COUNT(*), SUM({E(nameof(LedgerEntry.Tickets))}), SUM({E(nameof(LedgerEntry.Gross))}), " +
            $"SUM({E(nameof(LedgerEntry.MercadoPagoFee))}), SUM({E(nameof(LedgerEntry.CommissionBase))}), SUM({E(nameof(LedgerEntry.CommissionIgv))}), " +
            $"SUM({E(nameof(LedgerEntry.OtherFees))}), SUM({E(nameof(LedgerEntry.Net))}), 0 " +
            $"FROM {entryTable} WHERE {E(nameof(LedgerEntry.Currency))} = '{Money.Pen}'{where} " +
            $"GROUP BY {string.Join(", ", groupColumns)}";

#pragma warning disable EF1002 // Identifiers come from the model; the only value is a parameter.
        await db.Database.ExecuteSqlRawAsync($"DELETE FROM {rollupTable}{deleteWhere}", parameters, cancellationToken);
        return await db.Database.ExecuteSqlRawAsync(insert, parameters, cancellationToken);
#pragma warning restore EF1002
    }

    private static void Accumulate(Dictionary<RollupKey, RollupDelta> deltas, LedgerEntry e, int sign)
    {
        if (e.Currency != Money.Pen) return;
        var key = KeyOf(e);
        var d = deltas.TryGetValue(key, out var existing) ? existing : new RollupDelta();
        deltas[key] = d with
        {
            Entries = d.Entries + sign,
            Tickets = d.Tickets + (sign * e.Tickets),
            Gross = d.Gross + (sign * e.Gross),
            MercadoPagoFee = d.MercadoPagoFee + (sign * e.MercadoPagoFee),
            CommissionBase = d.CommissionBase + (sign * e.CommissionBase),
            CommissionIgv = d.CommissionIgv + (sign * e.CommissionIgv),
            OtherFees = d.OtherFees + (sign * e.OtherFees),
            Net = d.Net + (sign * e.Net),
        };
    }

    private static RollupKey KeyOf(LedgerDailyRollup r) => new(
        r.OrganizerId, r.LocalDate, r.EventId, r.Kind, r.PaymentMethodId, r.PaymentTypeId, r.ReleaseState, r.ReleaseLocalDate);

    private readonly record struct RollupDelta(int Entries, int Tickets, decimal Gross, decimal MercadoPagoFee, decimal CommissionBase, decimal CommissionIgv, decimal OtherFees, decimal Net)
    {
        public bool IsZero => Entries == 0 && Tickets == 0 && Gross == 0m && MercadoPagoFee == 0m && CommissionBase == 0m && CommissionIgv == 0m && OtherFees == 0m && Net == 0m;
    }
}

/// <summary>The identity of one <see cref="LedgerDailyRollup"/> row.</summary>
public readonly record struct RollupKey(
    int OrganizerId, DateOnly LocalDate, int EventId, LedgerEntryKind Kind, string PaymentMethodId, string PaymentTypeId, ReleaseState ReleaseState, DateOnly ReleaseLocalDate);
