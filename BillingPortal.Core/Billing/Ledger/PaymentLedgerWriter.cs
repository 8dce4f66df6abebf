using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Payments;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// Recomputes the stored ledger entries and open anomalies of changed payments, inside the caller's unit of work
/// (the caller saves, in the same transaction as the payments), and moves the daily rollups by the difference.
/// The one write path for the ledger.
/// </summary>
public sealed class PaymentLedgerWriter(TimeProvider time)
{
    /// <summary>Replaces the entries and the unresolved anomalies of these payments (tracked or not) in <paramref name="db"/>.</summary>
    public async Task ReplaceAsync(BillingDbContext db, IReadOnlyCollection<Payment> payments, CancellationToken cancellationToken)
    {
        if (payments.Count == 0) return;
        var ids = payments.Select(p => p.Id).ToList();
        var organizerIds = payments.Select(p => p.OrganizerId).Distinct().ToList();
        var organizers = await db.Organizers.AsNoTracking().Include(o => o.CommissionPlan)
            .Where(o => organizerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var eventIds = payments.Where(p => p.EventId != null).Select(p => p.EventId!.Value).Distinct().ToList();
        var eventPlans = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id) && e.CommissionPlanId != null)
            .Select(e => new { e.Id, Plan = e.CommissionPlan! }).ToDictionaryAsync(e => e.Id, e => e.Plan, cancellationToken);

        var removed = await db.LedgerEntries.AsNoTracking().Where(e => ids.Contains(e.PaymentId)).ToListAsync(cancellationToken);
        await db.LedgerEntries.Where(e => ids.Contains(e.PaymentId)).ExecuteDeleteAsync(cancellationToken);
        await db.Anomalies.Where(a => a.PaymentId != null && ids.Contains(a.PaymentId.Value) && a.ResolvedAt == null
                                      && (a.Kind == AnomalyKind.NetMismatch || a.Kind == AnomalyKind.CommissionMismatch || a.Kind == AnomalyKind.ForeignCurrency))
            .ExecuteDeleteAsync(cancellationToken);

        var now = time.GetUtcNow();
        var added = new List<LedgerEntry>();
        foreach (var payment in payments)
        {
            var organizer = organizers[payment.OrganizerId];
            var plan = payment.EventId is { } eventId && eventPlans.TryGetValue(eventId, out var eventPlan) ? eventPlan : organizer.CommissionPlan;
            var calendar = AccountingCalendar.For(organizer.TimeZoneId);
            var entries = LedgerEngine.Compute(payment, plan is null ? LedgerPolicy.Default : LedgerPolicy.From(plan), calendar);
            added.AddRange(entries);
            db.LedgerEntries.AddRange(entries);
            db.Anomalies.AddRange(AnomalyDetector.Check(payment, plan, now));
        }

        // The daily rollups move by the difference, in this same unit of work (the write lock is already held).
        await LedgerRollups.ApplyAsync(db, removed, added, cancellationToken);
    }
}
