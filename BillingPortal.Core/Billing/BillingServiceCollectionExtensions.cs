using BillingPortal.Core.Billing.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingPortal.Core.Billing;

public static class BillingServiceCollectionExtensions
{
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        // Ledger
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PaymentLedgerWriter>();
        services.AddSingleton<LedgerQueries>();
        services.AddSingleton<Reporting.DashboardQueries>();
        services.AddSingleton<Reporting.EventActivityQueries>();
        services.AddSingleton<Reporting.TransactionQueries>();
        return services;
    }
}
