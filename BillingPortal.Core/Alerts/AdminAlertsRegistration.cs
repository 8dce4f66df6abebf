using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingPortal.Core.Alerts;

/// <summary>Registers <see cref="IAdminAlerts"/> and the admin page's <see cref="AdminAlertQueries"/>.</summary>
public static class AdminAlertsRegistration
{
    public static IServiceCollection AddAdminAlerts(this IServiceCollection services)
    {
        // Alerts (stateless: one context per operation)
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAdminAlerts, AdminAlerts>();
        services.TryAddSingleton<AdminAlertQueries>();
        return services;
    }
}
