using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// Keeps the ledger's read models (<see cref="LedgerTotals"/>: per day, per event and day, per event and month, per
/// method and day, per release day, per event and release day) in step with the ledger: incrementally (the difference between a payment's old and new entries, inside
/// the writer's transaction) or in bulk (one <c>INSERT … SELECT … GROUP BY</c> per table).
/// </summary>
public static class LedgerRollups
{
    /// <summary>The event key of entries whose payment has no event.</summary>
    public const int NoEvent = 0;

    /// <summary>The release-date key of entries whose payment has no release date.</summary>
    public static readonly DateOnly NoReleaseDate = DateOnly.MinValue;

    /// <summary>
    /// Adjusts the read models in <paramref name="db"/> from <paramref name="removed"/> entries to <paramref name="added"/>
    /// ones (only PEN entries count). Call it inside the transaction that replaces the entries, after the first write
    /// (on SQLite the write lock is then held, so no other writer interleaves; elsewhere <see cref="LedgerTotals.Version"/>
    /// turns a race into a concurrency failure the caller retries). The caller saves.
    /// </summary>
    public static async Task ApplyAsync(BillingDbContext db, IEnumerable<LedgerEntry> removed, IEnumerable<LedgerEntry> added, CancellationToken cancellationToken)
    {
        var changes = removed.Where(e => e.Currency == Money.Pen).Select(e => (Entry: e, Sign: -1))
            .Concat(added.Where(e => e.Currency == Money.Pen).Select(e => (Entry: e, Sign: +1)))
            .ToList();
        if (changes.Count == 0) return;

        var organizerIds = changes.Select(c => c.Entry.OrganizerId).Distinct().ToList();
        var dates = changes.Select(c => c.Entry.LocalDate).Distinct().ToList();
        var months = dates.Select(MonthOf).Distinct().ToList();
        var releaseDates = changes.Select(c => c.Entry.ReleaseLocalDate ?? NoReleaseDate).Distinct().ToList();

        await ApplyAsync(db, db.LedgerDayTotals, changes,
            e => (e.OrganizerId, e.LocalDate, e.Kind),
            r => (r.OrganizerId, r.LocalDate, r.Kind),
            k => new LedgerDayTotal { OrganizerId = k.OrganizerId, LocalDate = k.LocalDate, Kind = k.Kind },
            db.LedgerDayTotals.Where(r => organizerIds.Contains(r.OrganizerId) && dates.Contains(r.LocalDate)),
            cancellationToken);
        await ApplyAsync(db, db.LedgerEventDayTotals, changes,
            e => (e.OrganizerId, e.LocalDate, EventId: e.EventId ?? NoEvent, e.Kind),
            r => (r.OrganizerId, r.LocalDate, r.EventId, r.Kind),
            k => new LedgerEventDayTotal { OrganizerId = k.OrganizerId, LocalDate = k.LocalDate, EventId = k.EventId, Kind = k.Kind },
            db.LedgerEventDayTotals.Where(r => organizerIds.Contains(r.OrganizerId) && dates.Contains(r.LocalDate)),
            cancellationToken);
        await ApplyAsync(db, db.LedgerEventMonthTotals, changes,
            e => (e.OrganizerId, Month: MonthOf(e.LocalDate), EventId: e.EventId ?? NoEvent, e.Kind),
            r => (r.OrganizerId, r.Month, r.EventId, r.Kind),
            k => new LedgerEventMonthTotal { OrganizerId = k.OrganizerId, Month = k.Month, EventId = k.EventId, Kind = k.Kind },
            db.LedgerEventMonthTotals.Where(r => organizerIds.Contains(r.OrganizerId) && months.Contains(r.Month)),
            cancellationToken);
        await ApplyAsync(db, db.LedgerReleaseTotals, changes,
            e => (e.OrganizerId, e.ReleaseState, ReleaseDate: e.ReleaseLocalDate ?? NoReleaseDate),
            r => (r.OrganizerId, r.ReleaseState, ReleaseDate: r.ReleaseLocalDate),
            k => new LedgerReleaseTotal { OrganizerId = k.OrganizerId, ReleaseState = k.ReleaseState, ReleaseLocalDate = k.ReleaseDate },
            db.LedgerReleaseTotals.Where(r => organizerIds.Contains(r.OrganizerId) && releaseDates.Contains(r.ReleaseLocalDate)),
            cancellationToken);
        await ApplyAsync(db, db.LedgerMethodDayTotals, changes,
            e => (e.OrganizerId, e.LocalDate, e.Kind, Method: e.PaymentMethodId ?? "", Type: e.PaymentTypeId ?? ""),
            r => (r.OrganizerId, r.LocalDate, r.Kind, Method: r.PaymentMethodId, Type: r.PaymentTypeId),
            k => new LedgerMethodDayTotal { OrganizerId = k.OrganizerId, LocalDate = k.LocalDate, Kind = k.Kind, PaymentMethodId = k.Method, PaymentTypeId = k.Type },
            db.LedgerMethodDayTotals.Where(r => organizerIds.Contains(r.OrganizerId) && dates.Contains(r.LocalDate)),
            cancellationToken);
        await ApplyAsync(db, db.LedgerEventReleaseTotals, changes,
            e => (e.OrganizerId, EventId: e.EventId ?? NoEvent, e.ReleaseState, ReleaseDate: e.ReleaseLocalDate ?? NoReleaseDate),
            r => (r.OrganizerId, r.EventId, r.ReleaseState, ReleaseDate: r.ReleaseLocalDate),
            k => new LedgerEventReleaseTotal { OrganizerId = k.OrganizerId, EventId = k.EventId, ReleaseState = k.ReleaseState, ReleaseLocalDate = k.ReleaseDate },
            db.LedgerEventReleaseTotals.Where(r => organizerIds.Contains(r.OrganizerId) && releaseDates.Contains(r.ReleaseLocalDate)),
            cancellationToken);
    }

