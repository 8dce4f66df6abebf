using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BillingPortal.Core.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the web host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBillingDbContext>
{
    public SqliteBillingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context and script its migrations without a server.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerBillingDbContext>
{
    public SqlServerBillingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerBillingDbContext>()
            .UseSqlServer("Server=localhost;Database=BillingPortal;Integrated Security=true;TrustServerCertificate=true").Options);
}
