using System.Globalization;
using BillingPortal.Core.MercadoPago.Sync;

namespace BillingPortal.Components.Shared;

/// <summary>
/// A page's live subscription to one organizer's payment changes (issue #5 §5): the first change starts a quiet period
/// of <see cref="Debounce"/> (1 s, measured on the <see cref="TimeProvider"/>), every change within it joins, and at its
/// end <c>refresh</c> runs once (the page re-reads its figures through <c>InvokeAsync</c>). <see cref="Watch"/> moves the
/// subscription to another organizer; disposing stops it. A refresh that throws is swallowed here: a failed live
/// update must not break the circuit (the next change or a reload shows the figures).
/// </summary>
public sealed class LivePaymentRefresh(IPaymentChangeNotifier notifier, TimeProvider time, Func<Task> refresh) : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();

    // The page's cultures, taken on its circuit when it creates this: the refresh runs on a timer thread whose culture is
    // the publisher's, and the re-rendered page must keep the person's language and formats.
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private IDisposable? _subscription;
    private ITimer? _timer;
    private int? _organizerId;
    private bool _disposed;

    /// <summary>The organizer watched, if any.</summary>
    public int? OrganizerId => _organizerId;

    /// <summary>Subscribes to <paramref name="organizerId"/>'s changes (no-op if already watching it).</summary>
    public void Watch(int organizerId)
    {
        lock (_gate)
        {
            if (_disposed || _organizerId == organizerId) return;
            _subscription?.Dispose();
            _timer?.Dispose();
            _timer = null;
            _organizerId = organizerId;
            _subscription = notifier.Subscribe(organizerId, OnChangesAsync);
        }
    }

    private Task OnChangesAsync(IReadOnlyList<PaymentChange> changes)
    {
        lock (_gate)
        {
            if (_disposed || _timer is not null) return Task.CompletedTask;
            _timer = time.CreateTimer(_ => Fire(), null, Debounce, Timeout.InfiniteTimeSpan);
        }

        return Task.CompletedTask;
    }

    private void Fire()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_disposed) return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        try
        {
            await refresh();
        }
        catch (Exception)
        {
            // The page or its circuit went away while refreshing, or the read failed: the next change or a reload shows the figures.
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _subscription?.Dispose();
            _subscription = null;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
