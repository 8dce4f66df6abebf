using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Reporting;

/// <summary>
/// The organizer's dashboard and events list, read from the ledger's read models (<see cref="LedgerTotals"/>: a few rows
/// per day instead of every ledger entry). Figures agree to the cent with <see cref="LedgerQueries"/> and <see cref="LedgerSummaries"/> over
/// the same entries (tests hold that). Callers pass an organizer id they have already authorised; an event id is only
/// ever used under that organizer.
/// </summary>
public sealed class DashboardQueries(IDbContextFactory<BillingDbContext> factory, TimeProvider time)
{
    /// <summary>Cards, comparison, balance as of now and charts for a period (and optionally one event).</summary>
    public async Task<Dashboard> GetDashboardAsync(int organizerId, DatePeriod period, int? eventId, CancellationToken cancellationToken, DatePeriod? comparison = null)
    {
        ArgumentNullException.ThrowIfNull(period);
        var previousPeriod = comparison ?? DashboardPeriods.PreviousOf(period);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var current = await SummaryAsync(db, organizerId, period, eventId, cancellationToken);
        var previous = await SummaryAsync(db, organizerId, previousPeriod, eventId, cancellationToken);
        var balance = await BalanceAsync(db, organizerId, eventId, cancellationToken);
        var granularity = DashboardPeriods.GranularityOf(period);
        var series = await SeriesAsync(db, organizerId, period, eventId, granularity, cancellationToken);
        var byEvent = eventId is null ? await ByEventAsync(db, organizerId, period, cancellationToken) : [];
        var byMethod = await ByMethodAsync(db, organizerId, period, eventId, cancellationToken);
        return new Dashboard(organizerId, eventId, current, previous, balance, granularity, series, byEvent, byMethod);
    }

    /// <summary>The period summary from the rollups (equal to <see cref="LedgerQueries.GetPeriodSummaryAsync"/>).</summary>
    public async Task<PeriodSummary> GetPeriodSummaryAsync(int organizerId, DatePeriod period, int? eventId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await SummaryAsync(db, organizerId, period, eventId, cancellationToken);
    }

    /// <summary>The period's figures per event of the organizer (the dashboard's «por evento»), largest gross first.</summary>
    public async Task<IReadOnlyList<BreakdownRow>> GetByEventAsync(int organizerId, DatePeriod period, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await ByEventAsync(db, organizerId, period, cancellationToken);
    }

    /// <summary>Credited, pending and held as of now (equal to <see cref="LedgerQueries.GetBalanceAsync"/> at now).</summary>
    public async Task<BalanceSnapshot> GetBalanceAsync(int organizerId, int? eventId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await BalanceAsync(db, organizerId, eventId, cancellationToken);
    }

    /// <summary>
    /// The organizer's events with their figures for <paramref name="period"/> (all time when null) and their balance
    /// as of now, soonest upcoming first, then the most recent past ones.
    /// </summary>
    public async Task<IReadOnlyList<EventFigures>> GetEventsAsync(int organizerId, DatePeriod? period, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = await db.Events.AsNoTracking().Where(e => e.OrganizerId == organizerId).ToListAsync(cancellationToken);
        var figures = await FiguresByEventAsync(db, organizerId, period, null, cancellationToken);
        var balances = await BalanceByEventAsync(db, organizerId, null, cancellationToken);
        return Compose(events, figures, balances, time.GetUtcNow());
    }

