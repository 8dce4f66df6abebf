using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Billing.Ledger;

/// <summary>
/// Period summaries and balances computed in the database from the stored ledger entries, index-backed on
/// (organizer, local date). They must agree to the cent with <see cref="LedgerSummaries"/> over the same entries.
/// Callers pass an organizer id they have already authorised; nothing here trusts a caller-supplied event id
/// beyond scoping it under that organizer.
/// </summary>
public sealed class LedgerQueries(IDbContextFactory<BillingDbContext> factory)
{
    public async Task<PeriodSummary> GetPeriodSummaryAsync(int organizerId, DatePeriod period, int? eventId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.LedgerEntries.AsNoTracking()
            .Where(e => e.OrganizerId == organizerId && e.LocalDate >= period.From && e.LocalDate <= period.To && e.Currency == Money.Pen);
        if (eventId is { } id) query = query.Where(e => e.EventId == id);

        var rows = await query
            .GroupBy(e => e.Kind)
            .Select(g => new KindTotals(g.Key, g.Count(), g.Sum(e => e.Tickets), g.Sum(e => e.Gross), g.Sum(e => e.MercadoPagoFee),
                g.Sum(e => e.CommissionBase), g.Sum(e => e.CommissionIgv), g.Sum(e => e.OtherFees), g.Sum(e => e.Net)))
            .ToListAsync(cancellationToken);
        return LedgerSummaries.FromKinds(period, rows);
    }

    /// <summary>Credited, pending and held as of <paramref name="asOf"/>, with the next release dates.</summary>
    public async Task<BalanceSnapshot> GetBalanceAsync(int organizerId, DateTimeOffset asOf, int? eventId, CancellationToken cancellationToken, int maxReleases = 5)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.LedgerEntries.AsNoTracking()
            .Where(e => e.OrganizerId == organizerId && e.OccurredAt <= asOf && e.Currency == Money.Pen);
        if (eventId is { } id) query = query.Where(e => e.EventId == id);

        var byState = await query
            .GroupBy(e => new
            {
                e.ReleaseState,
                Due = e.ReleaseState == ReleaseState.ReleasesOnDate && e.MoneyReleaseDate <= asOf,
            })
            .Select(g => new { g.Key.ReleaseState, g.Key.Due, Net = g.Sum(e => e.Net) })
            .ToListAsync(cancellationToken);

        decimal credited = 0, pending = 0, held = 0;
        foreach (var row in byState)
        {
            if (row.ReleaseState == ReleaseState.Held) held += row.Net;
            else if (row.ReleaseState == ReleaseState.Released || row.Due) credited += row.Net;
            else pending += row.Net;
        }

        var upcoming = await query
            .Where(e => e.ReleaseLocalDate != null
                        && (e.ReleaseState == ReleaseState.Pending
                            || (e.ReleaseState == ReleaseState.ReleasesOnDate && e.MoneyReleaseDate > asOf)))
            .GroupBy(e => e.ReleaseLocalDate)
            .Select(g => new { Date = g.Key, Amount = g.Sum(e => e.Net), Payments = g.Select(e => e.PaymentId).Distinct().Count() })
            .ToListAsync(cancellationToken);

        var next = upcoming.Where(u => u.Amount != 0m)
            .OrderBy(u => u.Date)
            .Take(maxReleases)
            .Select(u => new UpcomingRelease(u.Date!.Value, u.Amount, u.Payments))
            .ToList();
        return new BalanceSnapshot(asOf, credited, pending, held, next);
    }
}
