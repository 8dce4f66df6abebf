using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Sandbox;

/// <summary>The emulators of outside services (Mercado Pago, the OpenID provider) and their stores.</summary>
public static class SandboxServiceCollectionExtensions
{
    public static IServiceCollection AddSandbox(this IServiceCollection services) => services;
}
