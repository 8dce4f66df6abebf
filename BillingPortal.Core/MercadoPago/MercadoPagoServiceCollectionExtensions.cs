using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.MercadoPago;

public static class MercadoPagoServiceCollectionExtensions
{
    public static IServiceCollection AddMercadoPago(this IServiceCollection services) => services;
}
