using BillingPortal.Core.Reporting;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingPortal.Core.Caching;

public static class ReportCacheServiceCollectionExtensions
{
    /// <summary>
    /// The report cache: <see cref="HybridCache"/> in this process's memory, plus Redis as its second level (and the
    /// invalidation channel, <see cref="ReportCacheBus"/>) when <c>ConnectionStrings:Redis</c> is set;
    /// <see cref="ReportCache"/>, <see cref="CachedDashboardQueries"/> and <see cref="CachedStatements"/>. Options
    /// <c>Cache:*</c> are validated at start-up. Usable from a console app as is (it needs <see cref="DashboardQueries"/>
    /// and <see cref="Statements.StatementExports"/> registered for the two wrappers, and a <see cref="TimeProvider"/>).
    /// </summary>
    public static IServiceCollection AddReportCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ReportCacheOptions>()
            .Bind(configuration.GetSection(ReportCacheOptions.SectionName))
            .Validate(o => ReportCacheOptions.Validate(o) is null, "Cache: the lifetimes must be positive, Cache:LocalTtl no longer than the others, Cache:MaxEntryBytes at least 1024 and Cache:RedisInstanceName not empty.")
            .ValidateOnStart();
        var settings = configuration.GetSection(ReportCacheOptions.SectionName).Get<ReportCacheOptions>() ?? new ReportCacheOptions();

        services.AddHybridCache(o =>
            {
                // Room for the largest statement file plus HybridCache's own header (key, tags, timestamps).
                o.MaximumPayloadBytes = settings.MaxEntryBytes + (64 * 1024);
                o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = settings.DashboardTtl, LocalCacheExpiration = settings.LocalTtl };
            })
            .AddSerializer<StatementFile, StatementFileSerializer>();

        var redis = configuration.GetConnectionString(ReportCacheOptions.RedisConnectionStringName);
        if (!string.IsNullOrWhiteSpace(redis))
        {
            // One connection for the second level and the invalidation channel, disposed with the container.
            services.TryAddSingleton(_ => new ReportCacheRedis(redis, settings.RedisInstanceName));
            services.AddStackExchangeRedisCache(o => o.InstanceName = settings.RedisInstanceName);
            services.AddOptions<RedisCacheOptions>().Configure<ReportCacheRedis>((o, connection) => o.ConnectionMultiplexerFactory = connection.ConnectAsync);
            services.TryAddSingleton<ReportCacheBus>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReportCache>();
        services.TryAddSingleton<IReportCacheInvalidator>(sp => sp.GetRequiredService<ReportCache>());
        services.TryAddSingleton<CachedDashboardQueries>();
        services.TryAddSingleton<CachedStatements>();
        return services;
    }
}
