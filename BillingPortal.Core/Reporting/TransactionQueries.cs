using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Payments;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Reporting;

/// <summary>
/// The organizer's transactions (its Mercado Pago payments): filtered, sorted pages read by keyset (never an
/// <c>OFFSET</c> into the table), the total for a filter set, and one payment's detail with its fee breakdown from the
/// ledger. Every query is scoped to the organizer id the caller has already authorised; a payment or event id of another
/// organizer gives nothing. Buyers' personal data is masked unless the caller passes <c>revealPersonalData</c> (owners).
/// </summary>
/// <remarks>
/// Pages follow the indexes on Payments: (OrganizerId, DateCreated), (OrganizerId, EventId, DateCreated),
/// (OrganizerId, Status, DateCreated) and (OrganizerId, PayerEmail); SQLite stores the payment id (the rowid) in every
/// index, so "date, then id" is read in index order. The amount orders have no index and sort the filtered rows.
/// </remarks>
public sealed class TransactionQueries(IDbContextFactory<BillingDbContext> factory, TimeProvider time)
{
    /// <summary>The highest code point: <c>prefix + this</c> is above every text that starts with the prefix.</summary>
    private const string PrefixEnd = "\U0010FFFF";

    /// <summary>
    /// One page of payments. A malformed cursor, or one made for another order, throws
    /// <see cref="InvalidTransactionCursorException"/>; a limit outside 1–500 or <c>From &gt; To</c> throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public async Task<TransactionPage> GetPageAsync(int organizerId, TransactionPageRequest request, bool revealPersonalData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Limit, TransactionPageRequest.MaxLimit, nameof(request));
        TransactionCursor? cursor = null;
        if (!request.Last && request.Cursor is not null && TransactionCursor.TryParse(request.Cursor, request.Sort, out cursor) is { } error)
            throw new InvalidTransactionCursorException(error);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var zone = await ZoneOfAsync(db, organizerId, cancellationToken);
        if (zone is null) return new TransactionPage([], null, null);
        var now = time.GetUtcNow();
        var calendar = AccountingCalendar.For(zone);

        // The rows are read in "fetch order": the list's order, or its reverse for the previous and the last page.
        var descending = TransactionCursor.IsDescending(request.Sort);
        var backwards = request.Last || cursor is { Before: true };
        var fetchDescending = backwards ? !descending : descending;
        // Each part gives at most one page in fetch order; several parts («pending») are merged in that order.
        var rows = new List<PaymentShape>();
        var parts = Parts(db, organizerId, request.Filter, calendar, now);
        foreach (var part in parts)
            rows.AddRange(await PageOf(part, request, fetchDescending, cursor).ToListAsync(cancellationToken));
        if (parts.Count > 1) rows = [.. InFetchOrder(rows, request.Sort, fetchDescending).Take(request.Limit + 1)];

        var more = rows.Count > request.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        if (backwards) rows.Reverse();

