namespace BillingPortal.Demo;

/// <summary>The demo's Mercado Pago side (demo mode with the in-process emulator): auto-linking and live sales.</summary>
public static class DemoExtensions
{
    /// <summary>
    /// Registers <see cref="DemoMercadoPagoLinks"/> (a start-up task: call after the seeding and the demo invitations) and
    /// <see cref="DemoLiveSales"/> (section <c>Demo:LiveSales</c>). Both do nothing outside demo mode or without the emulator.
    /// </summary>
    public static WebApplicationBuilder AddPortalDemoMercadoPago(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DemoLiveSalesOptions>().BindConfiguration(DemoLiveSalesOptions.SectionName);
        builder.Services.AddHostedService<DemoMercadoPagoLinks>();
        builder.Services.AddSingleton<DemoLiveSales>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoLiveSales>());
        return builder;
    }
}
