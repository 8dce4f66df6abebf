using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Purchases;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Ingestion;

/// <summary>
/// Purchase rows: validation and upsert. The event must already exist; the purchase's organizer is the event's.
/// A purchase may move to another event of the same organizer, never to another organizer's event.
/// </summary>
internal static class PurchaseIngestion
{
    private static readonly Dictionary<string, PurchaseStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["pending"] = PurchaseStatus.Pending,
        ["paid"] = PurchaseStatus.Paid,
        ["cancelled"] = PurchaseStatus.Cancelled,
        ["refunded"] = PurchaseStatus.Refunded,
    };

    public static ValidPurchase? Validate(PurchaseRow row, RowChecker check, DateTimeOffset now)
    {
        var id = check.RequiredText(row.Id, "id", IngestionLimits.MaxExternalIdLength);
        var eventId = check.RequiredText(row.EventId, "event_id", IngestionLimits.MaxExternalIdLength);
        var email = check.Email(row.BuyerEmail, "buyer_email");
        var name = check.OptionalText(row.BuyerName, "buyer_name", 200);
        var document = check.OptionalText(row.BuyerDocument, "buyer_document", 20);
        var tickets = check.Whole(row.Tickets, "tickets", 1, IngestionLimits.MaxTicketsPerPurchase);
        var amount = check.Amount(row.Amount, "amount", required: true, IngestionLimits.MaxPurchaseAmount);
        if (string.IsNullOrWhiteSpace(row.Currency))
            check.Fail("currency", IngestionRules.Required, "currency es obligatorio.");
        else if (!string.Equals(row.Currency, Money.Pen, StringComparison.Ordinal))
            check.Fail("currency", IngestionRules.Currency, "Solo se admite la moneda PEN (soles).");
        var status = check.OneOf(row.Status, "status", Statuses);

        var latest = now + IngestionLimits.FutureTolerance;
        var createdAt = check.Instant(row.CreatedAt, "created_at", required: true);
        if (createdAt > latest)
        {
            check.Fail("created_at", IngestionRules.FutureDate, "created_at no puede estar más de 5 minutos en el futuro.");
            createdAt = null;
        }

        var paymentDate = check.Instant(row.PaymentDate, "payment_date", required: false);
        if (paymentDate is null && status == PurchaseStatus.Paid && string.IsNullOrWhiteSpace(row.PaymentDate))
            check.Fail("payment_date", IngestionRules.RequiredWhenPaid, "payment_date es obligatorio cuando status es paid.");
        else if (paymentDate > latest)
            check.Fail("payment_date", IngestionRules.FutureDate, "payment_date no puede estar más de 5 minutos en el futuro.");
        else if (paymentDate < createdAt)
            check.Fail("payment_date", IngestionRules.BeforeCreatedAt, "payment_date no puede ser anterior a created_at.");

        return check.IsValid
            ? new ValidPurchase(check.Row, id!, eventId!, email!, name, document, tickets!.Value, amount!.Value, status!.Value, createdAt!.Value, paymentDate)
            : null;
    }

    public static async Task<IngestionResult?> ApplyAsync(
        BillingDbContext db, IReadOnlyList<ValidPurchase> rows, IngestionErrorCollector errors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = new Dictionary<string, (int Id, int OrganizerId)>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in rows.Select(r => r.EventId).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(IngestionLimits.LookupChunkSize))
        {
            foreach (var @event in await db.Events.AsNoTracking().Where(e => chunk.Contains(e.ExternalId))
                         .Select(e => new { e.Id, e.ExternalId, e.OrganizerId }).ToListAsync(cancellationToken))
                events[@event.ExternalId] = (@event.Id, @event.OrganizerId);
        }

        var existing = new Dictionary<string, Purchase>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in rows.Select(r => r.Id).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(IngestionLimits.LookupChunkSize))
        {
            foreach (var purchase in await db.Purchases.Where(p => chunk.Contains(p.ExternalId)).ToListAsync(cancellationToken))
                existing[purchase.ExternalId] = purchase;
        }

        foreach (var row in rows)
        {
            if (!events.TryGetValue(row.EventId, out var @event))
            {
                errors.Add(row.Row, row.Id, "event_id", IngestionRules.UnknownEvent,
                    $"No existe un evento con id '{row.EventId}'; envíelo antes a /api/v1/ingest/events.");
            }
            else if (existing.TryGetValue(row.Id, out var current) && current.OrganizerId != @event.OrganizerId)
            {
                errors.Add(row.Row, row.Id, "event_id", IngestionRules.OrganizerChange,
                    $"La compra '{row.Id}' pertenece a otro organizador y no puede pasar al evento '{row.EventId}'.");
            }
        }

        if (errors.Count > 0) return null;

        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            var @event = events[row.EventId];
            if (!existing.TryGetValue(row.Id, out var purchase))
            {
                purchase = new Purchase
                {
                    ExternalId = row.Id,
                    OrganizerId = @event.OrganizerId,
                    BuyerEmail = row.BuyerEmail,
                    Currency = Money.Pen,
                };
                db.Purchases.Add(purchase);
                existing[row.Id] = purchase;
                created++;
            }

            purchase.EventId = @event.Id;
            purchase.BuyerEmail = row.BuyerEmail;
            purchase.BuyerName = row.BuyerName;
            purchase.BuyerDocument = row.BuyerDocument;
            purchase.Tickets = row.Tickets;
            purchase.Amount = row.Amount;
            purchase.Status = row.Status;
            purchase.CreatedAt = row.CreatedAt;
            purchase.PaymentDate = row.PaymentDate;
            var entry = db.Entry(purchase);
            if (entry.State == EntityState.Added)
            {
                purchase.UpdatedAt = now;
            }
            else if (entry.State == EntityState.Modified)
            {
                purchase.UpdatedAt = now;
                updated++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new IngestionResult(rows.Count, created, updated, rows.Count - created - updated);
    }
}

/// <summary>A purchase row that passed the field checks; instants are UTC.</summary>
internal sealed record ValidPurchase(
    int Row, string Id, string EventId, string BuyerEmail, string? BuyerName, string? BuyerDocument, int Tickets, decimal Amount,
    PurchaseStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? PaymentDate) : IValidRow;
