using BillingPortal.Core.Data;
using BillingPortal.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Ingestion;

/// <summary>
/// Event rows: validation and upsert. The organizer must already exist (send organizers first). An existing event
/// never moves to another organizer: its purchases, payments and statements belong to the first one.
/// Omitted <c>payouts_frozen</c> is false for a new event and leaves an existing event's flag alone (admins may set it).
/// </summary>
internal static class EventIngestion
{
    private static readonly Dictionary<string, EventStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["scheduled"] = EventStatus.Scheduled,
        ["finished"] = EventStatus.Finished,
        ["cancelled"] = EventStatus.Cancelled,
    };

    public static ValidEvent? Validate(EventRow row, RowChecker check)
    {
        var id = check.RequiredText(row.Id, "id", IngestionLimits.MaxExternalIdLength);
        var organizerId = check.RequiredText(row.OrganizerId, "organizer_id", IngestionLimits.MaxExternalIdLength);
        var name = check.RequiredText(row.Name, "name", 200);
        var venue = check.RequiredText(row.Venue, "venue", 200);
        var city = check.OptionalText(row.City, "city", 100);
        var startsAt = check.Instant(row.StartsAt, "starts_at", required: true);
        var capacity = check.Whole(row.Capacity, "capacity", 1, int.MaxValue);
        var status = check.OneOf(row.Status, "status", Statuses);
        return check.IsValid
            ? new ValidEvent(check.Row, id!, organizerId!, name!, venue!, city, startsAt!.Value, capacity!.Value, status!.Value, row.PayoutsFrozen)
            : null;
    }

    public static async Task<IngestionResult?> ApplyAsync(
        BillingDbContext db, IReadOnlyList<ValidEvent> rows, IngestionErrorCollector errors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var organizers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in rows.Select(r => r.OrganizerId).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(IngestionLimits.LookupChunkSize))
        {
            foreach (var organizer in await db.Organizers.AsNoTracking().Where(o => chunk.Contains(o.ExternalId))
                         .Select(o => new { o.Id, o.ExternalId }).ToListAsync(cancellationToken))
                organizers[organizer.ExternalId] = organizer.Id;
        }

        var existing = new Dictionary<string, Event>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in rows.Select(r => r.Id).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(IngestionLimits.LookupChunkSize))
        {
            foreach (var @event in await db.Events.Where(e => chunk.Contains(e.ExternalId)).ToListAsync(cancellationToken))
                existing[@event.ExternalId] = @event;
        }

        foreach (var row in rows)
        {
            if (!organizers.TryGetValue(row.OrganizerId, out var organizerId))
            {
                errors.Add(row.Row, row.Id, "organizer_id", IngestionRules.UnknownOrganizer,
                    $"No existe un organizador con id '{row.OrganizerId}'; envíelo antes a /api/v1/ingest/organizers.");
            }
            else if (existing.TryGetValue(row.Id, out var current) && current.OrganizerId != organizerId)
            {
                errors.Add(row.Row, row.Id, "organizer_id", IngestionRules.OrganizerChange,
                    $"El evento '{row.Id}' ya pertenece a otro organizador y no puede pasar a '{row.OrganizerId}'.");
            }
        }

        if (errors.Count > 0) return null;

        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            var organizerId = organizers[row.OrganizerId];
            if (!existing.TryGetValue(row.Id, out var @event))
            {
                @event = new Event
                {
                    ExternalId = row.Id,
                    OrganizerId = organizerId,
                    Name = row.Name,
                    Venue = row.Venue,
                    CreatedAt = now,
                };
                db.Events.Add(@event);
                existing[row.Id] = @event;
                created++;
            }

            @event.Name = row.Name;
            @event.Venue = row.Venue;
            @event.City = row.City;
            @event.StartsAt = row.StartsAt;
            @event.Capacity = row.Capacity;
            @event.Status = row.Status;
            if (row.PayoutsFrozen is { } frozen) @event.PayoutsFrozen = frozen;
            var entry = db.Entry(@event);
            if (entry.State == EntityState.Added)
            {
                @event.UpdatedAt = now;
            }
            else if (entry.State == EntityState.Modified)
            {
                @event.UpdatedAt = now;
                updated++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new IngestionResult(rows.Count, created, updated, rows.Count - created - updated);
    }
}

/// <summary>An event row that passed the field checks; <see cref="StartsAt"/> is UTC.</summary>
internal sealed record ValidEvent(
    int Row, string Id, string OrganizerId, string Name, string Venue, string? City, DateTimeOffset StartsAt, int Capacity,
    EventStatus Status, bool? PayoutsFrozen) : IValidRow;
