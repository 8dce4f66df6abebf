using System.Collections.Concurrent;
using BillingPortal.Core.MercadoPago.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace BillingPortal.Tests.Unit.MercadoPago.Notifier;

/// <summary>
/// The in-process payment change notifier: per-organizer delivery, a publisher that never waits for a subscriber,
/// coalescing for busy subscribers, isolation from throwing ones, unsubscribe, and many threads at once.
/// </summary>
public sealed class PaymentChangeNotifierTests
{
    /// <summary>A deadlock guard for waits that must end (never a speed requirement).</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static readonly DateTimeOffset At = new(2026, 3, 20, 15, 0, 0, TimeSpan.Zero);

    private readonly PaymentChangeNotifier _notifier = new(NullLogger<PaymentChangeNotifier>.Instance);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PaymentChange Change(int organizerId, long paymentId) => new(organizerId, paymentId, PaymentUpsertResult.Created, At);

    [Fact]
    public async Task Publish_ChangesOfTwoOrganizers_EachSubscriberGetsOnlyItsOrganizers()
    {
        var first = new Recorder();
        var second = new Recorder();
        using var a = _notifier.Subscribe(1, first.OnChangesAsync);
        using var b = _notifier.Subscribe(2, second.OnChangesAsync);

        _notifier.Publish([Change(1, 10), Change(2, 20), Change(1, 11), Change(3, 30)]);

        await first.WaitForAsync(2);
        await second.WaitForAsync(1);
        Assert.Equal([10L, 11L], first.PaymentIds);
        Assert.Equal([20L], second.PaymentIds);
        Assert.All(first.Batches.SelectMany(c => c), c => Assert.Equal(1, c.OrganizerId));
    }

    [Fact]
    public async Task Publish_WhileTheSubscriberIsBusy_ReturnsAndLaterChangesArriveInOneCall()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder(firstCall: gate.Task);
        using var subscription = _notifier.Subscribe(7, recorder.OnChangesAsync);
        _notifier.Publish([Change(7, 1)]);
        await recorder.WaitForCallsAsync(1);

        // The subscriber is stuck in its first call: publishing must still return, on this thread, at once.
        var publishing = Task.Run(() =>
        {
            _notifier.Publish([Change(7, 2)]);
            _notifier.Publish([Change(7, 3), Change(7, 4)]);
        }, Ct);
        await publishing.WaitAsync(Guard, Ct);
        Assert.Equal(1, recorder.Calls);

        gate.SetResult();
        await recorder.WaitForAsync(4);
        Assert.Equal(2, recorder.Calls);
        Assert.Equal([2L, 3L, 4L], recorder.Batches[1].Select(c => c.PaymentId));
    }

    [Fact]
    public async Task Publish_ASubscriberThrows_OthersStillGetItAndItStaysSubscribed()
    {
        var failing = new Recorder(fail: true);
        var healthy = new Recorder();
        using var a = _notifier.Subscribe(5, failing.OnChangesAsync);
        using var b = _notifier.Subscribe(5, healthy.OnChangesAsync);

        _notifier.Publish([Change(5, 1)]);
        await failing.WaitForCallsAsync(1);
        await healthy.WaitForAsync(1);
        _notifier.Publish([Change(5, 2)]);

        await failing.WaitForCallsAsync(2);
        await healthy.WaitForAsync(2);
        Assert.Equal([1L, 2L], healthy.PaymentIds);
        Assert.Equal([1L, 2L], failing.PaymentIds);
    }

    [Fact]
    public async Task Dispose_TheSubscription_NothingMoreIsDeliveredAndItIsRemoved()
    {
        var recorder = new Recorder();
        var other = new Recorder();
        var subscription = _notifier.Subscribe(9, recorder.OnChangesAsync);
        using var keep = _notifier.Subscribe(9, other.OnChangesAsync);
        _notifier.Publish([Change(9, 1)]);
        await recorder.WaitForAsync(1);
        Assert.Equal(2, _notifier.SubscriberCount);

        subscription.Dispose();
        _notifier.Publish([Change(9, 2)]);
        await other.WaitForAsync(2);

        Assert.Equal([1L], recorder.PaymentIds);
        Assert.Equal(1, _notifier.SubscriberCount);
    }

    [Fact]
    public async Task Publish_ABusySubscriberFallsFarBehind_KeepsOnlyTheNewestChanges()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder(firstCall: gate.Task);
        using var subscription = _notifier.Subscribe(4, recorder.OnChangesAsync);
        _notifier.Publish([Change(4, 0)]);
        await recorder.WaitForCallsAsync(1);

        var backlog = PaymentChangeNotifier.MaxPendingPerSubscriber + 500;
        for (var i = 1; i <= backlog; i++) _notifier.Publish([Change(4, i)]);
        gate.SetResult();

        await recorder.WaitForCallsAsync(2);
        var second = recorder.Batches[1];
        Assert.Equal(PaymentChangeNotifier.MaxPendingPerSubscriber, second.Count);
        Assert.Equal(backlog, second[^1].PaymentId);
        Assert.Equal(backlog - PaymentChangeNotifier.MaxPendingPerSubscriber + 1, second[0].PaymentId);
    }

    [Fact]
    public async Task Publish_ManyThreadsPublishingAndSubscribing_EveryChangeArrivesExactlyOnce()
    {
        var recorder = new Recorder();
        using var subscription = _notifier.Subscribe(3, recorder.OnChangesAsync);
        var churn = Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++) _notifier.Subscribe(3, _ => Task.CompletedTask).Dispose();
        }, Ct);

        // 800 changes in all: fewer than a subscriber may fall behind by, so none is dropped.
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), Ct, (thread, _) =>
        {
            for (var i = 0; i < 100; i++) _notifier.Publish([Change(3, (thread * 1_000) + i)]);
            return ValueTask.CompletedTask;
        });
        await churn.WaitAsync(Guard, Ct);

        await recorder.WaitForAsync(800);
        Assert.Equal(800, recorder.PaymentIds.Distinct().Count());
        Assert.Equal(800, recorder.PaymentIds.Count);
        Assert.Equal(1, _notifier.SubscriberCount);
    }

    /// <summary>A subscriber that records every call; optionally blocks its first call or throws after recording.</summary>
    private sealed class Recorder(Task? firstCall = null, bool fail = false)
    {
        private readonly ConcurrentQueue<IReadOnlyList<PaymentChange>> _batches = new();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public List<IReadOnlyList<PaymentChange>> Batches => [.. _batches];

        public List<long> PaymentIds => [.. _batches.SelectMany(b => b).Select(c => c.PaymentId)];

        public async Task OnChangesAsync(IReadOnlyList<PaymentChange> changes)
        {
            _batches.Enqueue([.. changes]);
            if (Interlocked.Increment(ref _calls) == 1 && firstCall is not null) await firstCall;
            if (fail) throw new InvalidOperationException("subscriber failure (test)");
        }

        public Task WaitForCallsAsync(int calls) => WaitUntilAsync(() => Calls >= calls);

        public Task WaitForAsync(int changes) => WaitUntilAsync(() => _batches.Sum(b => b.Count) >= changes);

        private static async Task WaitUntilAsync(Func<bool> condition)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(Guard);
            while (!condition()) await Task.Delay(10, timeout.Token);
        }
    }
}
