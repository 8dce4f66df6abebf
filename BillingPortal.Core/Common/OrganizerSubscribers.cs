namespace BillingPortal.Core.Common;

/// <summary>
/// In-process publish/subscribe per organizer, shared by the notifiers that tell open pages (Blazor Server circuits)
/// something happened (payments changed, a statement is ready). <see cref="Publish"/> never waits for a subscriber: it
/// appends to each subscriber's own pending list and, when that subscriber is idle, starts delivering on the thread
/// pool. A subscriber still busy with an earlier delivery gets everything that arrived meanwhile in one later call, in
/// order, at most <c>maxPendingPerSubscriber</c> items (the newest). A subscriber that throws is reported to
/// <c>onSubscriberFailed</c> and keeps its subscription; the others are not affected.
/// </summary>
public sealed class OrganizerSubscribers<T>(int maxPendingPerSubscriber, Action<Exception, int> onSubscriberFailed)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Subscription[]> _byOrganizer = [];
    private readonly int _maxPending = maxPendingPerSubscriber > 0
        ? maxPendingPerSubscriber
        : throw new ArgumentOutOfRangeException(nameof(maxPendingPerSubscriber), "At least one pending item per subscriber.");
    private readonly Action<Exception, int> _onSubscriberFailed = onSubscriberFailed ?? throw new ArgumentNullException(nameof(onSubscriberFailed));

    /// <summary>Subscriptions currently open (all organizers).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate) return _byOrganizer.Values.Sum(s => s.Length);
        }
    }

    /// <summary>Hands <paramref name="items"/> to every subscriber of the organizer (none: nothing happens).</summary>
    public void Publish(int organizerId, IReadOnlyCollection<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) return;
        Subscription[] subscribers;
        lock (_gate)
        {
            if (!_byOrganizer.TryGetValue(organizerId, out var found)) return;
            subscribers = found;
        }

        foreach (var subscriber in subscribers) subscriber.Enqueue(items);
    }

    /// <summary>Subscribes to one organizer; dispose to stop.</summary>
    public IDisposable Subscribe(int organizerId, Func<IReadOnlyList<T>, Task> onItems)
    {
        ArgumentNullException.ThrowIfNull(onItems);
        var subscription = new Subscription(this, organizerId, onItems);
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

    /// <summary>One subscriber: its pending items and whether a delivery is running.</summary>
    private sealed class Subscription(OrganizerSubscribers<T> owner, int organizerId, Func<IReadOnlyList<T>, Task> onItems) : IDisposable
    {
        private readonly Lock _gate = new();
        private List<T> _pending = [];
        private bool _delivering;
        private volatile bool _disposed;

        public int OrganizerId { get; } = organizerId;

        public void Enqueue(IReadOnlyCollection<T> items)
        {
            if (_disposed) return;
            lock (_gate)
            {
                _pending.AddRange(items);
                if (_pending.Count > owner._maxPending) _pending.RemoveRange(0, _pending.Count - owner._maxPending);
                if (_delivering) return;
                _delivering = true;
            }

            _ = Task.Run(DeliverAsync);
        }

        private async Task DeliverAsync()
        {
            while (true)
            {
                List<T> batch;
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
                    await onItems(batch).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    owner._onSubscriberFailed(e, OrganizerId);
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
