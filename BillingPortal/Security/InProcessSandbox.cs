using BillingPortal.Sandbox.Identity;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace BillingPortal.Security;

/// <summary>
/// The sandbox OpenID Connect provider hosted inside the portal under <c>/sandbox/oidc</c> (Development or demo mode,
/// when no real provider is configured): the portal's handler signs in against it exactly as against a real one, over
/// HTTP to its own address. The issuer is the first of <c>Sandbox:Identity:Client:PortalBaseUrls</c>, else the first
/// address the server listens on (wildcards read as localhost): open the demo at that address.
/// </summary>
internal static class InProcessSandbox
{
    public static void AddInProcessSandboxProvider(IServiceCollection services, IConfiguration configuration) =>
        services.AddSandboxIdentityProvider(configuration);

    /// <summary>Runs when the handler's options are first built (the first sign-in), once the server listens.</summary>
    public static void ConfigureInProcessSandbox(OpenIdConnectOptions oidc, IServiceProvider provider)
    {
        var sandbox = provider.GetRequiredService<IOptions<SandboxIdentityOptions>>().Value;
        oidc.Authority = SandboxIdentityAddresses.InProcessIssuer(sandbox, provider.GetService<IServer>()).AbsoluteUri;
        oidc.ClientId = sandbox.Client.ClientId;
        oidc.ClientSecret = sandbox.Client.ClientSecret;
        oidc.RequireHttpsMetadata = false;
    }

    /// <summary>Maps the provider's endpoints when it runs in-process.</summary>
    public static WebApplication MapInProcessSandbox(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<PortalSignInMode>().UsesSandbox)
        {
            app.MapSandboxIdentityProvider();
            app.Logger.LogInformation("Sign-in: the sandbox OpenID Connect provider runs in-process under {PathPrefix}", SandboxIdentityDefaults.PathPrefix);
        }

        return app;
    }
}
