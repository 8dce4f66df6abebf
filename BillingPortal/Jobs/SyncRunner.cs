using BillingPortal.Core.MercadoPago.Sync;

namespace BillingPortal.Jobs;

/// <summary>What a pass over several organizers did.</summary>
public sealed record SyncPassTotals(int Succeeded, int Failed, int Skipped, int New, int Changed);

/// <summary>Runs one kind of sync for several organizers with bounded parallelism; one organizer's failure never stops the others.</summary>
public static class SyncRunner
{
    public static async Task<SyncPassTotals> RunAllAsync(
        IPaymentSync sync, IReadOnlyList<int> organizers, SyncRunKind kind, int parallelism, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(organizers);
        ArgumentNullException.ThrowIfNull(logger);
        int succeeded = 0, failed = 0, skipped = 0, created = 0, changed = 0;
        await Parallel.ForEachAsync(
            organizers,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (organizerId, ct) =>
            {
                try
                {
                    var summary = await sync.RunAsync(organizerId, kind, null, ct);
                    if (summary.Skipped) Interlocked.Increment(ref skipped);
                    else if (summary.Status == SyncRunStatus.Succeeded) Interlocked.Increment(ref succeeded);
                    else Interlocked.Increment(ref failed);
                    Interlocked.Add(ref created, summary.PaymentsNew);
                    Interlocked.Add(ref changed, summary.PaymentsChanged);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                    logger.LogError(e, "Mercado Pago {Kind} sync of organizer {OrganizerId} failed unexpectedly", kind, organizerId);
                }
            });
        return new SyncPassTotals(succeeded, failed, skipped, created, changed);
    }
}
