using BillingPortal.Core.Data;
using BillingPortal.Core.Organizers;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Identity;

/// <summary>An organizer as the admin area lists it, with its number of members and of owners.</summary>
public sealed record AdminOrganizerRow(int Id, string LegalName, TaxIdKind TaxIdKind, string TaxId, int Members, int Owners);

/// <summary>One page of organizers and how many match in all.</summary>
public sealed record AdminOrganizerPage(IReadOnlyList<AdminOrganizerRow> Rows, int TotalCount);

/// <summary>Platform-wide reads for the admin area. Anyone but a platform admin gets null.</summary>
public sealed class PlatformAdminQueries(IDbContextFactory<BillingDbContext> factory)
{
    public const int MaxPageSize = 200;

    /// <summary>Organizers whose razón social or tax id contains <paramref name="search"/>, by id, one page.</summary>
    public async Task<AdminOrganizerPage?> SearchOrganizersAsync(PortalIdentity caller, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return null;
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var organizers = db.Organizers.AsNoTracking();
        var text = search?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            organizers = organizers.Where(o => o.LegalName.Contains(text) || o.TaxId.Contains(text));
        }

        var total = await organizers.CountAsync(cancellationToken);
        var rows = await organizers.OrderBy(o => o.Id).Skip(page * pageSize).Take(pageSize)
            .Select(o => new AdminOrganizerRow(o.Id, o.LegalName, o.TaxIdKind, o.TaxId,
                db.OrganizerMembers.Count(m => m.OrganizerId == o.Id),
                db.OrganizerMembers.Count(m => m.OrganizerId == o.Id && m.Role == OrganizerRole.Owner)))
            .ToListAsync(cancellationToken);
        return new AdminOrganizerPage(rows, total);
    }

    /// <summary>Organizers for the audit log's filter: id and razón social of those matching <paramref name="search"/> (at most 20).</summary>
    public async Task<IReadOnlyList<OrganizerListItem>> FindOrganizersAsync(PortalIdentity caller, string? search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPlatformAdmin) return [];
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var organizers = db.Organizers.AsNoTracking();
        var text = search?.Trim();
        if (!string.IsNullOrEmpty(text)) organizers = organizers.Where(o => o.LegalName.Contains(text) || o.TaxId.Contains(text));
        return await organizers.OrderBy(o => o.Id).Take(20)
            .Select(o => new OrganizerListItem(o.Id, o.LegalName, o.TaxIdKind, o.TaxId, o.TimeZoneId))
            .ToListAsync(cancellationToken);
    }
}
