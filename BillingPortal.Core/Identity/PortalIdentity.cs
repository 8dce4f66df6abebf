namespace BillingPortal.Core.Identity;

/// <summary>
/// The signed-in person as Core sees them: the portal's user id, the verified email and whether they are a platform
/// admin (from the provider's role claim or the configured admin emails; the host decides, once, in its sign-in code).
/// </summary>
public sealed record PortalIdentity(int UserId, string Email, bool IsPlatformAdmin);