    /// <summary>One event of the organizer with its figures, or null when it is not the organizer's.</summary>
    public async Task<EventFigures?> GetEventAsync(int organizerId, int eventId, DatePeriod? period, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var ev = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.OrganizerId == organizerId && e.Id == eventId, cancellationToken);
        if (ev is null) return null;
        var figures = await FiguresByEventAsync(db, organizerId, period, eventId, cancellationToken);
        var balances = await BalanceByEventAsync(db, organizerId, eventId, cancellationToken);
        return Compose([ev], figures, balances, time.GetUtcNow()).Single();
    }

    private static List<EventFigures> Compose(List<Event> events, Dictionary<int, PeriodSummary> figures, Dictionary<int, (decimal Credited, decimal Pending, decimal Held)> balances, DateTimeOffset now)
    {
        var rows = events.Select(e =>
        {
            var f = figures.TryGetValue(e.Id, out var s) ? s : PeriodSummary.Empty(new DatePeriod(DateOnly.MinValue, DateOnly.MinValue));
            var b = balances.TryGetValue(e.Id, out var bal) ? bal : default;
            return new EventFigures(e.Id, e.Name, e.Venue, e.City, e.StartsAt, EventFigures.StateOf(e, now), e.PayoutsFrozen,
                f.Sales, f.TicketsSold, f.GrossSales, f.Refunds, f.Chargebacks, f.MercadoPagoFees, f.CommissionBase, f.CommissionIgv, f.Net,
                b.Credited, b.Pending, b.Held);
        }).ToList();
        return rows.Where(r => r.State == EventState.Upcoming).OrderBy(r => r.StartsAt)
            .Concat(rows.Where(r => r.State != EventState.Upcoming).OrderByDescending(r => r.StartsAt))
            .ToList();
    }

    private static IQueryable<LedgerDayTotal> Days(BillingDbContext db, int organizerId, DatePeriod period) =>
        db.LedgerDayTotals.AsNoTracking().Where(r => r.OrganizerId == organizerId && r.LocalDate >= period.From && r.LocalDate <= period.To);

    private static IQueryable<LedgerEventDayTotal> EventDays(BillingDbContext db, int organizerId, DatePeriod? period, int? eventId)
    {
        var query = db.LedgerEventDayTotals.AsNoTracking().Where(r => r.OrganizerId == organizerId);
        if (eventId is { } id) query = query.Where(r => r.EventId == id);
        if (period is not null) query = query.Where(r => r.LocalDate >= period.From && r.LocalDate <= period.To);
        return query;
    }

    private static async Task<PeriodSummary> SummaryAsync(BillingDbContext db, int organizerId, DatePeriod period, int? eventId, CancellationToken ct)
    {
        // The whole organizer: one row per day and kind; one event: one row per day and kind of that event.
        var rows = eventId is null
            ? await Days(db, organizerId, period)
                .GroupBy(r => r.Kind)
                .Select(g => new KindTotals(g.Key, g.Sum(r => r.Entries), g.Sum(r => r.Tickets), g.Sum(r => r.Gross), g.Sum(r => r.MercadoPagoFee),
                    g.Sum(r => r.CommissionBase), g.Sum(r => r.CommissionIgv), g.Sum(r => r.OtherFees), g.Sum(r => r.Net)))
                .ToListAsync(ct)
            : await EventDays(db, organizerId, period, eventId)
                .GroupBy(r => r.Kind)
                .Select(g => new KindTotals(g.Key, g.Sum(r => r.Entries), g.Sum(r => r.Tickets), g.Sum(r => r.Gross), g.Sum(r => r.MercadoPagoFee),
                    g.Sum(r => r.CommissionBase), g.Sum(r => r.CommissionIgv), g.Sum(r => r.OtherFees), g.Sum(r => r.Net)))
                .ToListAsync(ct);
        return ToSummary(period, rows);
    }

    private static PeriodSummary ToSummary(DatePeriod period, IReadOnlyCollection<KindTotals> rows) => LedgerSummaries.FromKinds(period, rows);

    /// <summary>
    /// Each event's figures for <paramref name="period"/> (all time when null): the whole months from
    /// <see cref="LedgerEventMonthTotal"/>, the days at the period's ends from <see cref="LedgerEventDayTotal"/>.
    /// </summary>
    private static async Task<Dictionary<int, PeriodSummary>> FiguresByEventAsync(BillingDbContext db, int organizerId, DatePeriod? period, int? eventId, CancellationToken ct)
    {
        var rows = new List<(int EventId, KindTotals Row)>();
        DateOnly? firstMonth = null, lastMonth = null;
        if (period is null)
        {
            firstMonth = DateOnly.MinValue;
            lastMonth = DateOnly.MaxValue;
        }
        else
        {
            var first = period.From.Day == 1 ? period.From : LedgerRollups.MonthOf(period.From).AddMonths(1);
            var last = LedgerRollups.MonthOf(period.To.AddDays(1)).AddMonths(-1); // the last month that ends on or before To
            if (first <= last)
            {
                (firstMonth, lastMonth) = (first, last);
                if (period.From < first) rows.AddRange(await EventDayFiguresAsync(db, organizerId, new DatePeriod(period.From, first.AddDays(-1)), eventId, ct));
                var afterLast = last.AddMonths(1);
                if (afterLast <= period.To) rows.AddRange(await EventDayFiguresAsync(db, organizerId, new DatePeriod(afterLast, period.To), eventId, ct));
            }
            else
            {
                rows.AddRange(await EventDayFiguresAsync(db, organizerId, period, eventId, ct));
            }
        }

        if (firstMonth is { } from && lastMonth is { } to)
        {
            var months = db.LedgerEventMonthTotals.AsNoTracking().Where(r => r.OrganizerId == organizerId && r.Month >= from && r.Month <= to);
            if (eventId is { } id) months = months.Where(r => r.EventId == id);
            var monthRows = await months
                .GroupBy(r => new { r.EventId, r.Kind })
                .Select(g => new EventRow(g.Key.EventId, new KindTotals(g.Key.Kind, g.Sum(r => r.Entries), g.Sum(r => r.Tickets), g.Sum(r => r.Gross), g.Sum(r => r.MercadoPagoFee),
                    g.Sum(r => r.CommissionBase), g.Sum(r => r.CommissionIgv), g.Sum(r => r.OtherFees), g.Sum(r => r.Net))))
                .ToListAsync(ct);
            rows.AddRange(monthRows.Select(r => (r.EventId, r.Row)));
        }

        var all = period ?? new DatePeriod(DateOnly.MinValue, DateOnly.MaxValue);
        return rows.GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => ToSummary(all, g.GroupBy(r => r.Row.Kind).Select(k => Add(k.Key, k.Select(r => r.Row))).ToList()));
    }

    private static async Task<List<(int EventId, KindTotals Row)>> EventDayFiguresAsync(BillingDbContext db, int organizerId, DatePeriod period, int? eventId, CancellationToken ct)
    {
        var rows = await EventDays(db, organizerId, period, eventId)
            .GroupBy(r => new { r.EventId, r.Kind })
            .Select(g => new EventRow(g.Key.EventId, new KindTotals(g.Key.Kind, g.Sum(r => r.Entries), g.Sum(r => r.Tickets), g.Sum(r => r.Gross), g.Sum(r => r.MercadoPagoFee),
                g.Sum(r => r.CommissionBase), g.Sum(r => r.CommissionIgv), g.Sum(r => r.OtherFees), g.Sum(r => r.Net))))
            .ToListAsync(ct);
        return rows.Select(r => (r.EventId, r.Row)).ToList();
    }

    private static KindTotals Add(LedgerEntryKind kind, IEnumerable<KindTotals> rows) => rows.Aggregate(
        new KindTotals(kind, 0, 0, 0m, 0m, 0m, 0m, 0m, 0m),
        (a, r) => new KindTotals(kind, a.Entries + r.Entries, a.Tickets + r.Tickets, a.Gross + r.Gross, a.MercadoPagoFee + r.MercadoPagoFee,
            a.CommissionBase + r.CommissionBase, a.CommissionIgv + r.CommissionIgv, a.OtherFees + r.OtherFees, a.Net + r.Net));

    private async Task<BalanceSnapshot> BalanceAsync(BillingDbContext db, int organizerId, int? eventId, CancellationToken ct, int maxReleases = 5)
    {
        var (asOf, today, rows, boundary) = await BalanceRowsAsync(db, organizerId, eventId, perEvent: false, ct);
        decimal credited = 0, pending = 0, held = 0;
        var upcoming = new Dictionary<DateOnly, (decimal Amount, int Payments)>();
        foreach (var r in rows)
        {
            switch (Classify(r.ReleaseState, r.ReleaseLocalDate, today))
            {
                case Standing.Held:
                    held += r.Net;
                    break;
                case Standing.Credited:
                    credited += r.Net;
                    break;
                case Standing.Pending:
                    pending += r.Net;
                    if (r.ReleaseLocalDate != LedgerRollups.NoReleaseDate) AddUpcoming(upcoming, r.ReleaseLocalDate, r.Net, r.Sales);
                    break;
                case Standing.Boundary:
                    break;
            }
        }

        foreach (var b in boundary)
        {
            if (b.Due)
            {
                credited += b.Net;
            }
            else
            {
                pending += b.Net;
                AddUpcoming(upcoming, today, b.Net, b.Payments);
            }
        }

        var next = upcoming.Where(kv => kv.Value.Amount != 0m)
            .OrderBy(kv => kv.Key)
            .Take(maxReleases)
            .Select(kv => new UpcomingRelease(kv.Key, kv.Value.Amount, kv.Value.Payments))
            .ToList();
        return new BalanceSnapshot(asOf, credited, pending, held, next);
    }

    private async Task<Dictionary<int, (decimal Credited, decimal Pending, decimal Held)>> BalanceByEventAsync(BillingDbContext db, int organizerId, int? eventId, CancellationToken ct)
    {
        var (_, today, rows, boundary) = await BalanceRowsAsync(db, organizerId, eventId, perEvent: true, ct);
        var result = new Dictionary<int, (decimal Credited, decimal Pending, decimal Held)>();
        void Add(int ev, decimal c, decimal p, decimal h)
        {
            var x = result.TryGetValue(ev, out var v) ? v : default;
            result[ev] = (x.Credited + c, x.Pending + p, x.Held + h);
        }

        foreach (var r in rows)
        {
            switch (Classify(r.ReleaseState, r.ReleaseLocalDate, today))
            {
                case Standing.Held: Add(r.EventId, 0, 0, r.Net); break;
                case Standing.Credited: Add(r.EventId, r.Net, 0, 0); break;
                case Standing.Pending: Add(r.EventId, 0, r.Net, 0); break;
                case Standing.Boundary: break;
            }
        }

        foreach (var b in boundary) Add(b.EventId, b.Due ? b.Net : 0, b.Due ? 0 : b.Net, 0);
        return result;
    }

    /// <summary>
    /// The balance rows (release state and day from <see cref="LedgerReleaseTotal"/>, or <see cref="LedgerEventReleaseTotal"/>
    /// for one event; per event when <paramref name="perEvent"/>, with the days folded into before / on / after today,
    /// which is all the classification needs), and the
    /// entries releasing on date today, read one by one against the instant (a day cannot be split). The balance is as of
    /// now: entries dated after now (a later day, or later today) are read one by one and taken back out, as
    /// <see cref="LedgerQueries.GetBalanceAsync"/> leaves them out.
    /// </summary>
    private async Task<(DateTimeOffset AsOf, DateOnly Today, List<BalanceRow> Rows, List<BoundaryRow> Boundary)> BalanceRowsAsync(
        BillingDbContext db, int organizerId, int? eventId, bool perEvent, CancellationToken ct)
    {
        var asOf = time.GetUtcNow();
        var zone = await db.Organizers.AsNoTracking().Where(o => o.Id == organizerId).Select(o => o.TimeZoneId).FirstOrDefaultAsync(ct)
                   ?? AccountingCalendar.LimaTimeZoneId;
        var today = AccountingCalendar.For(zone).LocalDate(asOf);
        var noRelease = LedgerRollups.NoReleaseDate;

        var totals = db.LedgerEventReleaseTotals.AsNoTracking().Where(r => r.OrganizerId == organizerId);
        if (eventId is { } scoped) totals = totals.Where(r => r.EventId == scoped);
        List<BalanceRow> rows;
        if (!perEvent && eventId is null)
        {
            // The whole organizer: one row per release state and day.
            rows = await db.LedgerReleaseTotals.AsNoTracking().Where(r => r.OrganizerId == organizerId)
                .Select(r => new BalanceRow(LedgerRollups.NoEvent, r.ReleaseState, r.ReleaseLocalDate, r.Net, r.Sales))
                .ToListAsync(ct);
        }
        else if (perEvent)
        {
            var folded = await totals
                .GroupBy(r => new { r.EventId, r.ReleaseState, Before = r.ReleaseLocalDate != noRelease && r.ReleaseLocalDate < today, On = r.ReleaseLocalDate == today })
                .Select(g => new { g.Key.EventId, g.Key.ReleaseState, g.Key.Before, g.Key.On, Net = g.Sum(r => r.Net), Sales = g.Sum(r => r.Sales) })
                .ToListAsync(ct);
            rows = folded.Select(r => new BalanceRow(r.EventId, r.ReleaseState, r.On ? today : r.Before ? today.AddDays(-1) : noRelease, r.Net, r.Sales)).ToList();
        }
        else
        {
            rows = await totals
                .GroupBy(r => new { r.ReleaseState, r.ReleaseLocalDate })
                .Select(g => new BalanceRow(LedgerRollups.NoEvent, g.Key.ReleaseState, g.Key.ReleaseLocalDate, g.Sum(r => r.Net), g.Sum(r => r.Sales)))
                .ToListAsync(ct);
        }

        // Entries that have not happened yet (a clock ahead, or a test's data) must not count money that does not exist.
        var later = db.LedgerEntries.AsNoTracking()
            .Where(e => e.OrganizerId == organizerId && e.LocalDate >= today && e.OccurredAt > asOf && e.Currency == Money.Pen);
        if (eventId is { } laterEvent) later = later.Where(e => e.EventId == laterEvent);
        var notYet = await later
            .Select(e => new { e.EventId, e.ReleaseState, e.ReleaseLocalDate, e.Net, e.Kind })
            .ToListAsync(ct);
        rows.AddRange(notYet.Select(e => new BalanceRow(perEvent ? e.EventId ?? LedgerRollups.NoEvent : LedgerRollups.NoEvent, e.ReleaseState,
            e.ReleaseLocalDate ?? LedgerRollups.NoReleaseDate, -e.Net, e.Kind == LedgerEntryKind.Sale ? -1 : 0)));

        var entries = db.LedgerEntries.AsNoTracking()
            .Where(e => e.OrganizerId == organizerId && e.ReleaseLocalDate == today && e.ReleaseState == ReleaseState.ReleasesOnDate && e.Currency == Money.Pen
                        && e.OccurredAt <= asOf);
        if (eventId is { } id) entries = entries.Where(e => e.EventId == id);
        var boundary = await entries
            .GroupBy(e => new { e.EventId, Due = e.MoneyReleaseDate <= asOf })
            .Select(g => new BoundaryRow(g.Key.EventId ?? LedgerRollups.NoEvent, g.Key.Due, g.Sum(e => e.Net), g.Count(e => e.Kind == LedgerEntryKind.Sale)))
            .ToListAsync(ct);
        return (asOf, today, rows, boundary);
    }

    private static Standing Classify(ReleaseState state, DateOnly releaseDate, DateOnly today) => state switch
    {
        ReleaseState.Held => Standing.Held,
        ReleaseState.Released => Standing.Credited,
        ReleaseState.ReleasesOnDate when releaseDate == today => Standing.Boundary,
        ReleaseState.ReleasesOnDate when releaseDate != LedgerRollups.NoReleaseDate && releaseDate < today => Standing.Credited,
        _ => Standing.Pending,
    };

    private static void AddUpcoming(Dictionary<DateOnly, (decimal Amount, int Payments)> upcoming, DateOnly date, decimal net, int payments)
    {
        var slot = upcoming.TryGetValue(date, out var s) ? s : default;
        upcoming[date] = (slot.Amount + net, slot.Payments + payments);
    }

    private static async Task<List<SeriesPoint>> SeriesAsync(BillingDbContext db, int organizerId, DatePeriod period, int? eventId, SeriesGranularity granularity, CancellationToken ct)
    {
        var rows = eventId is null
            ? await Days(db, organizerId, period)
                .Select(r => new DayRow(r.LocalDate, r.Kind, r.Entries, r.Tickets, r.Gross, r.Net))
                .ToListAsync(ct)
            : await EventDays(db, organizerId, period, eventId)
                .Select(r => new DayRow(r.LocalDate, r.Kind, r.Entries, r.Tickets, r.Gross, r.Net))
                .ToListAsync(ct);

        var buckets = new SortedDictionary<DateOnly, SeriesPoint>();
        for (var day = period.From; day <= period.To; day = granularity == SeriesGranularity.Day ? day.AddDays(1) : new DateOnly(day.Year, day.Month, 1).AddMonths(1))
        {
            var start = BucketOf(day, granularity);
            buckets[start] = new SeriesPoint(start, 0, 0, 0m, 0m, 0m, 0m);
        }

        foreach (var r in rows)
        {
            var start = BucketOf(r.LocalDate, granularity);
            var p = buckets[start];
            buckets[start] = r.Kind switch
            {
                LedgerEntryKind.Sale => p with { Sales = p.Sales + r.Entries, TicketsSold = p.TicketsSold + r.Tickets, GrossSales = p.GrossSales + r.Gross, Net = p.Net + r.Net },
                LedgerEntryKind.Refund => p with { Refunds = p.Refunds + r.Gross, Net = p.Net + r.Net },
                _ => p with { Chargebacks = p.Chargebacks + r.Gross, Net = p.Net + r.Net },
            };
        }

        return buckets.Values.ToList();
    }

    private static DateOnly BucketOf(DateOnly day, SeriesGranularity granularity) =>
        granularity == SeriesGranularity.Day ? day : new DateOnly(day.Year, day.Month, 1);

    private static async Task<List<BreakdownRow>> ByEventAsync(BillingDbContext db, int organizerId, DatePeriod period, CancellationToken ct)
    {
        var figures = await FiguresByEventAsync(db, organizerId, period, null, ct);
        var ids = figures.Keys.Where(k => k != LedgerRollups.NoEvent).ToList();
        var names = await db.Events.AsNoTracking().Where(e => e.OrganizerId == organizerId && ids.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        return figures
            .Select(kv => Breakdown(kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), names.GetValueOrDefault(kv.Key, ""), kv.Value))
            .OrderByDescending(r => r.GrossSales).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<List<BreakdownRow>> ByMethodAsync(BillingDbContext db, int organizerId, DatePeriod period, int? eventId, CancellationToken ct)
    {
        // The whole organizer from its per-method days; one event from its own entries (the (organizer, event, day) index).
        var rows = eventId is null
            ? await db.LedgerMethodDayTotals.AsNoTracking()
                .Where(r => r.OrganizerId == organizerId && r.LocalDate >= period.From && r.LocalDate <= period.To)
                .GroupBy(r => new { r.PaymentMethodId, r.PaymentTypeId, r.Kind })
                .Select(g => new MethodRow(g.Key.PaymentMethodId, g.Key.PaymentTypeId, new KindTotals(g.Key.Kind, g.Sum(r => r.Entries), g.Sum(r => r.Tickets),
                    g.Sum(r => r.Gross), g.Sum(r => r.MercadoPagoFee), g.Sum(r => r.CommissionBase), g.Sum(r => r.CommissionIgv), g.Sum(r => r.OtherFees), g.Sum(r => r.Net))))
                .ToListAsync(ct)
            : await db.LedgerEntries.AsNoTracking()
                .Where(e => e.OrganizerId == organizerId && e.EventId == eventId && e.LocalDate >= period.From && e.LocalDate <= period.To && e.Currency == Money.Pen)
                .GroupBy(e => new { e.PaymentMethodId, e.PaymentTypeId, e.Kind })
                .Select(g => new MethodRow(g.Key.PaymentMethodId ?? "", g.Key.PaymentTypeId ?? "", new KindTotals(g.Key.Kind, g.Count(), g.Sum(e => e.Tickets),
                    g.Sum(e => e.Gross), g.Sum(e => e.MercadoPagoFee), g.Sum(e => e.CommissionBase), g.Sum(e => e.CommissionIgv), g.Sum(e => e.OtherFees), g.Sum(e => e.Net))))
                .ToListAsync(ct);
        return rows.GroupBy(r => (r.PaymentMethodId, r.PaymentTypeId))
            .Select(g => Breakdown(g.Key.PaymentMethodId + "/" + g.Key.PaymentTypeId, g.Key.PaymentMethodId, ToSummary(period, g.Select(r => r.Row).ToList())))
            .OrderByDescending(r => r.GrossSales).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
    }

    private static BreakdownRow Breakdown(string key, string label, PeriodSummary s) =>
        new(key, label, s.Sales, s.TicketsSold, s.GrossSales, s.Refunds, s.Chargebacks, s.MercadoPagoFees, s.Commission, s.Net);

    private enum Standing
    {
        Credited,
        Pending,
        Held,
        Boundary,
    }


    private sealed record BalanceRow(int EventId, ReleaseState ReleaseState, DateOnly ReleaseLocalDate, decimal Net, int Sales);

    private sealed record EventRow(int EventId, KindTotals Row);

    private sealed record DayRow(DateOnly LocalDate, LedgerEntryKind Kind, int Entries, int Tickets, decimal Gross, decimal Net);

    private sealed record MethodRow(string PaymentMethodId, string PaymentTypeId, KindTotals Row);

    private sealed record BoundaryRow(int EventId, bool Due, decimal Net, int Payments);
}
