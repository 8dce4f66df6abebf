using System.Threading.Channels;
using BillingPortal.Core.MercadoPago.Sync;

namespace BillingPortal.Jobs;

/// <summary>
/// Runs the owners' «Sincronizar ahora» in the background (issue #5 §2): the endpoint asks
/// <see cref="IPaymentSync.RequestManualSyncAsync"/> (the rate limit), then <see cref="TryEnqueue"/>s the organizer here and
/// answers at once; this service runs <see cref="SyncRunKind.Manual"/> with the user who asked, at most
/// <see cref="Parallelism"/> organizers at a time, each in a scope of its own. Not a Quartz job: it works whether or not
/// the schedules are on (<c>Jobs:Enabled</c>), and an organizer already waiting is not queued twice. On shutdown the
/// running syncs are cancelled; the engine records them as abandoned and the next run resumes from the cursor.
/// </summary>
public sealed partial class ManualSyncRunner(IServiceScopeFactory scopes, ILogger<ManualSyncRunner> logger) : BackgroundService
{
    public const int Parallelism = 2;

    private readonly Channel<(int OrganizerId, int? UserId)> _queue = Channel.CreateUnbounded<(int, int?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<int> _waiting = [];
    private readonly Lock _gate = new();
    private int _completed;

    /// <summary>Manual runs finished since start (tests wait on it).</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Queues a manual sync of the organizer; false when one is already waiting (it will run anyway).</summary>
    public bool TryEnqueue(int organizerId, int? userId)
    {
        lock (_gate)
        {
            if (!_waiting.Add(organizerId)) return false;
        }

        if (_queue.Writer.TryWrite((organizerId, userId))) return true;
        lock (_gate) _waiting.Remove(organizerId);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Parallelism, Parallelism);
        var running = new List<Task>();
        try
        {
            await foreach (var (organizerId, userId) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                lock (_gate) _waiting.Remove(organizerId);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await RunAsync(organizerId, userId, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the running syncs see the same token.
        }

        await Task.WhenAll(running);
    }

    private async Task RunAsync(int organizerId, int? userId, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sync = scope.ServiceProvider.GetRequiredService<IPaymentSync>();
            var summary = await sync.RunAsync(organizerId, SyncRunKind.Manual, userId, cancellationToken);
            LogFinished(logger, organizerId, summary.RunId, summary.Status, summary.PaymentsNew, summary.PaymentsChanged);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopped(logger, organizerId);
        }
        catch (Exception e)
        {
            LogFailed(logger, e, organizerId);
        }
        finally
        {
            Interlocked.Increment(ref _completed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Manual Mercado Pago sync of organizer {OrganizerId}: run {RunId} {Status}, {New} new and {Changed} changed payments")]
    private static partial void LogFinished(ILogger logger, int organizerId, long runId, SyncRunStatus status, int @new, int changed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Manual Mercado Pago sync of organizer {OrganizerId} stopped by shutdown")]
    private static partial void LogStopped(ILogger logger, int organizerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Manual Mercado Pago sync of organizer {OrganizerId} failed unexpectedly")]
    private static partial void LogFailed(ILogger logger, Exception exception, int organizerId);
}
