using BillingPortal.Core.MercadoPago.Sync;
using Microsoft.Extensions.Options;
using Quartz;

namespace BillingPortal.Jobs;

/// <summary>
/// The incremental payment sync (issue #5 §2): every <c>MercadoPago:Sync:Interval</c> (15 minutes) from start-up, one
/// <see cref="SyncRunKind.Incremental"/> run for each organizer <see cref="IPaymentSync.DueOrganizersAsync"/> returns (an
/// active link, not backing off after failures), at most <c>Jobs:PaymentSync:Parallelism</c> (2) at a time. One pass at
/// a time in this instance; across instances each organizer's run is guarded by the lease on its sync state. A run
/// never throws for Mercado Pago's failures (it records them and backs off); anything else is logged and the next
/// organizer still runs.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PaymentSyncJob(IPaymentSync sync, IOptions<JobsOptions> options, ILogger<PaymentSyncJob> logger) : IJob
{
    public static readonly JobKey Key = new("mercadopago-payment-sync", "mercadopago");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Job"] = Key.Name });
        try
        {
            var organizers = await sync.DueOrganizersAsync(cancellationToken);
            var totals = await SyncRunner.RunAllAsync(sync, organizers, SyncRunKind.Incremental, options.Value.PaymentSync.Parallelism, logger, cancellationToken);
            if (organizers.Count > 0)
            {
                logger.LogInformation("Mercado Pago incremental sync: {Organizers} organizers, {Succeeded} succeeded, {Failed} failed, {Skipped} skipped, {New} new and {Changed} changed payments",
                    organizers.Count, totals.Succeeded, totals.Failed, totals.Skipped, totals.New, totals.Changed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Mercado Pago incremental sync stopped by shutdown");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Mercado Pago incremental sync pass failed; the next pass retries");
        }
    }
}
