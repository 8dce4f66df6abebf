using System.ComponentModel.DataAnnotations;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BillingPortal;

/// <summary>Demo mode (section <c>Demo</c>): the portal seeds itself on first start at a modest scale.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    [Range(1, 1_000_000)]
    public int Scale { get; set; } = SeedRequest.DefaultScale;

    public int Seed { get; set; } = SeedRequest.DefaultSeed;
}

/// <summary>Runs before the portal serves: migrations (when configured) and the demo's first seeding.</summary>
public sealed class StartupTasks(
    DatabaseOptions database,
    IOptions<DemoOptions> demo,
    DatabaseMigrator migrator,
    IDbContextFactory<BillingDbContext> factory,
    DemoSeeder seeder,
    ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.MigrateOnStartup) await migrator.MigrateAsync(cancellationToken);
        if (!demo.Value.Enabled) return;

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.Organizers.AnyAsync(cancellationToken)) return;
        logger.LogInformation("Demo mode: seeding {Scale} purchases (seed {Seed})", demo.Value.Scale, demo.Value.Seed);
        var result = await seeder.SeedAsync(new SeedRequest(demo.Value.Scale, demo.Value.Seed), cancellationToken);
        logger.LogInformation("Demo data ready: {Result}", result.ToString());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
