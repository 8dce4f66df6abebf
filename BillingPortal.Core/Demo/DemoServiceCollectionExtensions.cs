using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>The demo seeder; the sandbox registers an <see cref="IDemoPaymentSink"/> for the Mercado Pago side.</summary>
    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        services.AddSingleton<DemoSeeder>();
        return services;
    }
}
