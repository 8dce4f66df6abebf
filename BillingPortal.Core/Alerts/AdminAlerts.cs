using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Alerts;

/// <summary>
/// <see cref="IAdminAlerts"/> over the database: one open row per <see cref="AdminAlert.Key"/>; raising it again counts an
/// occurrence (and refreshes its severity, title and detail), resolving stamps who and when. A raise after a resolve
/// opens a new row, so the history stays.
/// </summary>
public sealed class AdminAlerts(IDbContextFactory<BillingDbContext> factory, TimeProvider time) : IAdminAlerts
{
    public async Task RaiseAsync(string kind, string key, AlertSeverity severity, int? organizerId, string title, string? detail, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var counted = await db.AdminAlerts
            .Where(a => a.Key == key && a.ResolvedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Occurrences, a => a.Occurrences + 1)
                .SetProperty(a => a.LastSeenAt, now)
                .SetProperty(a => a.Severity, severity)
                .SetProperty(a => a.Title, title)
                .SetProperty(a => a.Detail, detail), cancellationToken);
        if (counted > 0) return;

        db.AdminAlerts.Add(new AdminAlert
        {
            Kind = kind,
            Key = key,
            Severity = severity,
            OrganizerId = organizerId,
            Title = title,
            Detail = detail,
            CreatedAt = now,
            LastSeenAt = now,
            Occurrences = 1,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task ResolveAsync(string key, string resolvedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(resolvedBy);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await ResolveAsync(db, [key], resolvedBy, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>The de-duplication key of an organizer's alert of a kind: <c>{kind}:org:{id}</c>.</summary>
    public static string KeyFor(string kind, int organizerId) => kind + ":org:" + organizerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Resolves the open alerts with these keys inside the caller's context (and so its transaction).</summary>
    internal static Task<int> ResolveAsync(BillingDbContext db, IReadOnlyCollection<string> keys, string resolvedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var by = resolvedBy.Length <= 254 ? resolvedBy : resolvedBy[..254];
        return db.AdminAlerts
            .Where(a => keys.Contains(a.Key) && a.ResolvedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResolvedAt, now).SetProperty(a => a.ResolvedBy, by), cancellationToken);
    }
}
