using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Statements;

public static class StatementsServiceCollectionExtensions
{
    /// <summary>The statement composer and the platform's identity (<c>Platform:LegalName</c>, <c>Platform:TaxId</c>).</summary>
    public static IServiceCollection AddStatements(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlatformIdentityOptions>().Bind(configuration.GetSection(PlatformIdentityOptions.SectionName));
        services.AddSingleton<StatementComposer>();
        return services;
    }
}
