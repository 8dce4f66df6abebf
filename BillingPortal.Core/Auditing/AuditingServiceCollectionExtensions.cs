using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Auditing;

public static class AuditingServiceCollectionExtensions
{
    public static IServiceCollection AddAuditing(this IServiceCollection services)
    {
        // Queries
        services.AddSingleton<AuditLogQueries>();
        return services;
    }
}
