using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Ingestion;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Statements;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Registers every Core feature in order; the host's composition reads as a table of contents.</summary>
    public static IServiceCollection AddBillingPortalCore(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddBillingData(database, contentRoot);
        services.AddOrganizers();
        services.AddAuditing();
        services.AddPortalIdentity(configuration);
        services.AddApiKeys();
        services.AddBilling();
        services.AddStatements(configuration, database, contentRoot);
        services.AddReportCache(configuration);
        services.AddMercadoPago(configuration);
        services.AddIngestion(configuration);
        services.AddDemo();
        return services;
    }
}
