using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>Registers linking, token renewal and the seller API (owned by the linking work).</summary>
public static class MercadoPagoLinkingRegistration
{
    public static IServiceCollection AddMercadoPagoLinking(this IServiceCollection services) => services;
}
