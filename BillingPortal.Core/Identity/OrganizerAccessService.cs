using BillingPortal.Core.Data;
using BillingPortal.Core.Organizers;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Identity;

/// <summary>An organizer the user belongs to, with their role: what the organizer switcher lists.</summary>
public sealed record OrganizerMembership(int OrganizerId, string LegalName, TaxIdKind TaxIdKind, string TaxId, OrganizerRole Role);

/// <summary>The organizer a page or endpoint acts on, already authorised: the access to pass to Core, and what to show of it.</summary>
public sealed record AuthorizedOrganizer(OrganizerAccess Access, OrganizerListItem Organizer);

/// <summary>
/// Tenancy, in one place: which organizers a signed-in user may act on, and with which role. Every organizer-scoped page
/// and endpoint gets its <see cref="OrganizerAccess"/> from here and nowhere else.
/// <list type="bullet">
/// <item>A member acts with their membership's role.</item>
/// <item>A platform admin may open any organizer; without a membership they act as <see cref="OrganizerRole.Viewer"/>
/// (read-only).</item>
/// <item>An organizer id from a URL, a form or a cookie is only a request: an id the user may not open (or that does not
/// exist) gives null, and callers answer 404 without saying which of the two it was.</item>
/// </list>
/// </summary>
public sealed class OrganizerAccessService(IDbContextFactory<BillingDbContext> factory)
{
    /// <summary>The user's organizers, by razón social.</summary>
    public async Task<IReadOnlyList<OrganizerMembership>> ListMembershipsAsync(PortalIdentity user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var memberships = await (
                from m in db.OrganizerMembers.AsNoTracking()
                join o in db.Organizers.AsNoTracking() on m.OrganizerId equals o.Id
                where m.UserId == user.UserId
                select new OrganizerMembership(o.Id, o.LegalName, o.TaxIdKind, o.TaxId, m.Role))
            .ToListAsync(cancellationToken);
        return [.. memberships.OrderBy(m => m.LegalName, StringComparer.Create(CultureInfo.GetCultureInfo("es-PE"), ignoreCase: true)).ThenBy(m => m.OrganizerId)];
    }

    /// <summary>The user's access to one organizer, or null when they may not open it (or it does not exist).</summary>
    public async Task<AuthorizedOrganizer?> GetAccessAsync(PortalIdentity user, int organizerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var organizer = await db.Organizers.AsNoTracking()
            .Where(o => o.Id == organizerId)
            .Select(o => new OrganizerListItem(o.Id, o.LegalName, o.TaxIdKind, o.TaxId, o.TimeZoneId))
            .FirstOrDefaultAsync(cancellationToken);
        if (organizer is null) return null;

        var role = await db.OrganizerMembers.AsNoTracking()
            .Where(m => m.UserId == user.UserId && m.OrganizerId == organizerId)
            .Select(m => (OrganizerRole?)m.Role)
            .FirstOrDefaultAsync(cancellationToken);
        if (role is null && !user.IsPlatformAdmin) return null;
        return new AuthorizedOrganizer(new OrganizerAccess(organizerId, role ?? OrganizerRole.Viewer, user.UserId, user.Email), organizer);
    }

    /// <summary>
    /// The organizer to act on: the <paramref name="requested"/> one if given (strictly: null when not allowed, no
    /// fallback), else the <paramref name="preferred"/> one (the user's last choice) if still allowed, else the first of
    /// their memberships, else, for a platform admin, the first organizer. Null when there is none.
    /// </summary>
    public async Task<AuthorizedOrganizer?> ResolveAsync(PortalIdentity user, int? requested, int? preferred, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (requested is { } id) return await GetAccessAsync(user, id, cancellationToken);
        if (preferred is { } last && await GetAccessAsync(user, last, cancellationToken) is { } remembered) return remembered;

        var memberships = await ListMembershipsAsync(user, cancellationToken);
        if (memberships.Count > 0) return await GetAccessAsync(user, memberships[0].OrganizerId, cancellationToken);
        if (!user.IsPlatformAdmin) return null;

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var first = await db.Organizers.AsNoTracking().OrderBy(o => o.Id).Select(o => (int?)o.Id).FirstOrDefaultAsync(cancellationToken);
        return first is { } firstId ? await GetAccessAsync(user, firstId, cancellationToken) : null;
    }
}
