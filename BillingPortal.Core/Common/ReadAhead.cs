using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BillingPortal.Core.Common;

/// <summary>
/// Reads an async sequence ahead, on a task of its own, in batches: a slow producer (the database reader of a statement's
/// lines) and a slow consumer (the Excel or PDF renderer) then run at the same time on two cores instead of taking
/// turns on one. Memory stays bounded: at most <c>batchSize × capacity</c> items wait between the two.
/// </summary>
public static class ReadAhead
{
    /// <summary>
    /// The same items in the same order, produced ahead of the consumer. An exception of the source reaches the consumer
    /// as it is; a consumer that stops early (or is cancelled) stops the source and waits for it to let go of what it
    /// holds (a database connection) before returning.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadAheadAsync<T>(this IAsyncEnumerable<T> source, int batchSize, int capacity,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<T[]>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var producer = Task.Run(() => ProduceAsync(source, batchSize, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    foreach (var item in batch) yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false); // never faults: its failures travel through the channel
        }
    }

    private static async Task ProduceAsync<T>(IAsyncEnumerable<T> source, int batchSize, ChannelWriter<T[]> writer, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new T[batchSize];
            var count = 0;
            await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch[count++] = item;
                if (count < batchSize) continue;
                await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                batch = new T[batchSize];
                count = 0;
            }

            if (count > 0) await writer.WriteAsync(batch[..count], cancellationToken).ConfigureAwait(false);
            writer.TryComplete();
        }
        catch (Exception exception)
        {
            writer.TryComplete(exception);
        }
    }
}
