using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Alerts;

/// <summary>An alert as the admin page shows it, with the organizer's razón social when there is one.</summary>
public sealed record AdminAlertRow(
    long Id,
    string Kind,
    AlertSeverity Severity,
    int? OrganizerId,
    string? OrganizerName,
    string Title,
    string? Detail,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    int Occurrences,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy);

/// <summary>The admin page's alerts: every open one (most recently seen first) and the latest resolved ones.</summary>
public sealed record AdminAlertsOverview(IReadOnlyList<AdminAlertRow> Open, IReadOnlyList<AdminAlertRow> RecentlyResolved);

/// <summary>Admin alerts for platform admins. Anyone but a platform admin gets null (or false) and changes nothing.</summary>
public sealed class AdminAlertQueries(IDbContextFactory<BillingDbContext> factory, TimeProvider time)
{
    public const int DefaultResolvedCount = 20;
    public const int MaxResolvedCount = 200;

    public async Task<AdminAlertsOverview?> GetOverviewAsync(PortalIdentity caller, int resolvedCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return null;
        resolvedCount = Math.Clamp(resolvedCount, 0, MaxResolvedCount);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var open = await Rows(db, db.AdminAlerts.AsNoTracking().Where(a => a.ResolvedAt == null)
                .OrderByDescending(a => a.LastSeenAt).ThenByDescending(a => a.Id))
            .ToListAsync(cancellationToken);
        var resolved = await Rows(db, db.AdminAlerts.AsNoTracking().Where(a => a.ResolvedAt != null)
                .OrderByDescending(a => a.ResolvedAt).ThenByDescending(a => a.Id)
                .Take(resolvedCount))
            .ToListAsync(cancellationToken);
        return new AdminAlertsOverview(open, resolved);
    }

    /// <summary>Open alerts of one organizer (for the admin's view of it), most recently seen first.</summary>
    public async Task<IReadOnlyList<AdminAlertRow>?> ListOpenForOrganizerAsync(PortalIdentity caller, int organizerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return null;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await Rows(db, db.AdminAlerts.AsNoTracking().Where(a => a.ResolvedAt == null && a.OrganizerId == organizerId)
                .OrderByDescending(a => a.LastSeenAt).ThenByDescending(a => a.Id))
            .ToListAsync(cancellationToken);
    }

    /// <summary>An admin marks an open alert as dealt with; false if the caller is no admin or the alert is not open.</summary>
    public async Task<bool> ResolveAsync(PortalIdentity caller, long alertId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return false;
        var by = caller.Email.Length <= 254 ? caller.Email : caller.Email[..254];
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AdminAlerts
            .Where(a => a.Id == alertId && a.ResolvedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResolvedAt, now).SetProperty(a => a.ResolvedBy, by), cancellationToken) == 1;
    }

    private static IQueryable<AdminAlertRow> Rows(BillingDbContext db, IQueryable<AdminAlert> alerts) =>
        alerts.Select(a => new AdminAlertRow(
            a.Id, a.Kind, a.Severity, a.OrganizerId,
            db.Organizers.Where(o => o.Id == a.OrganizerId).Select(o => o.LegalName).FirstOrDefault(),
            a.Title, a.Detail, a.CreatedAt, a.LastSeenAt, a.Occurrences, a.ResolvedAt, a.ResolvedBy));
}
