using System.Runtime.CompilerServices;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.Statements;

/// <summary>
/// Composes <see cref="StatementDocument"/>s. The summary and the per-event breakdown come from
/// <see cref="DashboardQueries"/> (so a statement and the dashboard show the same figures for the same request), the
/// balance from <see cref="LedgerQueries"/> as of the statement date (the end of the period, or now if the period has not
/// ended: a closed period's statement never changes), and the lines from the ledger entries themselves.
/// Callers pass an organizer id they have already authorised.
/// </summary>
public sealed class StatementComposer(
    IDbContextFactory<BillingDbContext> factory,
    DashboardQueries dashboard,
    LedgerQueries ledger,
    TimeProvider time,
    IOptions<PlatformIdentityOptions> platform)
{
    /// <summary>Lines handed from the database reader to the renderer at a time.</summary>
    internal const int LinesBatchSize = 1_000;

    /// <summary>How many batches of lines may wait for the renderer (bounds the memory of a big statement).</summary>
    internal const int LinesBatchesAhead = 4;

    /// <summary>The statement, or null when the organizer (or the event under it) does not exist.</summary>
    public async Task<StatementDocument?> ComposeAsync(StatementRequest request, CancellationToken cancellationToken, string? number = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var organizer = await db.Organizers.AsNoTracking().Include(o => o.CommissionPlan)
            .FirstOrDefaultAsync(o => o.Id == request.OrganizerId, cancellationToken);
        if (organizer is null) return null;

        string? eventName = null;
        var plan = organizer.CommissionPlan;
        if (request.EventId is { } eventId)
        {
            var ev = await db.Events.AsNoTracking().Include(e => e.CommissionPlan)
                .FirstOrDefaultAsync(e => e.Id == eventId && e.OrganizerId == organizer.Id, cancellationToken);
            if (ev is null) return null;
            eventName = ev.Name;
            plan = ev.CommissionPlan ?? plan;
        }

        var calendar = AccountingCalendar.For(organizer.TimeZoneId);
        var endOfPeriod = calendar.StartOfDayUtc(request.Period.To.AddDays(1)).AddTicks(-1);
        var now = time.GetUtcNow();
        var asOf = endOfPeriod < now ? endOfPeriod : now;

        // The dashboard's own figures for the same request (summary and per event), so the two never differ.
        var summary = await dashboard.GetPeriodSummaryAsync(organizer.Id, request.Period, request.EventId, cancellationToken);
        IReadOnlyList<BreakdownRow> byEvent = request.EventId is null ? await dashboard.GetByEventAsync(organizer.Id, request.Period, cancellationToken) : [];
        var balance = await ledger.GetBalanceAsync(organizer.Id, asOf, request.EventId, cancellationToken);
        var count = await Entries(db, organizer.Id, request).LongCountAsync(cancellationToken);

        var header = new StatementHeader(
            platform.Value.LegalName, platform.Value.TaxId, organizer.Id, organizer.LegalName, organizer.TaxIdKind, organizer.TaxId,
            request.Period, request.EventId, eventName, number, asOf, organizer.TimeZoneId);
        var policy = plan is null
            ? new StatementPolicy("—", 0m, 0m, Money.IgvRate, true, true, false, false)
            : new StatementPolicy(plan.Name, plan.Rate, plan.FixedPerTicket, Money.IgvRate, plan.ReturnMercadoPagoFeeOnRefund,
                plan.ReturnCommissionOnRefund, plan.ReturnMercadoPagoFeeOnChargeback, plan.ReturnCommissionOnChargeback);
        // The lines are read ahead on a task of their own: a big statement's database reading and its rendering then
        // share the two cores instead of taking turns (docs/performance.md, «Estados de cuenta»).
        return new StatementDocument(header, summary, balance, byEvent, policy, count,
            ct => LinesAsync(request, calendar, asOf, ct).ReadAheadAsync(LinesBatchSize, LinesBatchesAhead, ct));
    }

    /// <summary>
    /// What deciding between streaming and queueing needs, without composing: the organizer's name and the number of
    /// lines; null when the organizer, or the event under it, does not exist.
    /// </summary>
    public async Task<(string OrganizerLegalName, long Lines)?> MeasureAsync(StatementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var name = await db.Organizers.AsNoTracking().Where(o => o.Id == request.OrganizerId).Select(o => o.LegalName).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return null;
        if (request.EventId is { } eventId && !await db.Events.AnyAsync(e => e.Id == eventId && e.OrganizerId == request.OrganizerId, cancellationToken)) return null;
        return (name, await Entries(db, request.OrganizerId, request).LongCountAsync(cancellationToken));
    }

    private static IQueryable<LedgerEntry> Entries(BillingDbContext db, int organizerId, StatementRequest request)
    {
        var query = db.LedgerEntries.AsNoTracking()
            .Where(e => e.OrganizerId == organizerId && e.LocalDate >= request.Period.From && e.LocalDate <= request.Period.To && e.Currency == Money.Pen);
        if (request.EventId is { } id) query = query.Where(e => e.EventId == id);
        return query;
    }

    private async IAsyncEnumerable<StatementLine> LinesAsync(StatementRequest request, AccountingCalendar calendar, DateTimeOffset asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = await db.Events.AsNoTracking().Where(e => e.OrganizerId == request.OrganizerId)
            .ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        // Only the columns a line shows (not whole entries: a million-line statement spent most of its time
        // materialising columns it never used), in the ledger's order.
        var rows = Entries(db, request.OrganizerId, request)
            .OrderBy(e => e.LocalDate).ThenBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Join(db.Payments, e => e.PaymentId, p => p.Id, (e, p) => new
            {
                e.OccurredAt, e.PaymentId, p.ExternalReference, e.EventId, e.PaymentMethodId, e.PaymentTypeId, e.Kind, e.PaymentStatus,
                e.Tickets, e.Gross, e.MercadoPagoFee, e.CommissionBase, e.CommissionIgv, e.OtherFees, e.Net,
                e.ReleaseLocalDate, e.ReleaseState, e.MoneyReleaseDate, p.PayerEmail,
            })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var status = row.ReleaseState switch
            {
                ReleaseState.Held => StatementReleaseStatus.Held,
                _ when LedgerEngine.IsCredited(row.ReleaseState, row.MoneyReleaseDate, asOf) => StatementReleaseStatus.Credited,
                _ => StatementReleaseStatus.Pending,
            };
            yield return new StatementLine(
                calendar.ToLocal(row.OccurredAt).DateTime, row.PaymentId, row.ExternalReference,
                row.EventId is { } ev && events.TryGetValue(ev, out var name) ? name : null,
                row.PaymentMethodId, row.PaymentTypeId, row.Kind, row.PaymentStatus, row.Tickets,
                row.Gross, row.MercadoPagoFee, row.CommissionBase, row.CommissionIgv, row.OtherFees, row.Net,
                row.ReleaseLocalDate, status, PersonalDataMask.Email(row.PayerEmail));
        }
    }
}
