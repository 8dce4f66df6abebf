using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.Statements;

/// <summary>A background statement that finished: completed (ready to download) or failed for good.</summary>
public sealed record StatementExportFinished(int OrganizerId, Guid ExportId, string FileName, StatementFormat Format, StatementExportStatus Status);

/// <summary>
/// Tells open portal pages (Blazor Server circuits) of an organizer that one of its queued statements finished (issue #7
/// §5), in one process, like the payment change notifier: <see cref="StatementExports"/> publishes after its commit;
/// <see cref="Publish"/> never waits for a subscriber (each has its own bounded queue, delivered in order on the thread
/// pool, at most <see cref="MaxPendingPerSubscriber"/> waiting: the oldest are dropped, the page re-reads the list anyway).
/// A subscriber that throws is logged and stays subscribed; the others are not affected. Only ids, names of files and
/// statuses travel: no personal data.
/// </summary>
public sealed partial class StatementExportNotifier(ILogger<StatementExportNotifier> logger)
{
    public const int MaxPendingPerSubscriber = 50;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Subscription[]> _byOrganizer = [];
    private readonly ILogger _logger = logger;

    /// <summary>Subscriptions currently open (all organizers).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate) return _byOrganizer.Values.Sum(s => s.Length);
        }
    }

    public void Publish(StatementExportFinished finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        Subscription[] subscribers;
        lock (_gate)
        {
            if (!_byOrganizer.TryGetValue(finished.OrganizerId, out var found)) return;
            subscribers = found;
        }

        foreach (var subscriber in subscribers) subscriber.Enqueue(finished);
    }

    /// <summary>Subscribes to one organizer's finished statements; dispose to stop.</summary>
    public IDisposable Subscribe(int organizerId, Func<StatementExportFinished, Task> onFinished)
    {
        ArgumentNullException.ThrowIfNull(onFinished);
        var subscription = new Subscription(this, organizerId, onFinished);
        lock (_gate)
        {
            _byOrganizer[organizerId] = _byOrganizer.TryGetValue(organizerId, out var existing) ? [.. existing, subscription] : [subscription];
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_byOrganizer.TryGetValue(subscription.OrganizerId, out var existing)) return;
            var remaining = existing.Where(s => !ReferenceEquals(s, subscription)).ToArray();
            if (remaining.Length == 0) _byOrganizer.Remove(subscription.OrganizerId);
            else _byOrganizer[subscription.OrganizerId] = remaining;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A statement notification subscriber of organizer {OrganizerId} failed; it stays subscribed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, int organizerId);

    private sealed class Subscription(StatementExportNotifier owner, int organizerId, Func<StatementExportFinished, Task> onFinished) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly Queue<StatementExportFinished> _pending = new();
        private bool _delivering;
        private volatile bool _disposed;

        public int OrganizerId { get; } = organizerId;

        public void Enqueue(StatementExportFinished finished)
        {
            if (_disposed) return;
            lock (_gate)
            {
                _pending.Enqueue(finished);
                while (_pending.Count > MaxPendingPerSubscriber) _pending.Dequeue();
                if (_delivering) return;
                _delivering = true;
            }

            _ = Task.Run(DeliverAsync);
        }

        private async Task DeliverAsync()
        {
            while (true)
            {
                StatementExportFinished next;
                lock (_gate)
                {
                    if (_pending.Count == 0 || _disposed)
                    {
                        _pending.Clear();
                        _delivering = false;
                        return;
                    }

                    next = _pending.Dequeue();
                }

                try
                {
                    await onFinished(next).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    LogSubscriberFailed(owner._logger, e, OrganizerId);
                }
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }
    }
}
