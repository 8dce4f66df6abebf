using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Organizers;

public static class OrganizersServiceCollectionExtensions
{
    public static IServiceCollection AddOrganizers(this IServiceCollection services)
    {
        // Queries
        services.AddSingleton<OrganizerQueries>();
        return services;
    }
}
