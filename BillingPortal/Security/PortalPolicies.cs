using Microsoft.AspNetCore.Authorization;

namespace BillingPortal.Security;

/// <summary>Authorization policies of the portal's pages and endpoints.</summary>
public static class PortalPolicies
{
    /// <summary>The admin area: platform admins only (role claim or configured email; see <see cref="PortalPrincipal"/>).</summary>
    public const string PlatformAdmin = "PlatformAdmin";

    internal static void Add(AuthorizationBuilder authorization, PortalAuthenticationOptions options) =>
        authorization.AddPolicy(PlatformAdmin, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => PortalPrincipal.ToIdentity(context.User, options)?.IsPlatformAdmin == true));
}
