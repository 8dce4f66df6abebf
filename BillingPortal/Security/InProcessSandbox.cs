using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace BillingPortal.Security;

/// <summary>
/// The sandbox OpenID Connect provider hosted inside the portal (demo and Development, when no real provider is
/// configured). Wired once the sandbox provider (BillingPortal.Sandbox/Identity) is available.
/// </summary>
internal static class InProcessSandbox
{
    public static IServiceCollection AddInProcessSandboxProvider(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    public static void ConfigureInProcessSandbox(OpenIdConnectOptions oidc, OidcOptions settings, IServiceProvider provider)
    {
        ArgumentNullException.ThrowIfNull(oidc);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(provider);
        oidc.RequireHttpsMetadata = false;
    }
}
