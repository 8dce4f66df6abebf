using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace BillingPortal.Jobs;

/// <summary>
/// The nightly reconciliation (issue #5 §2): every day at <c>MercadoPago:Sync:ReconciliationTimeLima</c> (03:00, a cron
/// trigger in the America/Lima time zone), one <see cref="SyncRunKind.Reconciliation"/> run (the last 30 days re-read)
/// for every organizer with an active link, backing off or not, at most <c>Jobs:PaymentSync:Parallelism</c> at a time.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PaymentReconciliationJob(
    IPaymentSync sync,
    IDbContextFactory<BillingDbContext> factory,
    IOptions<JobsOptions> options,
    ILogger<PaymentReconciliationJob> logger) : IJob
{
    public static readonly JobKey Key = new("mercadopago-payment-reconciliation", "mercadopago");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Job"] = Key.Name });
        try
        {
            List<int> organizers;
            await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            {
                organizers = await db.MercadoPagoLinks.AsNoTracking()
                    .Where(l => l.Status == MercadoPagoLinkStatus.Active)
                    .OrderBy(l => l.OrganizerId)
                    .Select(l => l.OrganizerId)
                    .ToListAsync(cancellationToken);
            }

            var totals = await SyncRunner.RunAllAsync(sync, organizers, SyncRunKind.Reconciliation, options.Value.PaymentSync.Parallelism, logger, cancellationToken);
            logger.LogInformation("Mercado Pago nightly reconciliation: {Organizers} organizers, {Succeeded} succeeded, {Failed} failed, {Skipped} skipped, {New} new and {Changed} changed payments",
                organizers.Count, totals.Succeeded, totals.Failed, totals.Skipped, totals.New, totals.Changed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Mercado Pago nightly reconciliation stopped by shutdown");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Mercado Pago nightly reconciliation failed; it runs again tomorrow");
        }
    }
}
