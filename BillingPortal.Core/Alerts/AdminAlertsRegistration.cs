using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Alerts;

/// <summary>Registers <see cref="IAdminAlerts"/> (owned by the linking work).</summary>
public static class AdminAlertsRegistration
{
    public static IServiceCollection AddAdminAlerts(this IServiceCollection services) => services;
}
