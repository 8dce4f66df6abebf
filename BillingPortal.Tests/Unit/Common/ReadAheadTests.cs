using System.Runtime.CompilerServices;
using BillingPortal.Core.Common;

namespace BillingPortal.Tests.Unit.Common;

/// <summary>
/// The read-ahead between a statement's line reader and its renderer: same items, same order, bounded memory, the
/// source's errors as they are, and a source that is always stopped and released when the consumer stops.
/// </summary>
public sealed class ReadAheadTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0, 10, 2)]
    [InlineData(1, 10, 2)]
    [InlineData(10, 10, 2)]
    [InlineData(2_503, 100, 2)]
    [InlineData(2_503, 1, 1)]
    public async Task Items_AllOfThem_InTheSourcesOrder(int count, int batchSize, int capacity)
    {
        var source = new CountingSource(count);

        var read = new List<int>();
        await foreach (var item in source.ReadAsync(Token).ReadAheadAsync(batchSize, capacity, Token)) read.Add(item);

        Assert.Equal(Enumerable.Range(0, count), read);
        Assert.True(source.Released);
    }

    [Fact]
    public async Task SourceFails_TheConsumerGetsItsItemsThenTheSameException()
    {
        var source = new CountingSource(1_000, failAt: 250);

        var read = new List<int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in source.ReadAsync(Token).ReadAheadAsync(100, 2, Token)) read.Add(item);
        });

        Assert.Equal("the source failed at 250", error.Message);
        Assert.Equal(Enumerable.Range(0, 200), read); // the whole batches before the failure
        Assert.True(source.Released);
    }

    [Fact]
    public async Task ConsumerStopsEarly_TheSourceIsStoppedAndReleasedBeforeTheLoopEnds()
    {
        var source = new CountingSource(1_000_000);

        var read = 0;
        await foreach (var _ in source.ReadAsync(Token).ReadAheadAsync(100, 2, Token))
        {
            if (++read == 5) break;
        }

        Assert.True(source.Released, "the source still ran (and held its connection) after the consumer left");
        Assert.True(source.Produced < 1_000_000);
    }

    [Fact]
    public async Task SlowConsumer_TheSourceWaits_AtMostTheBatchesAheadAreHeld()
    {
        const int batchSize = 10, capacity = 2;
        var source = new CountingSource(100_000);

        await using var lines = source.ReadAsync(Token).ReadAheadAsync(batchSize, capacity, Token).GetAsyncEnumerator(Token);
        Assert.True(await lines.MoveNextAsync());
        // The consumer holds one item and does nothing: the source fills what may wait, then blocks.
        await source.WaitUntilStillAsync();

        // The batch being read, the batches waiting, the one the source has filled and is trying to hand over, one item.
        Assert.InRange(source.Produced, batchSize * (capacity + 1), batchSize * (capacity + 2) + 1);
    }

    [Fact]
    public async Task Cancelled_TheConsumerSeesCancellation_AndTheSourceIsReleased()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var source = new CountingSource(1_000_000);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in source.ReadAsync(cancel.Token).ReadAheadAsync(100, 2, cancel.Token))
            {
                if (item == 1_000) await cancel.CancelAsync();
            }
        });

        Assert.True(source.Released);
    }

    [Fact]
    public async Task Arguments_OutOfRange_AreRefusedByName()
    {
        var source = new CountingSource(1).ReadAsync(Token);

        var batch = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await source.ReadAheadAsync(0, 1, Token).GetAsyncEnumerator(Token).MoveNextAsync());
        var capacity = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await source.ReadAheadAsync(1, 0, Token).GetAsyncEnumerator(Token).MoveNextAsync());

        Assert.Equal("batchSize", batch.ParamName);
        Assert.Equal("capacity", capacity.ParamName);
    }

    /// <summary>0, 1, 2… counting what it produced, and whether its <c>finally</c> (a connection's release) ran.</summary>
    private sealed class CountingSource(int count, int? failAt = null)
    {
        private int _produced;
        private volatile bool _released;

        public int Produced => Volatile.Read(ref _produced);

        public bool Released => _released;

        public async IAsyncEnumerable<int> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (i == failAt) throw new InvalidOperationException($"the source failed at {i}");
                    Interlocked.Increment(ref _produced);
                    if (i % 64 == 0) await Task.Yield();
                    yield return i;
                }
            }
            finally
            {
                _released = true;
            }
        }

        /// <summary>Waits until the source has produced nothing new for a while (it is blocked on a full channel).</summary>
        public async Task WaitUntilStillAsync()
        {
            var last = -1;
            for (var i = 0; i < 200; i++)
            {
                await Task.Delay(25, TestContext.Current.CancellationToken);
                var now = Produced;
                if (now == last) return;
                last = now;
            }

            throw new InvalidOperationException("the source never stopped producing");
        }
    }
}
