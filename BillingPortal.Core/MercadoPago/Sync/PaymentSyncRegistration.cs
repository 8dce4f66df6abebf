using BillingPortal.Core.Billing.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>Registers the payment write path (<see cref="IPaymentUpserter"/>) and the sync (<see cref="IPaymentSync"/>, section <c>MercadoPago:Sync</c>).</summary>
public static class PaymentSyncRegistration
{
    /// <summary>
    /// The upserter is a singleton (a context per page, no state); the engine is transient, like the seller API it
    /// takes (IHttpClientFactory hands clients out per resolution).
    /// </summary>
    public static IServiceCollection AddPaymentSync(this IServiceCollection services)
    {
        // Options
        services.AddOptions<PaymentSyncOptions>()
            .BindConfiguration(PaymentSyncOptions.SectionName)
            .Validate(o => o.PageSize is >= 1 and <= 100, "MercadoPago:Sync:PageSize must be from 1 to 100.")
            .Validate(o => o.MaxOffset >= o.PageSize, "MercadoPago:Sync:MaxOffset must be at least PageSize.")
            .Validate(o => o.ReconciliationDays is >= 1 and <= 364, "MercadoPago:Sync:ReconciliationDays must be from 1 to 364.")
            .Validate(o => o.WindowDays is >= 1 and <= 364, "MercadoPago:Sync:WindowDays must be from 1 to 364.")
            .Validate(o => o.FailureAlertThreshold >= 1, "MercadoPago:Sync:FailureAlertThreshold must be at least 1.")
            .Validate(o => o.Interval > TimeSpan.Zero && o.Overlap >= TimeSpan.Zero && o.ManualMinInterval >= TimeSpan.Zero, "MercadoPago:Sync: Interval must be positive; Overlap and ManualMinInterval not negative.")
            .Validate(o => o.BackoffBase > TimeSpan.Zero && o.BackoffMax >= o.BackoffBase, "MercadoPago:Sync: BackoffBase must be positive and BackoffMax at least BackoffBase.")
            .Validate(o => o.LeaseDuration > TimeSpan.Zero, "MercadoPago:Sync:LeaseDuration must be positive.")
            .ValidateOnStart();

        // Write path
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PaymentLedgerWriter>();
        services.TryAddSingleton<PaymentUpserter>();
        services.TryAddSingleton<IPaymentUpserter>(sp => sp.GetRequiredService<PaymentUpserter>());

        // Sync
        services.TryAddTransient<PaymentSyncEngine>();
        services.TryAddTransient<IPaymentSync>(sp => sp.GetRequiredService<PaymentSyncEngine>());
        return services;
    }
}
