using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Migrations;

/// <summary>Each provider keeps its own migration set (ADR-001); both must match the one model.</summary>
public sealed class MigrationSetTests
{
    [Theory]
    [MemberData(nameof(DesignTimeContexts.Providers), MemberType = typeof(DesignTimeContexts))]
    public void HasPendingModelChanges_ProviderContext_False(string provider)
    {
        using var db = DesignTimeContexts.Create(provider);

        var pending = db.Database.HasPendingModelChanges();

        Assert.False(pending,
            $"The {provider} migrations do not match the model. Add a migration: dotnet ef migrations add <Name> " +
            $"--project BillingPortal.Core --startup-project BillingPortal --context {db.GetType().Name} --output-dir Data/Migrations/{provider}");
    }

    [Theory]
    [MemberData(nameof(DesignTimeContexts.Providers), MemberType = typeof(DesignTimeContexts))]
    public void GetMigrations_ProviderContext_HasItsOwnSet(string provider)
    {
        using var db = DesignTimeContexts.Create(provider);

        var migrations = db.Database.GetMigrations().ToList();

        Assert.NotEmpty(migrations);
        Assert.Contains(migrations, m => m.EndsWith("_InitialCreate", StringComparison.Ordinal));
        using var other = DesignTimeContexts.Create(provider == DesignTimeContexts.Sqlite ? DesignTimeContexts.SqlServer : DesignTimeContexts.Sqlite);
        Assert.Empty(migrations.Intersect(other.Database.GetMigrations()));
    }

    [Fact]
    public void ProviderContexts_DesignTimeFactories_UseTheirProviders()
    {
        using var sqlite = DesignTimeContexts.Create(DesignTimeContexts.Sqlite);
        using var sqlServer = DesignTimeContexts.Create(DesignTimeContexts.SqlServer);

        Assert.IsType<SqliteBillingDbContext>(sqlite);
        Assert.True(sqlite.Database.IsSqlite());
        Assert.IsType<SqlServerBillingDbContext>(sqlServer);
        Assert.True(sqlServer.Database.IsSqlServer());
    }
}
