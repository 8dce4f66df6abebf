using BillingPortal.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Statements;

public static class StatementsServiceCollectionExtensions
{
    /// <summary>
    /// The statement composer, exports and the platform's identity (<c>Platform:LegalName</c>, <c>Platform:TaxId</c>);
    /// <c>Statements:Directory</c> resolves against the data folder.
    /// </summary>
    public static IServiceCollection AddStatements(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(database);
        services.AddOptions<PlatformIdentityOptions>().Bind(configuration.GetSection(PlatformIdentityOptions.SectionName));
        services.AddOptions<StatementOptions>()
            .Bind(configuration.GetSection(StatementOptions.SectionName))
            .PostConfigure(o =>
            {
                var data = Path.GetFullPath(Path.IsPathRooted(database.DataDirectory) ? database.DataDirectory : Path.Combine(contentRoot, database.DataDirectory));
                o.ResolvedDirectory = Path.GetFullPath(Path.IsPathRooted(o.Directory) ? o.Directory : Path.Combine(data, o.Directory));
            })
            .Validate(o => o.BackgroundThresholdLines > 0 && o.RetentionDays > 0 && o.MaxAttempts > 0 && o.MaxPdfLines > 0, "Statements: the limits must be positive.")
            .ValidateOnStart();
        services.AddSingleton<StatementComposer>();
        services.AddSingleton<StatementExports>();
        services.AddSingleton<StatementExportNotifier>();
        return services;
    }
}
