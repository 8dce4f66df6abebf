using System.Globalization;
using Microsoft.AspNetCore.Localization;
using MudBlazor;

namespace BillingPortal.Localization;

/// <summary>
/// Spanish (es-PE) first, English (en-US) second. The culture comes only from the culture cookie, which
/// <see cref="CultureEndpoints"/> sets; without it the portal speaks Spanish whatever the browser asks for.
/// </summary>
public static class LocalizationSetup
{
    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = PortalCultures.Supported.Select(c => new CultureInfo(c)).ToList();
            options.DefaultRequestCulture = new RequestCulture(PortalCultures.Default);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = false;
            options.FallBackToParentUICultures = false;
            options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        return services;
    }

    public static WebApplication UsePortalLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.MapCultureEndpoints();
        return app;
    }
}
