namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>
/// Which <c>date_last_updated</c> range a run reads (mercadopago-api.md §3.2): search only returns the last 12 months
/// and refuses a range of 365 days or more (error 9062), so ranges are cut into windows under 365 days.
/// </summary>
internal static class SyncWindows
{
    /// <summary>The first sync (and any cursor older than this) starts at now − 365 days + 1 hour: inside the 12 months search covers.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(365) - TimeSpan.FromHours(1);

    /// <summary>The widest window one search asks for (under Mercado Pago's 365 days).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(365) - TimeSpan.FromHours(1);

    /// <summary>
    /// The range of a run: incremental and manual runs from cursor − overlap (the first time: the horizon), a
    /// reconciliation the last <see cref="PaymentSyncOptions.ReconciliationDays"/>; always up to <paramref name="now"/>
    /// and never before the horizon.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(SyncRunKind kind, DateTimeOffset? cursor, DateTimeOffset now, PaymentSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var horizon = now - Horizon;
        var from = kind switch
        {
            SyncRunKind.Reconciliation => now - TimeSpan.FromDays(options.ReconciliationDays),
            SyncRunKind.Incremental or SyncRunKind.Manual => cursor is { } c ? c - options.Overlap : horizon,
        };
        if (from < horizon) from = horizon;
        if (from > now) from = now;
        return (from, now);
    }

    /// <summary>The window span a run uses: <see cref="PaymentSyncOptions.WindowDays"/>, never beyond <see cref="MaxWindow"/>.</summary>
    public static TimeSpan WindowSpan(PaymentSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var span = TimeSpan.FromDays(Math.Max(1, options.WindowDays));
        return span < MaxWindow ? span : MaxWindow;
    }

    /// <summary>Cuts [<paramref name="from"/>, <paramref name="to"/>] into consecutive windows of at most <paramref name="maxWindow"/>.</summary>
    public static IReadOnlyList<(DateTimeOffset Begin, DateTimeOffset End)> Split(DateTimeOffset from, DateTimeOffset to, TimeSpan maxWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxWindow, TimeSpan.Zero);
        var windows = new List<(DateTimeOffset, DateTimeOffset)>();
        var begin = from;
        do
        {
            var end = to - begin > maxWindow ? begin + maxWindow : to;
            windows.Add((begin, end));
            begin = end;
        }
        while (begin < to);
        return windows;
    }
}

/// <summary>
/// Paging through one window sorted by <c>date_last_updated</c> ascending: by offset up to
/// <see cref="PaymentSyncOptions.MaxOffset"/>, then a new window that begins at the last <c>date_last_updated</c> seen
/// (offset 0). The window also restarts there when <c>paging.total</c> changes between pages: a payment updated during
/// the run leaves the window (its new date is after the window's end) and every later one moves up a place, so
/// continuing by offset would skip one. Both bounds are inclusive, so a restart reads the last instant again; the upsert
/// is idempotent. A restart that would not move forward (every payment so far has the same instant) keeps paging by
/// offset instead of looping.
/// </summary>
internal sealed class SyncPager(DateTimeOffset begin, DateTimeOffset end, int pageSize, int maxOffset)
{
    private long? _total;
    private DateTimeOffset? _lastSeen;

    public DateTimeOffset Begin { get; private set; } = begin;

    public DateTimeOffset End { get; } = end;

    public int Offset { get; private set; }

    public int PageSize { get; } = pageSize;

    public bool Done { get; private set; }

    /// <summary>How many times the window restarted at a later instant.</summary>
    public int Rewindows { get; private set; }

    /// <summary>Pages asked past the maximum offset because a restart could not move forward.</summary>
    public int DeepPages { get; private set; }

    /// <summary>Takes one page's results (their <c>date_last_updated</c>) and <c>paging.total</c>; moves to the next page.</summary>
    public void Advance(IReadOnlyList<DateTimeOffset> lastUpdated, long total)
    {
        ArgumentNullException.ThrowIfNull(lastUpdated);
        if (Done) throw new InvalidOperationException("The window is already read.");
        foreach (var instant in lastUpdated)
        {
            if (_lastSeen is null || instant > _lastSeen) _lastSeen = instant;
        }

        var shifted = _total is { } previous && previous != total;
        _total = total;
        Offset += lastUpdated.Count;
        if (shifted && TryRewindow()) return;
        if (lastUpdated.Count == 0 || Offset >= total)
        {
            Done = true;
            return;
        }

        if (Offset < maxOffset || TryRewindow()) return;
        DeepPages++;
    }

    private bool TryRewindow()
    {
        if (_lastSeen is not { } lastSeen || lastSeen <= Begin) return false;
        Begin = lastSeen;
        Offset = 0;
        _total = null;
        Rewindows++;
        return true;
    }
}
