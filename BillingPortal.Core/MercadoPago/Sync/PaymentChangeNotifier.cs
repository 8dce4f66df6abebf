using BillingPortal.Core.Common;
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
public sealed partial class PaymentChangeNotifier : IPaymentChangeNotifier
{
    /// <summary>Changes kept for a busy subscriber; older ones are dropped (the subscriber re-reads the figures anyway).</summary>
    public const int MaxPendingPerSubscriber = 1_000;

    private readonly OrganizerSubscribers<PaymentChange> _subscribers;

    public PaymentChangeNotifier(ILogger<PaymentChangeNotifier> logger) =>
        _subscribers = new(MaxPendingPerSubscriber, (e, organizerId) => LogSubscriberFailed(logger, e, organizerId));

    /// <summary>Subscriptions currently open (all organizers).</summary>
    public int SubscriberCount => _subscribers.SubscriberCount;

    public void Publish(IReadOnlyList<PaymentChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var group in changes.GroupBy(c => c.OrganizerId)) _subscribers.Publish(group.Key, group.ToList());
    }

    public IDisposable Subscribe(int organizerId, Func<IReadOnlyList<PaymentChange>, Task> onChanges) => _subscribers.Subscribe(organizerId, onChanges);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A payment change subscriber of organizer {OrganizerId} failed; it stays subscribed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, int organizerId);
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
