using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BillingPortal.Sandbox;

/// <summary>The emulators of outside services (Mercado Pago, the OpenID provider) and their stores.</summary>
public static class SandboxServiceCollectionExtensions
{
    public static IServiceCollection AddSandbox(this IServiceCollection services)
    {
        // Mercado Pago: the payment store (also where the demo seeder writes the payments' JSON)
        services.TryAddSingleton(sp => new MercadoPagoSandboxStore(MercadoPagoStorePath(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDemoPaymentSink, MercadoPagoSandboxStore>(
            sp => sp.GetRequiredService<MercadoPagoSandboxStore>()));
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
