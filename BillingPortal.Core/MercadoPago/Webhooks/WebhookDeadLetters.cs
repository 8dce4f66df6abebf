using BillingPortal.Core.Alerts;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>A dead-lettered inbox entry as the admin page lists it (no body: the inbox never stores it).</summary>
public sealed record DeadLetterRow(
    long Id,
    string Topic,
    string? Action,
    string ResourceId,
    long? SellerUserId,
    int? OrganizerId,
    string? OrganizerName,
    int Attempts,
    string? LastError,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DeadLetteredAt,
    string? RequestId);

/// <summary>One page of dead letters, the total, and how many entries the inbox holds in each status.</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterRow> Rows, int TotalCount, IReadOnlyDictionary<WebhookInboxStatus, int> CountsByStatus);

/// <summary>
/// The admins' view of the webhook inbox (<c>/admin/webhooks</c>): counts by status, the dead-lettered entries, and
/// «Reintentar» — an entry goes back to <see cref="WebhookInboxStatus.Pending"/> with its attempts reset, due now, and
/// the processor is woken; each replay is audited (<see cref="AuditAction.WebhookReplayed"/>) in the same transaction.
/// When no dead letter is left, the open <see cref="AlertKinds.WebhookDeadLettered"/> alerts are resolved. Anyone but a
/// platform admin gets nothing and changes nothing.
/// </summary>
public sealed class WebhookDeadLetters(IDbContextFactory<BillingDbContext> factory, TimeProvider time, WebhookInboxSignal signal, IAdminAlerts alerts)
{
    public const int MaxPageSize = 200;

    /// <summary>The dead letters, newest first, one page; null for non-admins.</summary>
    public async Task<DeadLetterPage?> ListAsync(PortalIdentity caller, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return null;
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var counts = (await db.WebhookInbox.AsNoTracking()
                .GroupBy(e => e.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => x.Status, x => x.Count);
        foreach (var status in Enum.GetValues<WebhookInboxStatus>()) counts.TryAdd(status, 0);

        var dead = db.WebhookInbox.AsNoTracking().Where(e => e.Status == WebhookInboxStatus.DeadLettered);
        var rows = await (
                from e in dead
                join o in db.Organizers.AsNoTracking() on e.OrganizerId equals (int?)o.Id into organizers
                from o in organizers.DefaultIfEmpty()
                orderby e.Id descending
                select new DeadLetterRow(e.Id, e.Topic, e.Action, e.ResourceId, e.SellerUserId, e.OrganizerId, o == null ? null : o.LegalName,
                    e.Attempts, e.LastError, e.ReceivedAt, e.ProcessedAt, e.RequestId))
            .Skip(page * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new DeadLetterPage(rows, counts[WebhookInboxStatus.DeadLettered], counts);
    }

    /// <summary>«Reintentar»: one dead letter back to the processor. Returns false if it was not dead-lettered (or not an admin).</summary>
    public async Task<bool> RetryAsync(PortalIdentity caller, long entryId, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return false;
        return await RetryAsync(caller, origin, entryId, cancellationToken) == 1;
    }

    /// <summary>«Reintentar todas»: every dead letter back to the processor; returns how many.</summary>
    public async Task<int> RetryAllAsync(PortalIdentity caller, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return 0;
        return await RetryAsync(caller, origin, null, cancellationToken);
    }

    private async Task<int> RetryAsync(PortalIdentity caller, AuditOrigin origin, long? entryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var now = time.GetUtcNow();
        int replayed;
        int left;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var strategy = db.Database.CreateExecutionStrategy();
            (replayed, left) = await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var dead = db.WebhookInbox.Where(e => e.Status == WebhookInboxStatus.DeadLettered);
                if (entryId is { } id) dead = dead.Where(e => e.Id == id);
                var target = entryId is { } one
                    ? await dead.Select(e => new { e.Topic, e.ResourceId, e.OrganizerId }).FirstOrDefaultAsync(ct)
                    : null;
                var count = await dead.ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, WebhookInboxStatus.Pending)
                    .SetProperty(e => e.Attempts, 0)
                    .SetProperty(e => e.NextAttemptAt, now)
                    .SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(e => e.ProcessedAt, (DateTimeOffset?)null), ct);
                if (count > 0)
                {
                    var detail = target is not null
                        ? $"Reintento de la notificación {target.Topic} {target.ResourceId} que había fallado."
                        : $"Reintento de {count.ToString(CultureInfo.InvariantCulture)} notificaciones de Mercado Pago que habían fallado.";
                    db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.WebhookReplayed, origin, caller.UserId, caller.Email, target?.OrganizerId,
                        entryId is { } e ? "webhook:" + e.ToString(CultureInfo.InvariantCulture) : "webhooks", detail));
                    await db.SaveChangesAsync(ct);
                }

                await transaction.CommitAsync(ct);
                var remaining = await db.WebhookInbox.CountAsync(x => x.Status == WebhookInboxStatus.DeadLettered, ct);
                return (count, remaining);
            }, cancellationToken);
        }

        if (replayed > 0) signal.Notify();
        if (replayed > 0 && left == 0) await ResolveAlertsAsync(caller.Email, cancellationToken);
        return replayed;
    }

    private async Task ResolveAlertsAsync(string resolvedBy, CancellationToken cancellationToken)
    {
        List<string> keys;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            keys = await db.AdminAlerts.AsNoTracking()
                .Where(a => a.Kind == AlertKinds.WebhookDeadLettered && a.ResolvedAt == null)
                .Select(a => a.Key)
                .ToListAsync(cancellationToken);
        }

        foreach (var key in keys) await alerts.ResolveAsync(key, resolvedBy, cancellationToken);
    }
}
