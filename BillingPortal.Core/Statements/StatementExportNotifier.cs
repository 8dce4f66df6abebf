using BillingPortal.Core.Common;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.Statements;

/// <summary>A background statement that finished: completed (ready to download) or failed for good.</summary>
public sealed record StatementExportFinished(int OrganizerId, Guid ExportId, string FileName, StatementFormat Format, StatementExportStatus Status);

/// <summary>
/// Tells open portal pages (Blazor Server circuits) of an organizer that one of its queued statements finished (issue #7
/// §5), in one process, through the same <see cref="OrganizerSubscribers{T}"/> as the payment change notifier:
/// <see cref="StatementExports"/> publishes after its commit; <see cref="Publish"/> never waits for a subscriber (each has
/// its own bounded queue, delivered in order on the thread pool, at most <see cref="MaxPendingPerSubscriber"/> waiting:
/// the oldest are dropped, the page re-reads the list anyway).
/// A subscriber that throws is logged and stays subscribed; the others are not affected. Only ids, names of files and
/// statuses travel: no personal data.
/// </summary>
public sealed partial class StatementExportNotifier
{
    public const int MaxPendingPerSubscriber = 50;

    private readonly OrganizerSubscribers<StatementExportFinished> _subscribers;
    private readonly ILogger _logger;

    public StatementExportNotifier(ILogger<StatementExportNotifier> logger)
    {
        _logger = logger;
        _subscribers = new(MaxPendingPerSubscriber, (e, organizerId) => LogSubscriberFailed(logger, e, organizerId));
    }

    /// <summary>Subscriptions currently open (all organizers).</summary>
    public int SubscriberCount => _subscribers.SubscriberCount;

    public void Publish(StatementExportFinished finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        _subscribers.Publish(finished.OrganizerId, [finished]);
    }

    /// <summary>Subscribes to one organizer's finished statements, one call per statement, in order; dispose to stop.</summary>
    public IDisposable Subscribe(int organizerId, Func<StatementExportFinished, Task> onFinished)
    {
        ArgumentNullException.ThrowIfNull(onFinished);
        return _subscribers.Subscribe(organizerId, async batch =>
        {
            foreach (var finished in batch)
            {
                try
                {
                    await onFinished(finished).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // One notification failing does not stop the next ones.
                    LogSubscriberFailed(_logger, e, organizerId);
                }
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A statement notification subscriber of organizer {OrganizerId} failed; it stays subscribed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, int organizerId);
}
