using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>
/// <see cref="IPaymentChangeNotifier"/> in one process (issue #5 §5): open pages (Blazor Server circuits) subscribe to
/// one organizer; the upserter publishes after its commit. <see cref="Publish"/> never waits for a subscriber: it appends
/// the changes to each subscriber's own pending list and, when that subscriber is idle, starts delivering on the thread
/// pool. A subscriber still busy with an earlier delivery gets everything that arrived meanwhile in one later call
/// (coalescing), at most <see cref="MaxPendingPerSubscriber"/> changes (the newest; a page only needs to know that
/// something changed). A subscriber that throws is logged and keeps its subscription; the others are not affected.
/// </summary>
public sealed partial class PaymentChangeNotifier(ILogger<PaymentChangeNotifier> logger) : IPaymentChangeNotifier
{
    /// <summary>Changes kept for a busy subscriber; older ones are dropped (the subscriber re-reads the figures anyway).</summary>
    public const int MaxPendingPerSubscriber = 1_000;

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

    public void Publish(IReadOnlyList<PaymentChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0) return;
        foreach (var group in changes.GroupBy(c => c.OrganizerId))
        {
            Subscription[] subscribers;
            lock (_gate)
            {
                if (!_byOrganizer.TryGetValue(group.Key, out var found)) continue;
                subscribers = found;
            }

            var batch = group.ToList();
            foreach (var subscriber in subscribers) subscriber.Enqueue(batch);
        }
    }

    public IDisposable Subscribe(int organizerId, Func<IReadOnlyList<PaymentChange>, Task> onChanges)
    {
        ArgumentNullException.ThrowIfNull(onChanges);
        var subscription = new Subscription(this, organizerId, onChanges);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A payment change subscriber of organizer {OrganizerId} failed; it stays subscribed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, int organizerId);

    /// <summary>One subscriber: its pending changes and whether a delivery is running.</summary>
    private sealed class Subscription(PaymentChangeNotifier owner, int organizerId, Func<IReadOnlyList<PaymentChange>, Task> onChanges) : IDisposable
    {
        private readonly Lock _gate = new();
        private List<PaymentChange> _pending = [];
        private bool _delivering;
        private volatile bool _disposed;

        public int OrganizerId { get; } = organizerId;

        public void Enqueue(List<PaymentChange> changes)
        {
            if (_disposed) return;
            lock (_gate)
            {
                _pending.AddRange(changes);
                if (_pending.Count > MaxPendingPerSubscriber) _pending.RemoveRange(0, _pending.Count - MaxPendingPerSubscriber);
                if (_delivering) return;
                _delivering = true;
            }

            _ = Task.Run(DeliverAsync);
        }

        private async Task DeliverAsync()
        {
            while (true)
            {
                List<PaymentChange> batch;
                lock (_gate)
                {
                    if (_pending.Count == 0 || _disposed)
                    {
                        _pending.Clear();
                        _delivering = false;
                        return;
                    }

                    batch = _pending;
                    _pending = [];
                }

                try
                {
                    await onChanges(batch).ConfigureAwait(false);
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

/// <summary>Registration of the in-process <see cref="PaymentChangeNotifier"/> (one per process, shared by every circuit).</summary>
public static class PaymentChangeNotifierRegistration
{
    public static IServiceCollection AddPaymentChangeNotifier(this IServiceCollection services)
    {
        services.TryAddSingleton<PaymentChangeNotifier>();
        services.TryAddSingleton<IPaymentChangeNotifier>(sp => sp.GetRequiredService<PaymentChangeNotifier>());
        return services;
    }
}
