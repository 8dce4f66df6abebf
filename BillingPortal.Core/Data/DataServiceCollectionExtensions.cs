using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Core.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{BillingDbContext}"/> for the configured provider.
    /// <paramref name="contentRoot"/> resolves a relative SQLite data folder.
    /// </summary>
    public static IServiceCollection AddBillingData(this IServiceCollection services, DatabaseOptions options, string contentRoot)
    {
        services.AddSingleton(options);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connectionString = SqliteConnectionString(options, contentRoot);
                services.AddDbContextFactory<SqliteBillingDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(SqliteBusyTimeoutInterceptor.Instance));
                services.AddSingleton<IDbContextFactory<BillingDbContext>>(sp =>
                    new UpcastFactory<SqliteBillingDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteBillingDbContext>>()));
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                    throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is SqlServer.");
                services.AddDbContextFactory<SqlServerBillingDbContext>(o =>
                    o.UseSqlServer(options.ConnectionString, s => s.EnableRetryOnFailure()));
                services.AddSingleton<IDbContextFactory<BillingDbContext>>(sp =>
                    new UpcastFactory<SqlServerBillingDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerBillingDbContext>>()));
                break;
        }

        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    /// <summary>The SQLite connection string for the configured data folder (created if missing).</summary>
    public static string SqliteConnectionString(DatabaseOptions options, string contentRoot)
    {
        var directory = Path.GetFullPath(Path.IsPathRooted(options.DataDirectory)
            ? options.DataDirectory
            : Path.Combine(contentRoot, options.DataDirectory));
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, options.SqliteFileName),
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    private sealed class UpcastFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<BillingDbContext>
        where TContext : BillingDbContext
    {
        public BillingDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
