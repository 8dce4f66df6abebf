using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Organizers;

/// <summary>An organizer as pickers and headers show it: razón social, tax id and accounting time zone.</summary>
public sealed record OrganizerListItem(int Id, string LegalName, TaxIdKind TaxIdKind, string TaxId, string TimeZoneId)
{
    /// <summary>The organizer's accounting calendar (America/Lima unless configured otherwise).</summary>
    public AccountingCalendar Calendar() => AccountingCalendar.For(TimeZoneId);
}

/// <summary>
/// Read side of organizers for the UI. Callers resolve an organizer id coming from a URL or a form through
/// <see cref="FindAsync"/> before using it, so an id that does not exist is never queried further.
/// </summary>
public sealed class OrganizerQueries(IDbContextFactory<BillingDbContext> factory)
{
    /// <summary>All organizers, oldest first (the first one is the demo organizer in demo mode).</summary>
    public async Task<IReadOnlyList<OrganizerListItem>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Organizers.AsNoTracking()
            .OrderBy(o => o.Id)
            .Select(o => new OrganizerListItem(o.Id, o.LegalName, o.TaxIdKind, o.TaxId, o.TimeZoneId))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The organizer with this id, or null when there is none.</summary>
    public async Task<OrganizerListItem?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Organizers.AsNoTracking()
            .Where(o => o.Id == id)
            .Select(o => new OrganizerListItem(o.Id, o.LegalName, o.TaxIdKind, o.TaxId, o.TimeZoneId))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
