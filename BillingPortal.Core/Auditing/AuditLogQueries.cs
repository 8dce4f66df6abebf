using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Auditing;

/// <summary>What an admin asks of the audit log: a page, and optional filters (dates are UTC instants, end exclusive).</summary>
public sealed record AuditLogQuery(int Page, int PageSize, int? OrganizerId = null, AuditAction? Action = null, DateTimeOffset? From = null, DateTimeOffset? Until = null)
{
    public const int MaxPageSize = 200;
}

/// <summary>One audit log line as the admin area shows it, with the organizer's razón social when there is one.</summary>
public sealed record AuditLogRow(
    long Id,
    DateTimeOffset OccurredAt,
    AuditAction Action,
    string? Actor,
    int? OrganizerId,
    string? OrganizerName,
    string? Target,
    string? Detail,
    string? IpAddress,
    string? UserAgent);

/// <summary>One page of audit log lines, newest first, and how many lines match the filters in all.</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditLogRow> Rows, int TotalCount);

/// <summary>
/// The audit log for platform admins, newest first. The caller's identity is checked here as well as by the admin
/// area's policy: anyone else gets null.
/// </summary>
public sealed class AuditLogQueries(IDbContextFactory<BillingDbContext> factory)
{
    public async Task<AuditLogPage?> SearchAsync(PortalIdentity caller, AuditLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (!caller.IsPlatformAdmin) return null;

        var pageSize = Math.Clamp(query.PageSize, 1, AuditLogQuery.MaxPageSize);
        var page = Math.Max(query.Page, 0);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditLog.AsNoTracking();
        if (query.OrganizerId is { } organizerId) entries = entries.Where(e => e.OrganizerId == organizerId);
        if (query.Action is { } action) entries = entries.Where(e => e.Action == action);
        if (query.From is { } from) entries = entries.Where(e => e.OccurredAt >= from);
        if (query.Until is { } until) entries = entries.Where(e => e.OccurredAt < until);

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(e => new AuditLogRow(
                e.Id, e.OccurredAt, e.Action, e.Actor, e.OrganizerId,
                db.Organizers.Where(o => o.Id == e.OrganizerId).Select(o => o.LegalName).FirstOrDefault(),
                e.Target, e.Detail, e.IpAddress, e.UserAgent))
            .ToListAsync(cancellationToken);
        return new AuditLogPage(rows, total);
    }
}
