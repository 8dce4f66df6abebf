using BillingPortal.Core.Identity;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// Who a browser test acts as: an email, and a membership (<paramref name="Role"/> in <paramref name="OrganizerId"/>).
/// <see cref="BrowserTest.SignedInPageAsync"/> opens pages as this user; until the portal has sign-in it only opens them.
/// </summary>
public sealed record BrowserUser(string Email, int OrganizerId, OrganizerRole Role)
{
    /// <summary>An owner of <paramref name="organizerId"/> with an address of its own.</summary>
    public static BrowserUser OwnerOf(int organizerId) =>
        new(FormattableString.Invariant($"owner{organizerId}@example.pe"), organizerId, OrganizerRole.Owner);

    /// <summary>A viewer (read and download only) of <paramref name="organizerId"/>.</summary>
    public static BrowserUser ViewerOf(int organizerId) =>
        new(FormattableString.Invariant($"viewer{organizerId}@example.pe"), organizerId, OrganizerRole.Viewer);
}
