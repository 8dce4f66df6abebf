using BillingPortal.Core.Common;
using BillingPortal.Core.MercadoPago;
using Quartz;

namespace BillingPortal.Jobs;

/// <summary>The web host's background jobs (Quartz with the in-memory store; one instance's schedule each).</summary>
public static class JobsExtensions
{
    /// <summary>
    /// Schedules <see cref="TokenRenewalJob"/>, <see cref="TokenKeyRotationJob"/>, <see cref="PaymentSyncJob"/> and
    /// <see cref="PaymentReconciliationJob"/> (see <see cref="JobsOptions"/>), and registers <see cref="ManualSyncRunner"/> (always). Called
    /// only by the web host's composition, so <c>migrate</c> and <c>seed</c> never start them. The scheduler starts once the
    /// application has started (after the start-up migrations) and waits for running jobs on shutdown.
    /// </summary>
    public static WebApplicationBuilder AddPortalJobs(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var jobs = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName);

        // «Sincronizar ahora»: a background queue, not a schedule, so it works with the schedules off too
        builder.Services.AddSingleton<ManualSyncRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ManualSyncRunner>());
        builder.Services.AddSingleton<StatementJobTrigger>();

        if (!(jobs.Enabled ?? !builder.Environment.IsEnvironment("Testing"))) return builder;
        var renewal = builder.Configuration.GetSection(MercadoPagoOptions.SectionName).Get<MercadoPagoOptions>()?.TokenRenewal ?? new MercadoPagoTokenRenewalOptions();
        var sync = SyncSchedule.From(builder.Configuration);

        builder.Services.AddQuartz(q =>
        {
            q.UseInMemoryStore();

            // Mercado Pago token renewal
            if (renewal.Enabled)
            {
                q.AddJob<TokenRenewalJob>(j => j.WithIdentity(TokenRenewalJob.Key));
                q.AddTrigger(t => t.ForJob(TokenRenewalJob.Key).WithIdentity("mercadopago-token-renewal-trigger", "mercadopago")
                    .StartNow().WithSimpleSchedule(s => s.WithInterval(Positive(renewal.Interval)).RepeatForever()));
            }

            // Re-encryption under the active token protection key
            if (jobs.TokenKeyRotation.Enabled)
            {
                q.AddJob<TokenKeyRotationJob>(j => j.WithIdentity(TokenKeyRotationJob.Key));
                q.AddTrigger(t => t.ForJob(TokenKeyRotationJob.Key).WithIdentity("token-key-rotation-trigger", "security")
                    .StartNow().WithSimpleSchedule(s => s.WithInterval(Positive(jobs.TokenKeyRotation.Interval)).RepeatForever()));
            }

            // Mercado Pago payments: the incremental sync from start-up, then every interval
            if (jobs.PaymentSync.Enabled)
            {
                q.AddJob<PaymentSyncJob>(j => j.WithIdentity(PaymentSyncJob.Key));
                q.AddTrigger(t => t.ForJob(PaymentSyncJob.Key).WithIdentity("mercadopago-payment-sync-trigger", "mercadopago")
                    .StartNow().WithSimpleSchedule(s => s.WithInterval(Positive(sync.Interval)).RepeatForever()));
            }

            // Mercado Pago payments: the nightly reconciliation, a cron in Lima's time zone
            if (jobs.PaymentSync.ReconciliationEnabled)
            {
                q.AddJob<PaymentReconciliationJob>(j => j.WithIdentity(PaymentReconciliationJob.Key));
                q.AddTrigger(t => t.ForJob(PaymentReconciliationJob.Key).WithIdentity("mercadopago-payment-reconciliation-trigger", "mercadopago")
                    .WithCronSchedule(sync.ReconciliationCron, c => c.InTimeZone(AccountingCalendar.Lima.TimeZone)));
            }

            // Statements: queued files (every interval and on demand), and last month's statements on the 1st
            if (jobs.Statements.Enabled)
            {
                q.AddJob<StatementExportJob>(j => j.WithIdentity(StatementExportJob.Key).StoreDurably());
                q.AddTrigger(t => t.ForJob(StatementExportJob.Key).WithIdentity("statement-exports-trigger", "statements")
                    .StartNow().WithSimpleSchedule(s => s.WithInterval(Positive(jobs.Statements.Interval)).RepeatForever()));
            }

            if (jobs.Statements.MonthlyEnabled)
            {
                q.AddJob<MonthlyStatementsJob>(j => j.WithIdentity(MonthlyStatementsJob.Key));
                q.AddTrigger(t => t.ForJob(MonthlyStatementsJob.Key).WithIdentity("monthly-statements-trigger", "statements")
                    .WithCronSchedule(jobs.Statements.MonthlyCron, c => c.InTimeZone(AccountingCalendar.Lima.TimeZone)));
            }
        });
        builder.Services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });
        return builder;
    }

    private static TimeSpan Positive(TimeSpan interval) => interval > TimeSpan.Zero ? interval : TimeSpan.FromHours(1);
}
