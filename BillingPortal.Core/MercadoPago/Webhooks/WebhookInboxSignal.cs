using System.Threading.Channels;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>
/// Wakes the inbox processor when the intake committed new entries (or an admin replayed some), so that a notification
/// is processed at once instead of at the next poll. Coalescing: any number of signals before the processor looks
/// count as one.
/// </summary>
public sealed class WebhookInboxSignal
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Something is waiting in the inbox.</summary>
    public void Notify() => _signal.Writer.TryWrite(true);

    /// <summary>Waits until notified or <paramref name="timeout"/> passes; true when notified.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_signal.Reader.TryRead(out _)) return true;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _signal.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return _signal.Reader.TryRead(out _);
    }
}
