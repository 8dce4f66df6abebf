using BillingPortal.Core.Alerts;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.MercadoPago;

public static class MercadoPagoServiceCollectionExtensions
{
    /// <summary>
    /// Mercado Pago: options, where it is (<see cref="IMercadoPagoEndpoints"/>; the host replaces it when the sandbox
    /// runs in-process), the OAuth and API clients, token protection, linking and renewal, admin alerts.
    /// </summary>
    public static IServiceCollection AddMercadoPago(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MercadoPagoOptions>().BindConfiguration(MercadoPagoOptions.SectionName);
        services.AddMetrics();
        services.TryAddSingleton<MercadoPagoMetrics>();
        services.AddPaymentChangeNotifier();
        services.TryAddSingleton<IMercadoPagoEndpoints>(sp => new ConfiguredMercadoPagoEndpoints(sp.GetRequiredService<IOptions<MercadoPagoOptions>>().Value));
        services.AddTokenProtection(configuration);
        services.AddAdminAlerts();
        services.AddMercadoPagoOAuthClient();
        services.AddMercadoPagoApiClient();
        services.AddMercadoPagoLinking();
        services.AddPaymentSync();
        services.AddMercadoPagoWebhooks();
        return services;
    }
}

/// <summary>The real Mercado Pago (or whatever the configuration points at).</summary>
public sealed class ConfiguredMercadoPagoEndpoints(MercadoPagoOptions options) : IMercadoPagoEndpoints
{
    public Uri ApiBase { get; } = WithSlash(options.ApiBaseUrl);

    public Uri AuthorizationEndpoint { get; } = new(options.AuthorizationUrl, UriKind.Absolute);

    public (string ClientId, string ClientSecret) Application => (options.ClientId ?? "", options.ClientSecret ?? "");

    internal static Uri WithSlash(string url) => new(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
}
