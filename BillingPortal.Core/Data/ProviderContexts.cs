using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Data;

/// <summary>The embedded default: a SQLite file. Instants are stored as UTC ticks.</summary>
public sealed class SqliteBillingDbContext(DbContextOptions<SqliteBillingDbContext> options) : BillingDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

/// <summary>Production: SQL Server.</summary>
public sealed class SqlServerBillingDbContext(DbContextOptions<SqlServerBillingDbContext> options) : BillingDbContext(options);
