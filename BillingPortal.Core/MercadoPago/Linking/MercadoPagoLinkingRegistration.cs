using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>Registers linking (<see cref="IMercadoPagoLinking"/>), token renewal (<see cref="IMercadoPagoTokenService"/>) and the seller API.</summary>
public static class MercadoPagoLinkingRegistration
{
    /// <summary>
    /// Transient services (one context per operation, no state): they take the OAuth and API clients, which
    /// IHttpClientFactory hands out per resolution.
    /// </summary>
    public static IServiceCollection AddMercadoPagoLinking(this IServiceCollection services)
    {
        // Linking
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<IMercadoPagoLinking, MercadoPagoLinkingService>();

        // Tokens and calls on a seller's behalf
        services.TryAddTransient<MercadoPagoTokenService>();
        services.TryAddTransient<IMercadoPagoTokenService>(sp => sp.GetRequiredService<MercadoPagoTokenService>());
        services.TryAddTransient<IMercadoPagoSellerApi, MercadoPagoSellerApi>();
        return services;
    }
}
