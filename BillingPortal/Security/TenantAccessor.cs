using System.Globalization;
using BillingPortal.Core.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace BillingPortal.Security;

public enum TenantStatus
{
    /// <summary>An organizer was chosen and the user may open it.</summary>
    Resolved,

    NotSignedIn,

    /// <summary>Signed in, but a member of no organizer (and not a platform admin): the /sin-organizador page.</summary>
    NoOrganizer,

    /// <summary>The organizer asked for in the URL does not exist or the user may not open it: a 404, nothing shown.</summary>
    NotFound,
}

/// <summary>The outcome of <see cref="TenantAccessor.ResolveAsync"/>.</summary>
public sealed record TenantResolution(TenantStatus Status, PortalIdentity? User, AuthorizedOrganizer? Organizer, IReadOnlyList<OrganizerMembership> Memberships)
{
    public OrganizerAccess? Access => Organizer?.Access;
}

/// <summary>
/// Tenancy for pages: turns the signed-in user, the page's <c>?org=</c> and the remembered choice into an
/// <see cref="AuthorizedOrganizer"/> through <see cref="OrganizerAccessService"/> (the one place that decides), and
/// tells the layout (switcher, menu) which organizer the page shows.
/// </summary>
public sealed class TenantAccessor(
    AuthenticationStateProvider authentication,
    OrganizerAccessService access,
    PortalSessionAccessor session,
    PortalAuthenticationOptions options)
{
    public TenantResolution? Current { get; private set; }

    /// <summary>Raised when a page resolved its organizer (the switcher and the menu follow it).</summary>
    public event Action? Changed;

    public async Task<PortalIdentity?> GetUserAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return PortalPrincipal.ToIdentity(state.User, options);
    }

    /// <summary>Resolves the organizer for a page; <paramref name="requestedOrganizer"/> is the raw <c>?org=</c>, never trusted.</summary>
    public async Task<TenantResolution> ResolveAsync(string? requestedOrganizer, CancellationToken cancellationToken)
    {
        var user = await GetUserAsync();
        if (user is null) return Publish(new TenantResolution(TenantStatus.NotSignedIn, null, null, []));

        var memberships = await access.ListMembershipsAsync(user, cancellationToken);
        int? requested = null;
        if (!string.IsNullOrEmpty(requestedOrganizer))
        {
            if (!int.TryParse(requestedOrganizer, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return Publish(new TenantResolution(TenantStatus.NotFound, user, null, memberships));
            requested = id;
        }

        var organizer = await access.ResolveAsync(user, requested, session.Current.PreferredOrganizerId, cancellationToken);
        var status = organizer is not null ? TenantStatus.Resolved : requested is not null ? TenantStatus.NotFound : TenantStatus.NoOrganizer;
        return Publish(new TenantResolution(status, user, organizer, memberships));
    }

    private TenantResolution Publish(TenantResolution resolution)
    {
        Current = resolution;
        Changed?.Invoke();
        return resolution;
    }
}
