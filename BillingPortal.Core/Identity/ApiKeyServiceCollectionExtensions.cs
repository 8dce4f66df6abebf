using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingPortal.Core.Identity;

public static class ApiKeyServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ApiKeyService"/> (stateless: one context per operation).</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        // API keys
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyService>();
        return services;
    }
}
