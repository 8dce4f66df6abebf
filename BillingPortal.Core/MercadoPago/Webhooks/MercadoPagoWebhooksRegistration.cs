using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>Registers the durable webhook inbox: its intake (group commit), the processor, its wake-up signal and the admins' dead letters.</summary>
public static class MercadoPagoWebhooksRegistration
{
    public static IServiceCollection AddMercadoPagoWebhooks(this IServiceCollection services)
    {
        // Options (MercadoPago:Webhooks:Processing)
        services.AddOptions<MercadoPagoWebhookProcessingOptions>().BindConfiguration(MercadoPagoWebhookProcessingOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MercadoPagoWebhookProcessingOptions>, ProcessingOptionsValidator>());

        // Inbox: one intake (one writer) per process, the signal that wakes the processor
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookInboxSignal>();
        services.TryAddSingleton<WebhookIntake>();

        // Processing (transient: it takes the seller API and linking, which are transient) and the admins' dead letters
        services.TryAddTransient<WebhookProcessor>();
        services.TryAddTransient<WebhookDeadLetters>();
        return services;
    }

    private sealed class ProcessingOptionsValidator : IValidateOptions<MercadoPagoWebhookProcessingOptions>
    {
        public ValidateOptionsResult Validate(string? name, MercadoPagoWebhookProcessingOptions options)
        {
            var failures = new List<string>();
            if (options.BatchSize is < 1 or > 1000) failures.Add("MercadoPago:Webhooks:Processing:BatchSize must be between 1 and 1000.");
            if (options.MaxAttempts is < 1 or > 100) failures.Add("MercadoPago:Webhooks:Processing:MaxAttempts must be between 1 and 100.");
            if (options.PollInterval <= TimeSpan.Zero) failures.Add("MercadoPago:Webhooks:Processing:PollInterval must be positive.");
            if (options.LeaseDuration <= TimeSpan.Zero) failures.Add("MercadoPago:Webhooks:Processing:LeaseDuration must be positive.");
            if (options.BackoffBase < TimeSpan.Zero || options.BackoffMax < options.BackoffBase)
                failures.Add("MercadoPago:Webhooks:Processing:BackoffBase must be ≥ 0 and BackoffMax ≥ BackoffBase.");
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
