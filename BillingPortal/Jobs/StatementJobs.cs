using BillingPortal.Core.Data;
using BillingPortal.Core.Statements;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace BillingPortal.Jobs;

/// <summary>
/// Generates the queued statement files one after the other (issue #7 §5), then deletes expired ones. Runs every
/// <c>Jobs:Statements:Interval</c> (30 s) and at once when a large statement is asked for (<see cref="StatementJobTrigger"/>).
/// A worker that dies leaves its export leased; the next run after the lease takes it over.
/// </summary>
[DisallowConcurrentExecution]
public sealed class StatementExportJob(StatementExports exports, ILogger<StatementExportJob> logger) : IJob
{
    public static readonly JobKey Key = new("statement-exports", "statements");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await RunAsync(cancellationToken);

    /// <summary>One pass: every waiting export, then the expiry sweep; returns how many exports it generated.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Job"] = Key.Name });
        var generated = 0;
        try
        {
            while (await exports.RunNextAsync(cancellationToken)) generated++;
            var purged = await exports.PurgeExpiredAsync(cancellationToken);
            if (purged > 0) logger.LogInformation("Statement exports: {Purged} expired files deleted", purged);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Statement exports stopped by shutdown; the lease hands the export to the next run");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Statement export pass failed; the next run retries");
        }

        return generated;
    }
}

/// <summary>
/// On the first day of each month (<c>Jobs:Statements:MonthlyCron</c>, 02:00 Lima), prepares the previous month's
/// statement (PDF and Excel) of every organizer: numbered, generated once, kept (issue #7 §8), ready for the monthly email.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MonthlyStatementsJob(IDbContextFactory<BillingDbContext> factory, StatementExports exports, TimeProvider time, ILogger<MonthlyStatementsJob> logger) : IJob
{
    public static readonly JobKey Key = new("monthly-statements", "statements");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await RunAsync(cancellationToken);

    /// <summary>Ensures last month's statements exist for every organizer; returns how many are completed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = Core.Common.AccountingCalendar.Lima.LocalDate(time.GetUtcNow());
        var month = today.AddMonths(-1);
        List<int> organizers;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            organizers = await db.Organizers.AsNoTracking().OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(cancellationToken);
        }

        var completed = 0;
        foreach (var organizerId in organizers)
        {
            foreach (var format in new[] { StatementFormat.Pdf, StatementFormat.Xlsx })
            {
                try
                {
                    var export = await exports.EnsureMonthlyAsync(organizerId, month.Year, month.Month, format, cancellationToken);
                    if (export.Status == StatementExportStatus.Completed) completed++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Monthly statement {Year}-{Month} ({Format}) of organizer {OrganizerId} failed; the next run retries",
                        month.Year, month.Month, format, organizerId);
                }
            }
        }

        logger.LogInformation("Monthly statements {Year}-{Month}: {Completed} of {Expected} ready", month.Year, month.Month, completed, organizers.Count * 2);
        return completed;
    }
}

/// <summary>Starts <see cref="StatementExportJob"/> now (when the schedules are on); otherwise the next pass picks the export up.</summary>
public sealed class StatementJobTrigger(IServiceProvider services, ILogger<StatementJobTrigger> logger)
{
    public async Task TriggerAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<ISchedulerFactory>() is not { } factory) return;
        try
        {
            var scheduler = await factory.GetScheduler(cancellationToken);
            if (await scheduler.GetJobDetail(StatementExportJob.Key, cancellationToken) is not null) await scheduler.TriggerJob(StatementExportJob.Key, cancellationToken);
        }
        catch (SchedulerException e)
        {
            logger.LogWarning(e, "Could not start the statement export job now; its schedule will");
        }
    }
}
