using System.Data.Common;
using BillingPortal.Core.Data;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BillingPortal.Tests.Unit.Security;

/// <summary>Contexts on the test database with an EF command interceptor (to interleave a concurrent writer).</summary>
internal sealed class InterceptedFactory(SqliteTestDatabase database, IInterceptor interceptor) : IDbContextFactory<BillingDbContext>
{
    private readonly DbContextOptions<SqliteBillingDbContext> _options = new DbContextOptionsBuilder<SqliteBillingDbContext>()
        .UseSqlite(DataServiceCollectionExtensions.SqliteConnectionString(database.Options, database.Directory))
        .AddInterceptors(interceptor)
        .Options;

    public BillingDbContext CreateDbContext() => new SqliteBillingDbContext(_options);
}

/// <summary>Runs an action once, just before the first UPDATE of <c>MercadoPagoLinks</c> is sent.</summary>
internal sealed class BeforeRotationUpdate(Func<Task> action) : DbCommandInterceptor
{
    private int _ran;

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains("UPDATE \"MercadoPagoLinks\"", StringComparison.Ordinal) && Interlocked.Exchange(ref _ran, 1) == 0) await action();
        return result;
    }
}
