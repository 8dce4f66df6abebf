using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace BillingPortal.Core.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>Registers the ingestion options (section <c>Ingestion</c>, reloaded on change) and <see cref="IngestionService"/>.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Options (bound by hand: Core does not take the configuration binder package)
        var section = configuration.GetSection(IngestionOptions.SectionName);
        services.AddOptions<IngestionOptions>()
            .Configure(options => Bind(section, options))
            .Validate(o => o.MaxBodyBytes is >= IngestionOptions.MinMaxBodyBytes and <= IngestionOptions.MaxMaxBodyBytes,
                string.Create(CultureInfo.InvariantCulture,
                    $"Ingestion:MaxBodyBytes must be a whole number of bytes from {IngestionOptions.MinMaxBodyBytes} to {IngestionOptions.MaxMaxBodyBytes}."))
            .ValidateOnStart();
        services.AddSingleton<IOptionsChangeTokenSource<IngestionOptions>>(new SectionChangeTokenSource(configuration));

        // Service
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IngestionService>();
        return services;
    }

    private static void Bind(IConfigurationSection section, IngestionOptions options)
    {
        foreach (var key in section.GetSection(nameof(IngestionOptions.ApiKeys)).GetChildren())
        {
            if (key.Value is { } value) options.ApiKeys.Add(value);
        }

        if (section[nameof(IngestionOptions.MaxBodyBytes)] is { } maxBodyBytes)
        {
            options.MaxBodyBytes = long.TryParse(maxBodyBytes, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        }
    }

    private sealed class SectionChangeTokenSource(IConfiguration configuration) : IOptionsChangeTokenSource<IngestionOptions>
    {
        public string Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => configuration.GetReloadToken();
    }
}