    /// <summary>The key of <see cref="LedgerEventMonthTotal.Month"/>: the first day of the date's month.</summary>
    public static DateOnly MonthOf(DateOnly date) => new(date.Year, date.Month, 1);

    /// <summary>
    /// Rebuilds the read models of one organizer (or of all when null) from the stored entries, in the caller's
    /// transaction. Used after bulk loads (the demo seed) and as a repair; returns the rows written (all tables).
    /// </summary>
    public static async Task<int> RebuildAsync(BillingDbContext db, int? organizerId, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var statement in RebuildStatements(db, organizerId is not null))
        {
            object[] parameters = organizerId is null ? [] : [organizerId.Value];
#pragma warning disable EF1002 // Identifiers come from the model; the only value is a parameter.
            var rows = await db.Database.ExecuteSqlRawAsync(statement, parameters, cancellationToken);
#pragma warning restore EF1002
            if (statement.StartsWith("INSERT", StringComparison.Ordinal)) written += rows;
        }

        return written;
    }

    /// <summary>
    /// The SQL that rebuilds every read model: per table a <c>DELETE</c> then an <c>INSERT … SELECT … GROUP BY</c> over
    /// the PEN entries. With <paramref name="oneOrganizer"/>, both are limited to the organizer given as parameter {0}.
    /// </summary>
    public static IReadOnlyList<string> RebuildStatements(BillingDbContext db, bool oneOrganizer)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sql = db.GetService<ISqlGenerationHelper>();
        var entry = db.Model.FindEntityType(typeof(LedgerEntry))!;
        string E(string property) => sql.DelimitIdentifier(entry.FindProperty(property)!.GetColumnName());
        var noRelease = db.Database.IsSqlite() ? "'0001-01-01'" : "CAST('0001-01-01' AS date)";

        var organizer = E(nameof(LedgerEntry.OrganizerId));
        var localDate = E(nameof(LedgerEntry.LocalDate));
        var kind = E(nameof(LedgerEntry.Kind));
        var eventId = $"COALESCE({E(nameof(LedgerEntry.EventId))}, {NoEvent})";
        var month = db.Database.IsSqlite() ? $"date({localDate}, 'start of month')" : $"DATEFROMPARTS(YEAR({localDate}), MONTH({localDate}), 1)";
        var releaseDate = $"COALESCE({E(nameof(LedgerEntry.ReleaseLocalDate))}, {noRelease})";
        var tables = new (Type Type, (string Property, string Expression)[] Key)[]
        {
            (typeof(LedgerDayTotal), [(nameof(LedgerDayTotal.OrganizerId), organizer), (nameof(LedgerDayTotal.LocalDate), localDate), (nameof(LedgerDayTotal.Kind), kind)]),
            (typeof(LedgerEventDayTotal), [
                (nameof(LedgerEventDayTotal.OrganizerId), organizer), (nameof(LedgerEventDayTotal.LocalDate), localDate),
                (nameof(LedgerEventDayTotal.EventId), eventId), (nameof(LedgerEventDayTotal.Kind), kind),
            ]),
            (typeof(LedgerEventMonthTotal), [
                (nameof(LedgerEventMonthTotal.OrganizerId), organizer), (nameof(LedgerEventMonthTotal.Month), month),
                (nameof(LedgerEventMonthTotal.EventId), eventId), (nameof(LedgerEventMonthTotal.Kind), kind),
            ]),
            (typeof(LedgerReleaseTotal), [
                (nameof(LedgerReleaseTotal.OrganizerId), organizer), (nameof(LedgerReleaseTotal.ReleaseState), E(nameof(LedgerEntry.ReleaseState))),
                (nameof(LedgerReleaseTotal.ReleaseLocalDate), releaseDate),
            ]),
            (typeof(LedgerMethodDayTotal), [
                (nameof(LedgerMethodDayTotal.OrganizerId), organizer), (nameof(LedgerMethodDayTotal.LocalDate), localDate), (nameof(LedgerMethodDayTotal.Kind), kind),
                (nameof(LedgerMethodDayTotal.PaymentMethodId), $"COALESCE({E(nameof(LedgerEntry.PaymentMethodId))}, '')"),
                (nameof(LedgerMethodDayTotal.PaymentTypeId), $"COALESCE({E(nameof(LedgerEntry.PaymentTypeId))}, '')"),
            ]),
            (typeof(LedgerEventReleaseTotal), [
                (nameof(LedgerEventReleaseTotal.OrganizerId), organizer), (nameof(LedgerEventReleaseTotal.EventId), eventId),
                (nameof(LedgerEventReleaseTotal.ReleaseState), E(nameof(LedgerEntry.ReleaseState))),
                (nameof(LedgerEventReleaseTotal.ReleaseLocalDate), releaseDate),
            ]),
        };

        var sale = $"'{LedgerEntryKind.Sale}'";
        var sums = new (string Property, string Expression)[]
        {
            (nameof(LedgerTotals.Entries), "COUNT(*)"),
            (nameof(LedgerTotals.Sales), $"SUM(CASE WHEN {kind} = {sale} THEN 1 ELSE 0 END)"),
            (nameof(LedgerTotals.Tickets), $"SUM({E(nameof(LedgerEntry.Tickets))})"),
            (nameof(LedgerTotals.Gross), $"SUM({E(nameof(LedgerEntry.Gross))})"),
            (nameof(LedgerTotals.MercadoPagoFee), $"SUM({E(nameof(LedgerEntry.MercadoPagoFee))})"),
            (nameof(LedgerTotals.CommissionBase), $"SUM({E(nameof(LedgerEntry.CommissionBase))})"),
            (nameof(LedgerTotals.CommissionIgv), $"SUM({E(nameof(LedgerEntry.CommissionIgv))})"),
            (nameof(LedgerTotals.OtherFees), $"SUM({E(nameof(LedgerEntry.OtherFees))})"),
            (nameof(LedgerTotals.Net), $"SUM({E(nameof(LedgerEntry.Net))})"),
            (nameof(LedgerTotals.Version), "0"),
        };

        var statements = new List<string>();
        foreach (var (type, key) in tables)
        {
            var table = db.Model.FindEntityType(type)!;
            string R(string property) => sql.DelimitIdentifier(table.FindProperty(property)!.GetColumnName());
            var name = sql.DelimitIdentifier(table.GetTableName()!);
            statements.Add($"DELETE FROM {name}" + (oneOrganizer ? $" WHERE {R(nameof(LedgerTotals.OrganizerId))} = {{0}}" : ""));
            statements.Add(
                $"INSERT INTO {name} ({string.Join(", ", key.Concat(sums).Select(c => R(c.Property)))}) " +
                $"SELECT {string.Join(", ", key.Concat(sums).Select(c => c.Expression))} " +
                $"FROM {sql.DelimitIdentifier(entry.GetTableName()!)} WHERE {E(nameof(LedgerEntry.Currency))} = '{Money.Pen}'" +
                (oneOrganizer ? $" AND {organizer} = {{0}}" : "") +
                $" GROUP BY {string.Join(", ", key.Select(c => c.Expression))}");
        }

        return statements;
    }

    private static async Task ApplyAsync<TRow, TKey>(
        BillingDbContext db, DbSet<TRow> set, List<(LedgerEntry Entry, int Sign)> changes, Func<LedgerEntry, TKey> keyOfEntry, Func<TRow, TKey> keyOfRow,
        Func<TKey, TRow> create, IQueryable<TRow> candidates, CancellationToken cancellationToken)
        where TRow : LedgerTotals
        where TKey : notnull
    {
        var deltas = new Dictionary<TKey, Delta>();
        foreach (var (e, sign) in changes)
        {
            var key = keyOfEntry(e);
            deltas[key] = deltas.GetValueOrDefault(key).Add(e, sign);
        }

        foreach (var key in deltas.Where(kv => kv.Value.IsZero).Select(kv => kv.Key).ToList()) deltas.Remove(key);
        if (deltas.Count == 0) return;

        // Loads (and tracks) the candidate rows; rows this unit of work already tracks (added, not yet saved) count too.
        await candidates.LoadAsync(cancellationToken);
        var byKey = new Dictionary<TKey, TRow>();
        foreach (var row in set.Local) byKey.TryAdd(keyOfRow(row), row);

        foreach (var (key, delta) in deltas)
        {
            if (!byKey.TryGetValue(key, out var row))
            {
                row = create(key);
                set.Add(row);
                byKey[key] = row;
            }
            else if (db.Entry(row).State != EntityState.Added)
            {
                row.Version++;
            }

            row.Entries += delta.Entries;
            row.Sales += delta.Sales;
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
                else set.Remove(row);
                byKey.Remove(key);
            }
        }
    }

    private readonly record struct Delta(int Entries, int Sales, int Tickets, decimal Gross, decimal MercadoPagoFee, decimal CommissionBase, decimal CommissionIgv, decimal OtherFees, decimal Net)
    {
        public bool IsZero => Entries == 0 && Sales == 0 && Tickets == 0 && Gross == 0m && MercadoPagoFee == 0m && CommissionBase == 0m && CommissionIgv == 0m && OtherFees == 0m && Net == 0m;

        public Delta Add(LedgerEntry e, int sign) => new(
            Entries + sign, Sales + (e.Kind == LedgerEntryKind.Sale ? sign : 0), Tickets + (sign * e.Tickets), Gross + (sign * e.Gross),
            MercadoPagoFee + (sign * e.MercadoPagoFee), CommissionBase + (sign * e.CommissionBase), CommissionIgv + (sign * e.CommissionIgv),
            OtherFees + (sign * e.OtherFees), Net + (sign * e.Net));
    }
}
