namespace BillingPortal.Core.Identity;

/// <summary>
/// The authorised scope of one request or circuit: which organizer, with which role, for which user. Produced only
/// by the host's tenancy service after checking the signed-in user's membership (or an API key's organizer), and
/// passed to every Core service that reads or writes organizer data. Core re-checks the role for mutations.
/// </summary>
/// <param name="OrganizerId">The organizer being acted on.</param>
/// <param name="Role">The caller's role in it (platform admins act as <see cref="OrganizerRole.Viewer"/> unless also members).</param>
/// <param name="UserId">The signed-in user, or null for an API key.</param>
/// <param name="Actor">Who, as written to the audit log (email or "api-key:prefix").</param>
public sealed record OrganizerAccess(int OrganizerId, OrganizerRole Role, int? UserId, string Actor)
{
    /// <summary>Whether the caller may manage members, Mercado Pago linking and API keys.</summary>
    public bool IsOwner => Role == OrganizerRole.Owner;
}
