using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Security;
using BillingPortal.Jobs;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Quartz;

namespace BillingPortal.Tests.Integration.MercadoPago.Ops;

/// <summary>
/// The demo's Mercado Pago side at start-up (demo mode, a small seed, the emulator in-process): every organizer but the
/// first is linked to its emulated seller with encrypted tokens, audited as the platform, its sync cursor at start-up
/// time; then the payment sync job and the nightly reconciliation job run over those links for real: with webhooks lost,
/// the incremental sync brings the recent sales, the reconciliation the older ones, and a second reconciliation finds
/// nothing left to fix. The schedules: the incremental sync and the reconciliation, a cron at 03:00 in Lima.
/// </summary>
public sealed class DemoOpsTests(DemoOpsTests.DemoOpsPortalFactory portal) : IClassFixture<DemoOpsTests.DemoOpsPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(int First, List<int> Others)> OrganizersAsync()
    {
        await using var db = portal.CreateDbContext();
        var ids = await db.Organizers.OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(Ct);
        return (ids[0], ids.Skip(1).ToList());
    }

    [Fact]
    public async Task DemoStart_LinksEveryOrganizerButTheFirst_WithEncryptedTokensAuditedAsThePlatform()
    {
        var (first, others) = await OrganizersAsync();
        await using var db = portal.CreateDbContext();
        var links = await db.MercadoPagoLinks.AsNoTracking().ToListAsync(Ct);
        var sellers = await db.Organizers.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.MercadoPagoUserId, Ct);

        Assert.NotEmpty(others);
        Assert.DoesNotContain(links, l => l.OrganizerId == first);
        Assert.Equal(others, links.Select(l => l.OrganizerId).Order());
        var protector = portal.Services.GetRequiredService<ITokenProtector>();
        Assert.All(links, l =>
        {
            Assert.Equal(MercadoPagoLinkStatus.Active, l.Status);
            Assert.Equal(sellers[l.OrganizerId], l.MercadoPagoUserId);
            Assert.Null(l.LinkedByUserId);
            Assert.False(string.IsNullOrEmpty(l.AccountNickname));
            Assert.DoesNotContain("APP_USR", l.AccessTokenCiphertext, StringComparison.Ordinal);
            Assert.StartsWith("APP_USR-", protector.Unprotect(l.AccessTokenCiphertext!, MercadoPagoTokenPurposes.Access(l.OrganizerId)), StringComparison.Ordinal);
            Assert.NotNull(l.RenewalDueAt);
        });
        var audits = await db.AuditLog.AsNoTracking().Where(a => a.Action == AuditAction.MercadoPagoLinked).ToListAsync(Ct);
        Assert.Equal(others, audits.Select(a => a.OrganizerId!.Value).Order());
        Assert.All(audits, a => Assert.Equal(AuditTrail.PlatformActor, a.Actor));
        var states = await db.MercadoPagoSyncStates.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(others, states.Select(s => s.OrganizerId).Order());
        Assert.All(states, s => Assert.NotNull(s.Cursor));
    }

    [Fact]
    public async Task DemoStart_Again_LinksNothingNew()
    {
        var linker = ActivatorUtilities.CreateInstance<BillingPortal.Demo.DemoMercadoPagoLinks>(portal.Services);

        Assert.Equal(0, await linker.LinkAsync(Ct));
    }

    [Fact]
    public async Task PaymentJobs_OverTheDemoLinks_IncrementalBringsRecentSalesReconciliationTheMissedOnesThenFindsNothingToFix()
    {
        var (first, others) = await OrganizersAsync();
        var sync = portal.Services.GetRequiredService<IPaymentSync>();
        var options = Options.Create(new JobsOptions());
        var factory = portal.Services.GetRequiredService<IDbContextFactory<BillingDbContext>>();
        var incremental = new PaymentSyncJob(sync, options, NullLogger<PaymentSyncJob>.Instance);
        var nightly = new PaymentReconciliationJob(sync, factory, options, NullLogger<PaymentReconciliationJob>.Instance);
        var payments = portal.Services.GetRequiredService<SandboxPayments>();
        var outbox = portal.Services.GetRequiredService<SandboxWebhookOutbox>();
        var webhookUrl = outbox.Url;

        // The schedule's own first pass (at start-up) finishes first: its runs are not this test's.
        await RunsAfterAsync(0, others.Count, SyncRunKind.Incremental);

        // Webhooks lost: a sale two days old (older than the incremental overlap) and one from a minute ago, per seller.
        outbox.Url = null;
        try
        {
            var recent = new List<long>();
            var missed = new List<long>();
            await using (var db = portal.CreateDbContext())
            {
                foreach (var id in others)
                {
                    var seller = await db.Organizers.Where(o => o.Id == id).Select(o => o.MercadoPagoUserId!.Value).SingleAsync(Ct);
                    var now = DateTimeOffset.UtcNow;
                    missed.Add((await payments.CreateSaleAsync(new SandboxSaleRequest { SellerId = seller, Amount = 80.00m, DateCreated = now.AddDays(-2) }, Ct)).Id);
                    recent.Add((await payments.CreateSaleAsync(new SandboxSaleRequest { SellerId = seller, Amount = 95.00m, DateCreated = now.AddMinutes(-1) }, Ct)).Id);
                }
            }

            var mark = await LastRunIdAsync();
            await incremental.Execute(null!, Ct);
            var pass = await RunsAfterAsync(mark, others.Count, SyncRunKind.Incremental);
            Assert.Equal(others, pass.Select(r => r.OrganizerId).Order());
            Assert.All(pass, r => Assert.Equal(SyncRunStatus.Succeeded, r.Status));
            Assert.Equal(recent.Count, await CountStoredAsync(recent));
            Assert.Equal(0, await CountStoredAsync(missed));

            mark = await LastRunIdAsync();
            await nightly.Execute(null!, Ct);
            var reconciliation = await RunsAfterAsync(mark, others.Count, SyncRunKind.Reconciliation);
            Assert.Equal(others, reconciliation.Select(r => r.OrganizerId).Order());
            Assert.All(reconciliation, r =>
            {
                Assert.Equal(SyncRunStatus.Succeeded, r.Status);
                Assert.Equal(1, r.PaymentsNew);
            });
            Assert.Equal(missed.Count, await CountStoredAsync(missed));

            mark = await LastRunIdAsync();
            await nightly.Execute(null!, Ct);
            var again = await RunsAfterAsync(mark, others.Count, SyncRunKind.Reconciliation);
            Assert.All(again, r =>
            {
                Assert.Equal(SyncRunStatus.Succeeded, r.Status);
                Assert.True(r.PaymentsSeen >= 2, $"organizer {r.OrganizerId}: {r.PaymentsSeen} payments read");
                Assert.Equal(0, r.PaymentsNew);
                Assert.Equal(0, r.PaymentsChanged);
            });
        }
        finally
        {
            outbox.Url = webhookUrl;
        }

        await using var check = portal.CreateDbContext();
        Assert.False(await check.MercadoPagoSyncRuns.AnyAsync(r => r.OrganizerId == first, Ct));
        Assert.All(await check.MercadoPagoSyncStates.AsNoTracking().ToListAsync(Ct), s => Assert.NotNull(s.LastReconciliationAt));
    }

    private async Task<long> LastRunIdAsync()
    {
        await using var db = portal.CreateDbContext();
        return await db.MercadoPagoSyncRuns.Select(r => (long?)r.Id).MaxAsync(Ct) ?? 0;
    }

    /// <summary>The finished runs of a kind after <paramref name="mark"/>, once there are <paramref name="count"/> (or a deadlock guard passed).</summary>
    private async Task<List<MercadoPagoSyncRun>> RunsAfterAsync(long mark, int count, SyncRunKind kind)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = portal.CreateDbContext();
            var runs = await db.MercadoPagoSyncRuns.AsNoTracking().Where(r => r.Id > mark && r.Kind == kind).ToListAsync(Ct);
            if ((runs.Count >= count && runs.All(r => r.Status != SyncRunStatus.Running)) || DateTimeOffset.UtcNow > deadline) return runs;
            await Task.Delay(100, Ct);
        }
    }

    private async Task<int> CountStoredAsync(List<long> ids)
    {
        await using var db = portal.CreateDbContext();
        return await db.Payments.CountAsync(p => ids.Contains(p.Id), Ct);
    }

    [Fact]
    public async Task Jobs_Scheduled_IncrementalEveryIntervalAndReconciliationAt3InLima()
    {
        var scheduler = await portal.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);

        Assert.True(await scheduler.Exists(PaymentSyncJob.Key, Ct));
        var incremental = Assert.IsAssignableFrom<ISimpleTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(PaymentSyncJob.Key, Ct)));
        Assert.Equal(TimeSpan.FromHours(6), incremental.RepeatInterval);
        var nightly = Assert.IsAssignableFrom<ICronTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(PaymentReconciliationJob.Key, Ct)));
        Assert.Equal("America/Lima", nightly.TimeZone.Id);
        Assert.Equal("0 0 3 * * ?", nightly.CronExpressionString);
        var next = nightly.GetFireTimeAfter(DateTimeOffset.UtcNow)!.Value;
        Assert.Equal(8, next.UtcDateTime.Hour);
        Assert.Equal(0, next.UtcDateTime.Minute);
    }

    /// <summary>
    /// Demo mode (300 purchases) with the emulator in-process and the jobs on; the incremental schedule is stretched
    /// (6 h) so that the tests run the jobs themselves.
    /// </summary>
    public sealed class DemoOpsPortalFactory : BillingPortalFactory
    {
        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            settings["Demo:Enabled"] = "true";
            settings["Demo:Scale"] = "300";
            settings["Jobs:Enabled"] = "true";
            settings["Jobs:TokenKeyRotation:Enabled"] = "false";
            settings["MercadoPago:TokenRenewal:Enabled"] = "false";
            settings["MercadoPago:Sync:Interval"] = "06:00:00";
            settings["Sandbox:MercadoPago:Webhooks:RetryInterval"] = "00:00:00.200";
        }
    }
}
