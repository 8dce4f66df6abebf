using Microsoft.AspNetCore.Components;

namespace BillingPortal.Security;

/// <summary>What an organizer page does when <see cref="TenantAccessor.ResolveAsync"/> did not resolve an organizer.</summary>
public static class TenantNavigation
{
    /// <summary>
    /// True when <paramref name="resolution"/> resolved an organizer (the page goes on). Otherwise sends the browser where
    /// it belongs and returns false: a 404 for an organizer the user may not open (after <paramref name="onNotFound"/>
    /// clears what the page showed), the «no organizer» page, or sign-in with a way back to this page.
    /// </summary>
    public static bool ContinueWhenResolved(this NavigationManager navigation, TenantResolution resolution, Action? onNotFound = null)
    {
        ArgumentNullException.ThrowIfNull(navigation);
        ArgumentNullException.ThrowIfNull(resolution);
        switch (resolution.Status)
        {
            case TenantStatus.Resolved:
                return true;
            case TenantStatus.NotFound:
                onNotFound?.Invoke();
                navigation.NotFound();
                return false;
            case TenantStatus.NoOrganizer:
                navigation.NavigateTo(AccountPaths.NoOrganizer.TrimStart('/'), replace: true);
                return false;
            case TenantStatus.NotSignedIn:
                navigation.NavigateTo(AccountPaths.SignInLink("/" + navigation.ToBaseRelativePath(navigation.Uri)), forceLoad: true);
                return false;
            default:
                throw new ArgumentOutOfRangeException(nameof(resolution), resolution.Status, "Unknown tenant status.");
        }
    }
}
