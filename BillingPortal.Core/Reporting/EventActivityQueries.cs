using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Purchases;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Reporting;

/// <summary>Whether an organizer has a Mercado Pago link and any payment at all (the dashboard's empty states).</summary>
public sealed record OrganizerDataState(bool MercadoPagoLinked, bool HasPayments);

/// <summary>One purchase of an event as its page lists it (no buyer data: the page does not show it).</summary>
public sealed record EventPurchaseRow(long Id, string Reference, DateTimeOffset CreatedAt, int Tickets, decimal Amount, string Currency, PurchaseStatus Status);

/// <summary>One refund of a payment of an event.</summary>
public sealed record EventRefundRow(long RefundId, long PaymentId, DateTimeOffset DateCreated, decimal Amount, string Status);

/// <summary>A page of rows, newest first, and the cursor of the next page (null when there is none).</summary>
public sealed record KeysetPage<T>(IReadOnlyList<T> Rows, KeysetCursor? Next);

/// <summary>Where the next page starts: strictly older than (date, id).</summary>
public sealed record KeysetCursor(DateTimeOffset Date, long Id);

/// <summary>
/// The event page's lists (its purchases and its refunds, newest first, keyset-paged) and the organizer's data state.
/// Every query is scoped to the organizer: an event of another organizer gives empty pages.
/// </summary>
public sealed class EventActivityQueries(IDbContextFactory<BillingDbContext> factory)
{
    /// <summary>The largest page the lists serve.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Is Mercado Pago linked (active), and has any payment been stored for the organizer.</summary>
    public async Task<OrganizerDataState> GetDataStateAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var linked = await db.MercadoPagoLinks.AsNoTracking()
            .AnyAsync(l => l.OrganizerId == organizerId && l.Status == MercadoPagoLinkStatus.Active, cancellationToken);
        var hasPayments = await db.Payments.AsNoTracking().AnyAsync(p => p.OrganizerId == organizerId, cancellationToken);
        return new OrganizerDataState(linked, hasPayments);
    }

    /// <summary>The event's purchases, newest first (created at, then id), <paramref name="pageSize"/> at a time.</summary>
    public async Task<KeysetPage<EventPurchaseRow>> GetPurchasesAsync(int organizerId, int eventId, KeysetCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Purchases.AsNoTracking().Where(p => p.OrganizerId == organizerId && p.EventId == eventId);
        if (after is { } c) query = query.Where(p => p.CreatedAt < c.Date || (p.CreatedAt == c.Date && p.Id < c.Id));
        var rows = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Take(pageSize + 1)
            .Select(p => new EventPurchaseRow(p.Id, p.ExternalId, p.CreatedAt, p.Tickets, p.Amount, p.Currency, p.Status))
            .ToListAsync(cancellationToken);
        return Page(rows, pageSize, r => new KeysetCursor(r.CreatedAt, r.Id));
    }

    /// <summary>The refunds of the event's payments, newest first (date, then refund id).</summary>
    public async Task<KeysetPage<EventRefundRow>> GetRefundsAsync(int organizerId, int eventId, KeysetCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = from r in db.PaymentRefunds.AsNoTracking()
                    join p in db.Payments.AsNoTracking() on r.PaymentId equals p.Id
                    where p.OrganizerId == organizerId && p.EventId == eventId
                    select r;
        if (after is { } c) query = query.Where(r => r.DateCreated < c.Date || (r.DateCreated == c.Date && r.Id < c.Id));
        var rows = await query.OrderByDescending(r => r.DateCreated).ThenByDescending(r => r.Id)
            .Take(pageSize + 1)
            .Select(r => new EventRefundRow(r.Id, r.PaymentId, r.DateCreated, r.Amount, r.Status))
            .ToListAsync(cancellationToken);
        return Page(rows, pageSize, r => new KeysetCursor(r.DateCreated, r.RefundId));
    }

    private static KeysetPage<T> Page<T>(List<T> rows, int pageSize, Func<T, KeysetCursor> cursor)
    {
        if (rows.Count <= pageSize) return new KeysetPage<T>(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new KeysetPage<T>(rows, cursor(rows[^1]));
    }
}
