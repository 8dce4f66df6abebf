using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Security;
using BillingPortal.Jobs;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Unit.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace BillingPortal.Tests.Integration.MercadoPago.Linking;

/// <summary>The web host schedules the jobs (and runs them); the <c>migrate</c>/<c>seed</c> composition does not.</summary>
public sealed class PortalJobsTests(PortalJobsTests.JobsPortalFactory portal) : IClassFixture<PortalJobsTests.JobsPortalFactory>
{
    [Fact]
    public async Task Portal_JobsEnabled_SchedulesRenewalAndKeyRotation()
    {
        var ct = TestContext.Current.CancellationToken;
        var scheduler = await portal.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);

        Assert.True(await scheduler.Exists(TokenRenewalJob.Key, ct));
        Assert.True(await scheduler.Exists(TokenKeyRotationJob.Key, ct));
    }

    [Fact]
    public async Task TokenKeyRotationJob_LinkUnderTheOldKey_IsReencryptedUnderTheActiveKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var old = TestKeys.Protector(JobsPortalFactory.OldKey.Id, JobsPortalFactory.OldKey);
        int organizerId;
        await using (var db = portal.CreateDbContext())
        {
            var organizer = new OrganizerBuilder().Build();
            db.Organizers.Add(organizer);
            await db.SaveChangesAsync(ct);
            organizerId = organizer.Id;
            db.MercadoPagoLinks.Add(new MercadoPagoLink
            {
                OrganizerId = organizerId,
                Status = MercadoPagoLinkStatus.Active,
                MercadoPagoUserId = 424242,
                AccessTokenCiphertext = old.Protect("APP_USR-job-test", MercadoPagoTokenPurposes.Access(organizerId)),
                RefreshTokenCiphertext = old.Protect("TG-job-test", MercadoPagoTokenPurposes.Refresh(organizerId)),
                AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddDays(180),
                RenewalDueAt = DateTimeOffset.UtcNow.AddDays(150),
                LinkedAt = DateTimeOffset.UtcNow,
                StatusChangedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(ct);
        }

        string? access = null;
        for (var attempt = 0; attempt < 150 && access?.StartsWith(JobsPortalFactory.NewKey.Id + ".", StringComparison.Ordinal) != true; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            await using var db = portal.CreateDbContext();
            access = await db.MercadoPagoLinks.Where(l => l.OrganizerId == organizerId).Select(l => l.AccessTokenCiphertext).SingleAsync(ct);
        }

        Assert.StartsWith(JobsPortalFactory.NewKey.Id + ".", access, StringComparison.Ordinal);
        var protector = portal.Services.GetRequiredService<ITokenProtector>();
        Assert.Equal("APP_USR-job-test", protector.Unprotect(access!, MercadoPagoTokenPurposes.Access(organizerId)));
    }

    [Fact]
    public async Task ToolComposition_MigrateOrSeed_RegistersNoScheduler()
    {
        var builder = WebApplication.CreateBuilder(["--Database:DataDirectory", Path.Combine(portal.DataDirectory, "tool"), "--Jobs:Enabled", "true"]);
        builder.AddBillingPortalCore();
        await using var app = builder.Build();

        Assert.Null(app.Services.GetService<ISchedulerFactory>());
        Assert.DoesNotContain(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s.GetType().Namespace?.StartsWith("Quartz", StringComparison.Ordinal) == true);
    }

    /// <summary>The portal with the jobs on (the Testing environment has them off) and a rotation every second.</summary>
    public sealed class JobsPortalFactory : BillingPortalFactory
    {
        public static readonly (string Id, string Key) OldKey = ("2026-05", TestKeys.NewKey());
        public static readonly (string Id, string Key) NewKey = ("2026-11", TestKeys.NewKey());

        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            settings["Jobs:Enabled"] = "true";
            settings["Jobs:TokenKeyRotation:Interval"] = "00:00:01";
            settings["TokenProtection:Keys:" + OldKey.Id] = OldKey.Key;
            settings["TokenProtection:Keys:" + NewKey.Id] = NewKey.Key;
            settings["TokenProtection:ActiveKeyId"] = NewKey.Id;
        }
    }
}
