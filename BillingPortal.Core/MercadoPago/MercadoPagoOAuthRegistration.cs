using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.MercadoPago;

/// <summary>Registers <see cref="IMercadoPagoOAuthClient"/> (owned by the OAuth client's work).</summary>
public static class MercadoPagoOAuthRegistration
{
    public static IServiceCollection AddMercadoPagoOAuthClient(this IServiceCollection services) => services;
}
