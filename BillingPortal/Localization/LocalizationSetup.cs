namespace BillingPortal.Localization;

/// <summary>Spanish (es-PE) first, English second.</summary>
public static class LocalizationSetup
{
    public static IServiceCollection AddPortalLocalization(this IServiceCollection services) => services;

    public static WebApplication UsePortalLocalization(this WebApplication app) => app;
}
