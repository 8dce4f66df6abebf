using Microsoft.AspNetCore.Authentication;

namespace BillingPortal.Security;

public static class OrganizerApiKeyRegistration
{
    /// <summary>
    /// Adds the <see cref="OrganizerApiKeyDefaults.Scheme"/> scheme and the <see cref="OrganizerApiKeyDefaults.Policy"/>
    /// policy that names it. No default scheme is set here: pages keep the cookie/OpenID Connect defaults, and only
    /// endpoints that require the policy authenticate with a key (a signed-in cookie never reaches the organizer API).
    /// </summary>
    public static IServiceCollection AddOrganizerApiKeyAuthentication(this IServiceCollection services)
    {
        // Authentication: the scheme only, defaults are the host's
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, OrganizerApiKeyHandler>(OrganizerApiKeyDefaults.Scheme, "Clave de API de organizador", _ => { });

        // Authorization: a key with the read scope, authenticated by this scheme alone
        services.AddAuthorizationBuilder()
            .AddPolicy(OrganizerApiKeyDefaults.Policy, policy => policy
                .AddAuthenticationSchemes(OrganizerApiKeyDefaults.Scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(OrganizerApiKeyDefaults.ScopeClaim, OrganizerApiKeyDefaults.ReadScope));
        return services;
    }
}
