using System.Security.Cryptography;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BillingPortal.Sandbox;

/// <summary>The emulators of outside services (Mercado Pago, the OpenID provider) and their stores.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>The portal's registration: the Mercado Pago emulator's store and services (its endpoints are mapped only in sandbox mode).</summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        // Mercado Pago: the payment store (also where the demo seeder writes the payments' JSON)
        services.TryAddSingleton(sp => new MercadoPagoSandboxStore(MercadoPagoStorePath(sp)));
        services.AddMercadoPagoSandbox(configuration);
        return services;
    }

    /// <summary>
    /// The Mercado Pago emulator's services (needs a <see cref="MercadoPagoSandboxStore"/> registered): options (section
    /// <c>Sandbox:MercadoPago</c>; secrets left empty get random values per process), clock, accounts, the demo sink, and
    /// the OAuth and payments sides.
    /// </summary>
    public static IServiceCollection AddMercadoPagoSandbox(this IServiceCollection services, IConfiguration configuration, Action<MercadoPagoSandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<MercadoPagoSandboxOptions>().Bind(configuration.GetSection(MercadoPagoSandboxOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        options.PostConfigure(o =>
        {
            o.ClientSecret ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            o.Webhooks.Secret ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        });
        services.TryAddSingleton(_ => new SandboxClock(TimeProvider.System));
        services.TryAddSingleton<SandboxAccounts>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDemoPaymentSink, SandboxDemoSink>());
        services.AddSandboxOAuth();
        services.AddSandboxPayments();
        return services;
    }

    /// <summary><c>sandbox-mercadopago.db</c> in the portal's data folder (Database:DataDirectory, relative to the content root).</summary>
    public static string MercadoPagoStorePath(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var database = services.GetService<DatabaseOptions>() ?? new DatabaseOptions();
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
        var directory = Path.GetFullPath(Path.IsPathRooted(database.DataDirectory)
            ? database.DataDirectory
            : Path.Combine(root, database.DataDirectory));
        return Path.Combine(directory, MercadoPagoSandboxStore.FileName);
    }
}