        var (hasPrevious, hasNext) = request.Last ? (more, false)
            : cursor is null ? (false, more)
            : cursor.Before ? (more, true)
            : (true, more);
        var items = await ToRowsAsync(db, organizerId, rows, revealPersonalData, now, cancellationToken);
        if (items.Count == 0) return new TransactionPage(items, null, null);
        return new TransactionPage(items,
            hasNext ? CursorAt(request.Sort, before: false, items[^1]).Encode() : null,
            hasPrevious ? CursorAt(request.Sort, before: true, items[0]).Encode() : null);
    }

    /// <summary>One page (plus one row, to know whether there is more) past the cursor, in fetch order.</summary>
    private static IQueryable<PaymentShape> PageOf(IQueryable<Payment> query, TransactionPageRequest request, bool fetchDescending, TransactionCursor? cursor)
    {
        if (cursor is not null) query = SeekPast(query, request.Sort, fetchDescending, cursor);
        return Order(query, request.Sort, fetchDescending)
            .Take(request.Limit + 1)
            .Select(p => new PaymentShape(p.Id, p.DateCreated, p.DateApproved, p.ExternalReference, p.EventId, p.Status, p.StatusDetail,
                p.PaymentMethodId, p.PaymentTypeId, p.Installments, p.Tickets, p.TransactionAmount, p.TransactionAmountRefunded,
                p.CurrencyId, p.MoneyReleaseStatus, p.MoneyReleaseDate, p.PayerEmail));
    }

    private static IEnumerable<PaymentShape> InFetchOrder(IEnumerable<PaymentShape> rows, TransactionSort sort, bool descending) =>
        (TransactionCursor.IsDate(sort), descending) switch
        {
            (true, true) => rows.OrderByDescending(r => r.DateCreated).ThenByDescending(r => r.Id),
            (true, false) => rows.OrderBy(r => r.DateCreated).ThenBy(r => r.Id),
            (false, true) => rows.OrderByDescending(r => r.Amount).ThenByDescending(r => r.Id),
            (false, false) => rows.OrderBy(r => r.Amount).ThenBy(r => r.Id),
        };

    /// <summary>
    /// The filters as one query, or, for «pending», as the six queries of <see cref="PendingParts"/> whose union it is.
    /// «Pending» depends on «now», so no single index range holds it (a page from the old end of the list used to filter
    /// almost every payment: 0.7 s on a million); each part is one exact range of the (organizer, release status,
    /// status, date) index. Pages merge the parts; counts add them up.
    /// </summary>
    private static IReadOnlyList<IQueryable<Payment>> Parts(BillingDbContext db, int organizerId, TransactionFilter filter, AccountingCalendar calendar, DateTimeOffset now)
    {
        if (filter.Release != TransactionRelease.Pending) return [Filtered(db, organizerId, filter, calendar, now)];
        var all = Filtered(db, organizerId, filter with { Release = null }, calendar, now);
        return [.. PendingParts.Select(part => PendingPart(all, part.Release, part.Status, now))];
    }

    /// <summary>
    /// The (release status, status) pairs whose payments can be pending (<see cref="ReleaseOf"/>): a sale status with the
    /// release status «pending», or with none. Each pair is one exact range of the payments' release index.
    /// </summary>
    private static readonly (MoneyReleaseStatus? Release, PaymentStatus Status)[] PendingParts =
    [
        (MoneyReleaseStatus.Pending, PaymentStatus.Approved),
        (MoneyReleaseStatus.Pending, PaymentStatus.Refunded),
        (MoneyReleaseStatus.Pending, PaymentStatus.ChargedBack),
        (null, PaymentStatus.Approved),
        (null, PaymentStatus.Refunded),
        (null, PaymentStatus.ChargedBack),
    ];

    /// <summary>The pending payments of one pair: with no release status, an approved one is pending only until its release date.</summary>
    private static IQueryable<Payment> PendingPart(IQueryable<Payment> query, MoneyReleaseStatus? release, PaymentStatus status, DateTimeOffset now)
    {
        query = release is { } known
            ? query.Where(p => p.MoneyReleaseStatus == known && p.Status == status)
            : query.Where(p => p.MoneyReleaseStatus == null && p.Status == status);
        return release is null && status == PaymentStatus.Approved
            ? query.Where(p => p.MoneyReleaseDate == null || p.MoneyReleaseDate > now)
            : query;
    }

    /// <summary>How many payments match the filters (the list shows it and keeps it while paging).</summary>
    public async Task<int> CountAsync(int organizerId, TransactionFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var zone = await ZoneOfAsync(db, organizerId, cancellationToken);
        if (zone is null) return 0;
        var count = 0;
        foreach (var part in Parts(db, organizerId, filter, AccountingCalendar.For(zone), time.GetUtcNow()))
            count += await part.CountAsync(cancellationToken);
        return count;
    }

    /// <summary>The organizer's events (newest first) and the payment methods seen in its ledger, for the filter menus.</summary>
    public async Task<TransactionFilterOptions> GetFilterOptionsAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = await db.Events.AsNoTracking().Where(e => e.OrganizerId == organizerId)
            .OrderByDescending(e => e.StartsAt).Select(e => new EventOption(e.Id, e.Name, e.StartsAt))
            .ToListAsync(cancellationToken);

        // The per-method days hold every method the organizer was paid with, in a few rows per day (not a scan of payments).
        var methods = await db.LedgerMethodDayTotals.AsNoTracking().Where(r => r.OrganizerId == organizerId && r.PaymentMethodId != "")
            .Select(r => r.PaymentMethodId).Distinct().ToListAsync(cancellationToken);
        methods.Sort(StringComparer.Ordinal);
        return new TransactionFilterOptions(events, methods);
    }

    /// <summary>One payment of the organizer with its breakdown, timeline, refunds, release, purchase and event; null when none.</summary>
    public async Task<TransactionDetail?> GetDetailAsync(int organizerId, long paymentId, bool revealPersonalData, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var payment = await db.Payments.AsNoTracking()
            .Include(p => p.Refunds).Include(p => p.StatusHistory)
            .AsSplitQuery()
            .FirstOrDefaultAsync(p => p.Id == paymentId && p.OrganizerId == organizerId, cancellationToken);
        if (payment is null) return null;
        var zone = await ZoneOfAsync(db, organizerId, cancellationToken) ?? AccountingCalendar.LimaTimeZoneId;

        var entries = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.PaymentId == paymentId && e.OrganizerId == organizerId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var lines = entries.Select(e => new BreakdownLine(e.Kind, e.RefundId, e.OccurredAt, e.LocalDate, e.Gross, e.MercadoPagoFee,
            e.CommissionBase, e.CommissionIgv, e.OtherFees, e.Net)).ToList();

        PurchaseInfo? purchase = null;
        if (payment.PurchaseId is { } purchaseId)
        {
            purchase = await db.Purchases.AsNoTracking().Where(p => p.Id == purchaseId && p.OrganizerId == organizerId)
                .Select(p => new PurchaseInfo(p.Id, p.ExternalId, p.Tickets, p.Amount, p.Status.ToString(), p.CreatedAt, p.BuyerName, p.BuyerDocument))
                .FirstOrDefaultAsync(cancellationToken);
            if (purchase is not null && !revealPersonalData)
                purchase = purchase with { BuyerName = PersonalDataMask.Name(purchase.BuyerName), BuyerDocument = PersonalDataMask.Document(purchase.BuyerDocument) };
        }

        EventInfo? ev = null;
        if (payment.EventId is { } eventId)
        {
            ev = await db.Events.AsNoTracking().Where(e => e.Id == eventId && e.OrganizerId == organizerId)
                .Select(e => new EventInfo(e.Id, e.Name, e.Venue, e.City, e.StartsAt)).FirstOrDefaultAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        var shape = new PaymentShape(payment.Id, payment.DateCreated, payment.DateApproved, payment.ExternalReference, payment.EventId, payment.Status,
            payment.StatusDetail, payment.PaymentMethodId, payment.PaymentTypeId, payment.Installments, payment.Tickets, payment.TransactionAmount,
            payment.TransactionAmountRefunded, payment.CurrencyId, payment.MoneyReleaseStatus, payment.MoneyReleaseDate, payment.PayerEmail);
        var row = ToRow(shape, ev?.Name, lines.Sum(l => l.Net), revealPersonalData, now);

        var timeline = payment.StatusHistory.OrderBy(h => h.ChangedAt).ThenBy(h => h.Id)
            .Select(h => new TimelineStep(h.Status, h.StatusDetail, h.ChangedAt)).ToList();
        if (timeline.Count == 0 || timeline[^1].Status != payment.Status || timeline[^1].StatusDetail != payment.StatusDetail)
            timeline.Add(new TimelineStep(payment.Status, payment.StatusDetail, payment.DateLastUpdated));
        var refunds = payment.Refunds.OrderBy(r => r.DateCreated).ThenBy(r => r.Id)
            .Select(r => new RefundItem(r.Id, r.Amount, r.Status, r.DateCreated, r.SourceType)).ToList();

        return new TransactionDetail(
            row,
            revealPersonalData ? payment.PayerEmail : PersonalDataMask.Email(payment.PayerEmail),
            payment.PayerIdentificationType,
            revealPersonalData ? payment.PayerIdentificationNumber : PersonalDataMask.Document(payment.PayerIdentificationNumber),
            revealPersonalData,
            payment.MercadoPagoFee,
            payment.ApplicationFee,
            payment.OtherCollectorFees,
            payment.PayerFees,
            payment.NetReceivedAmount,
            FeeBreakdown.Of(lines),
            timeline,
            refunds,
            entries.Count > 0 ? entries[0].ReleaseState : null,
            entries.Count > 0 ? entries[0].ReleaseLocalDate : payment.MoneyReleaseDate is { } release ? AccountingCalendar.For(zone).LocalDate(release) : null,
            purchase,
            ev,
            zone);
    }

    /// <summary>Where a payment's money stands as of <paramref name="now"/>: the rules of <see cref="LedgerEngine.ReleaseStateOf"/> and <see cref="LedgerEngine.IsCredited(LedgerEntry, DateTimeOffset)"/>.</summary>
    public static TransactionRelease ReleaseOf(PaymentStatus status, MoneyReleaseStatus? releaseStatus, DateTimeOffset? releaseDate, DateTimeOffset now)
    {
        if (!LedgerEngine.IsSaleStatus(status)) return TransactionRelease.None;
        if (status == PaymentStatus.InMediation) return TransactionRelease.Held;
        if (releaseStatus == MoneyReleaseStatus.Released) return TransactionRelease.Credited;
        if (releaseStatus is null && status == PaymentStatus.Approved && releaseDate is { } date && date <= now) return TransactionRelease.Credited;
        return TransactionRelease.Pending;
    }

    /// <summary>The filters as a query over the organizer's payments; «pending» is not one query (see <see cref="Parts"/>).</summary>
    private static IQueryable<Payment> Filtered(BillingDbContext db, int organizerId, TransactionFilter filter, AccountingCalendar calendar, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.From is { } f && filter.To is { } t && f > t) throw new ArgumentException("«From» no puede ser posterior a «To».", nameof(filter));
        var query = db.Payments.AsNoTracking().Where(p => p.OrganizerId == organizerId);
        if (filter.From is { } from)
        {
            var start = calendar.StartOfDayUtc(from);
            query = query.Where(p => p.DateCreated >= start);
        }

        if (filter.To is { } to)
        {
            var end = calendar.StartOfDayUtc(to.AddDays(1));
            query = query.Where(p => p.DateCreated < end);
        }

        if (filter.EventId is { } eventId) query = query.Where(p => p.EventId == eventId);
        if (filter.Status is { } status) query = query.Where(p => p.Status == status);
        if (!string.IsNullOrEmpty(filter.PaymentMethodId))
        {
            var method = filter.PaymentMethodId;
            query = query.Where(p => p.PaymentMethodId == method);
        }

        if (filter.HasRefund is { } hasRefund)
            query = hasRefund ? query.Where(p => p.TransactionAmountRefunded > 0m) : query.Where(p => p.TransactionAmountRefunded == 0m);

        query = filter.Release switch
        {
            null => query,
            TransactionRelease.None => query.Where(p => p.Status == PaymentStatus.Pending || p.Status == PaymentStatus.Authorized
                                                        || p.Status == PaymentStatus.InProcess || p.Status == PaymentStatus.Rejected
                                                        || p.Status == PaymentStatus.Cancelled),
            TransactionRelease.Held => query.Where(p => p.Status == PaymentStatus.InMediation),
            TransactionRelease.Credited => query.Where(p =>
                (p.Status == PaymentStatus.Approved || p.Status == PaymentStatus.Refunded || p.Status == PaymentStatus.ChargedBack)
                && (p.MoneyReleaseStatus == MoneyReleaseStatus.Released
                    || (p.MoneyReleaseStatus == null && p.Status == PaymentStatus.Approved && p.MoneyReleaseDate != null && p.MoneyReleaseDate <= now))),
            TransactionRelease.Pending => throw new ArgumentException("«Pending» is read as the union of PendingParts (see Parts).", nameof(filter)),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.Release, "Unknown release filter."),
        };

        var search = filter.Search?.Trim();
        if (!string.IsNullOrEmpty(search)) query = Search(query, search);
        return query;
    }

    /// <summary>
    /// A payment id (exact), a purchase reference (exact or prefix, as an index range) or a buyer email. Emails are stored
    /// as Mercado Pago sent them; the search matches the text as typed, all lower case, and with the domain lower-cased,
    /// all through the (OrganizerId, PayerEmail) index (SQL Server's usual case-insensitive collation matches any case).
    /// </summary>
    private static IQueryable<Payment> Search(IQueryable<Payment> query, string search)
    {
        if (search.Length > TransactionFilter.MaxSearchLength) search = search[..TransactionFilter.MaxSearchLength];
        if (search.Contains('@', StringComparison.Ordinal))
        {
            var lower = search.ToLowerInvariant();
            var at = search.LastIndexOf('@');
            var domainLower = search[..at] + search[at..].ToLowerInvariant();
            return query.Where(p => p.PayerEmail == search || p.PayerEmail == lower || p.PayerEmail == domainLower);
        }

        var end = search + PrefixEnd;
        if (long.TryParse(search, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return query.Where(p => p.Id == id
                                    || (p.ExternalReference!.CompareTo(search) >= 0 && p.ExternalReference!.CompareTo(end) < 0));
        }

        return query.Where(p => p.ExternalReference!.CompareTo(search) >= 0 && p.ExternalReference!.CompareTo(end) < 0);
    }

    /// <summary>Keeps the rows strictly past the cursor's row in fetch order (index-friendly: a range, then the tie on id).</summary>
    private static IQueryable<Payment> SeekPast(IQueryable<Payment> query, TransactionSort sort, bool fetchDescending, TransactionCursor cursor)
    {
        var id = cursor.Id;
        if (TransactionCursor.IsDate(sort))
        {
            var at = new DateTimeOffset(cursor.Key, TimeSpan.Zero);
            return fetchDescending
                ? query.Where(p => p.DateCreated <= at && (p.DateCreated < at || p.Id < id))
                : query.Where(p => p.DateCreated >= at && (p.DateCreated > at || p.Id > id));
        }

        var amount = Money.FromCents(cursor.Key);
        return fetchDescending
            ? query.Where(p => p.TransactionAmount <= amount && (p.TransactionAmount < amount || p.Id < id))
            : query.Where(p => p.TransactionAmount >= amount && (p.TransactionAmount > amount || p.Id > id));
    }

    private static IQueryable<Payment> Order(IQueryable<Payment> query, TransactionSort sort, bool descending) =>
        (TransactionCursor.IsDate(sort), descending) switch
        {
            (true, true) => query.OrderByDescending(p => p.DateCreated).ThenByDescending(p => p.Id),
            (true, false) => query.OrderBy(p => p.DateCreated).ThenBy(p => p.Id),
            (false, true) => query.OrderByDescending(p => p.TransactionAmount).ThenByDescending(p => p.Id),
            (false, false) => query.OrderBy(p => p.TransactionAmount).ThenBy(p => p.Id),
        };

    private static TransactionCursor CursorAt(TransactionSort sort, bool before, TransactionRow row) =>
        new(sort, before, TransactionCursor.IsDate(sort) ? row.DateCreated.UtcTicks : Money.ToCents(row.Amount), row.Id);

    private static async Task<string?> ZoneOfAsync(BillingDbContext db, int organizerId, CancellationToken ct) =>
        await db.Organizers.AsNoTracking().Where(o => o.Id == organizerId).Select(o => o.TimeZoneId).FirstOrDefaultAsync(ct);

    /// <summary>Adds each row's net (the sum of its ledger entries) and event name: two small queries by id for the page.</summary>
    private static async Task<List<TransactionRow>> ToRowsAsync(BillingDbContext db, int organizerId, List<PaymentShape> rows, bool reveal, DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var nets = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.OrganizerId == organizerId && ids.Contains(e.PaymentId))
            .GroupBy(e => e.PaymentId)
            .Select(g => new { PaymentId = g.Key, Net = g.Sum(e => e.Net) })
            .ToDictionaryAsync(x => x.PaymentId, x => x.Net, ct);
        var eventIds = rows.Where(r => r.EventId is not null).Select(r => r.EventId!.Value).Distinct().ToList();
        var names = eventIds.Count == 0
            ? []
            : await db.Events.AsNoTracking().Where(e => e.OrganizerId == organizerId && eventIds.Contains(e.Id))
                .ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        return rows.Select(r => ToRow(r, r.EventId is { } e ? names.GetValueOrDefault(e) : null, nets.GetValueOrDefault(r.Id), reveal, now)).ToList();
    }

    private static TransactionRow ToRow(PaymentShape p, string? eventName, decimal net, bool reveal, DateTimeOffset now) => new(
        p.Id, p.DateCreated, p.DateApproved, p.ExternalReference, p.EventId, eventName, p.Status, p.StatusDetail, p.PaymentMethodId,
        p.PaymentTypeId, p.Installments, p.Tickets, p.Amount, p.Refunded, net, p.Currency,
        ReleaseOf(p.Status, p.ReleaseStatus, p.ReleaseDate, now), p.ReleaseDate,
        reveal ? p.PayerEmail : PersonalDataMask.Email(p.PayerEmail));

    /// <summary>The payment columns a page reads (no navigation, no fee or refund rows).</summary>
    private sealed record PaymentShape(
        long Id,
        DateTimeOffset DateCreated,
        DateTimeOffset? DateApproved,
        string? ExternalReference,
        int? EventId,
        PaymentStatus Status,
        string? StatusDetail,
        string? PaymentMethodId,
        string? PaymentTypeId,
        int Installments,
        int Tickets,
        decimal Amount,
        decimal Refunded,
        string Currency,
        MoneyReleaseStatus? ReleaseStatus,
        DateTimeOffset? ReleaseDate,
        string? PayerEmail);
}

/// <summary>An event in the filter menu.</summary>
public sealed record EventOption(int Id, string Name, DateTimeOffset StartsAt);

/// <summary>What the filter menus offer: the organizer's events and the payment methods it was paid with.</summary>
public sealed record TransactionFilterOptions(IReadOnlyList<EventOption> Events, IReadOnlyList<string> PaymentMethods);
