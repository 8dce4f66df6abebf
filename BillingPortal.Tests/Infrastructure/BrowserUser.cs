using BillingPortal.Core.Identity;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// Who a browser test acts as: an email, and a membership (<paramref name="Role"/> in <paramref name="OrganizerId"/>).
/// <see cref="BrowserTest.SignedInPageAsync"/> invites this user to the organizer with that role and signs in as them
/// through the sandbox OpenID Connect provider before opening a page.
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
