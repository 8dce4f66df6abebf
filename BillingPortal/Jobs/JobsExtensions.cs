using BillingPortal.Core.MercadoPago;
using Quartz;

namespace BillingPortal.Jobs;

/// <summary>The web host's background jobs (Quartz with the in-memory store; one instance's schedule each).</summary>
public static class JobsExtensions
{
    /// <summary>
    /// Schedules <see cref="TokenRenewalJob"/> and <see cref="TokenKeyRotationJob"/> (see <see cref="JobsOptions"/>). Called
    /// only by the web host's composition, so <c>migrate</c> and <c>seed</c> never start them. The scheduler starts once the
    /// application has started (after the start-up migrations) and waits for running jobs on shutdown.
    /// </summary>
    public static WebApplicationBuilder AddPortalJobs(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var jobs = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        if (!(jobs.Enabled ?? !builder.Environment.IsEnvironment("Testing"))) return builder;
        var renewal = builder.Configuration.GetSection(MercadoPagoOptions.SectionName).Get<MercadoPagoOptions>()?.TokenRenewal ?? new MercadoPagoTokenRenewalOptions();

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
