using System.Text.Json;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Tests.Integration.Caching;

/// <summary>
/// An «app instance» for the cache tests: a service provider wired as the portal wires the reports (real SQLite file,
/// <see cref="DashboardQueries"/>, statements, <see cref="ReportCacheServiceCollectionExtensions.AddReportCache"/>) with
/// its own clock. Two of them over the same database and Redis are two instances of the portal.
/// </summary>
internal static class CacheTestKit
{
    public static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    public static ServiceProvider Instance(SqliteTestDatabase database, TimeProvider time, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(time);
        services.AddSingleton(database.Factory);
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<LedgerQueries>();
        services.AddStatements(configuration, database.Options, database.Directory);
        services.AddReportCache(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>Two organizers with the same plan; returns their ids.</summary>
    public static async Task<(int First, int Second)> TwoOrganizersAsync(SqliteTestDatabase database, CancellationToken ct)
    {
        var first = new OrganizerBuilder().WithPlan(new CommissionPlan { Name = "Plan A", Rate = 0.05m }).Build();
        var second = new OrganizerBuilder().WithPlan(new CommissionPlan { Name = "Plan B", Rate = 0.05m }).Build();
        await using var db = database.CreateContext();
        db.Organizers.AddRange(first, second);
        await db.SaveChangesAsync(ct);
        return (first.Id, second.Id);
    }

    /// <summary>
    /// Writes approved payments of an organizer straight into the database with their ledger (as the write path does)
    /// but WITHOUT telling the cache: what a cached read then returns shows whether it came from the cache.
    /// </summary>
    public static async Task AddPaymentsBehindTheCacheAsync(SqliteTestDatabase database, TimeProvider time, int organizerId, int count, DateTimeOffset approvedAt, CancellationToken ct, decimal amount = 150m)
    {
        var list = Enumerable.Range(0, count)
            .Select(i => new PaymentBuilder().ForOrganizer(organizerId).WithAmounts(amount, 7.08m, 7.50m).ApprovedAt(approvedAt.AddMinutes(i)).Build())
            .ToList();
        await using var db = database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Payments.AddRange(list);
        await new PaymentLedgerWriter(time).ReplaceAsync(db, list, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A value's content as JSON (records holding lists compare lists by reference; their JSON compares by content).</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value);

    public static async Task<int> LedgerCountAsync(SqliteTestDatabase database, int organizerId, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        return await db.LedgerEntries.CountAsync(e => e.OrganizerId == organizerId, ct);
    }
}
