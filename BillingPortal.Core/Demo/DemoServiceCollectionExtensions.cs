using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Demo;

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        services.AddSingleton<DemoSeeder>();
        return services;
    }
}
