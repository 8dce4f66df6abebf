using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>The consent page <c>/authorization</c>, <c>POST /oauth/token</c>, <c>GET /users/me</c> and the OAuth admin routes (owned by the sandbox OAuth work).</summary>
public static class SandboxOAuthEndpoints
{
    public static void Map(RouteGroupBuilder group) => ArgumentNullException.ThrowIfNull(group);

    /// <summary>Services of the OAuth side.</summary>
    public static IServiceCollection AddSandboxOAuth(this IServiceCollection services) => services;
}
