using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Reporting;

namespace BillingPortal.Core.Caching;

/// <summary>
/// <see cref="DashboardQueries"/> through the report cache, with the same methods: what the pages (/resumen, /eventos,
/// /eventos/{id}) and the organizer API (/api/v1/summary, /api/v1/events) call. Anything that depends on «now» (the
/// balance, the events' state) is keyed by the Lima date and lives <c>Cache:DashboardTtl</c> (60 s by default) at most;
/// any payment change of the organizer drops it at once.
/// </summary>
public sealed class CachedDashboardQueries(DashboardQueries queries, ReportCache cache)
{
    public ValueTask<Dashboard> GetDashboardAsync(int organizerId, DatePeriod period, int? eventId, CancellationToken cancellationToken, DatePeriod? comparison = null) =>
        cache.GetOrCreateAsync(
            ReportCacheKeys.Dashboard(organizerId, period, eventId, comparison, cache.Today),
            async ct => await queries.GetDashboardAsync(organizerId, period, eventId, ct, comparison),
            cancellationToken);

    public ValueTask<PeriodSummary> GetPeriodSummaryAsync(int organizerId, DatePeriod period, int? eventId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            ReportCacheKeys.Summary(organizerId, period, eventId),
            async ct => await queries.GetPeriodSummaryAsync(organizerId, period, eventId, ct),
            cancellationToken);

    public ValueTask<BalanceSnapshot> GetBalanceAsync(int organizerId, int? eventId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            ReportCacheKeys.Balance(organizerId, eventId, cache.Today),
            async ct => await queries.GetBalanceAsync(organizerId, eventId, ct),
            cancellationToken);

    public ValueTask<IReadOnlyList<EventFigures>> GetEventsAsync(int organizerId, DatePeriod? period, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            ReportCacheKeys.Events(organizerId, period, cache.Today),
            async ct => await queries.GetEventsAsync(organizerId, period, ct),
            cancellationToken);

    public ValueTask<EventFigures?> GetEventAsync(int organizerId, int eventId, DatePeriod? period, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            ReportCacheKeys.Event(organizerId, eventId, period, cache.Today),
            async ct => await queries.GetEventAsync(organizerId, eventId, period, ct),
            cancellationToken);
}
