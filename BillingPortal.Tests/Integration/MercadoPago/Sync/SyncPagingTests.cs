using BillingPortal.Core.MercadoPago.Sync;

namespace BillingPortal.Tests.Integration.MercadoPago.Sync;

/// <summary>The engine's window and paging rules, without I/O.</summary>
public sealed class SyncPagingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PaymentSyncOptions Options = new();

    [Fact]
    public void Range_FirstIncremental_StartsAtNowMinus365DaysPlusOneHour()
    {
        var (from, to) = SyncWindows.Range(SyncRunKind.Incremental, null, Now, Options);

        Assert.Equal(Now - TimeSpan.FromDays(365) + TimeSpan.FromHours(1), from);
        Assert.Equal(Now, to);
        Assert.True(to - from < TimeSpan.FromDays(365));
    }

    [Theory]
    [InlineData(SyncRunKind.Incremental)]
    [InlineData(SyncRunKind.Manual)]
    public void Range_WithCursor_StartsAtCursorMinusOverlap(SyncRunKind kind)
    {
        var cursor = Now - TimeSpan.FromHours(3);

        var (from, _) = SyncWindows.Range(kind, cursor, Now, Options);

        Assert.Equal(cursor - TimeSpan.FromMinutes(10), from);
    }

    [Fact]
    public void Range_CursorOlderThanSearchCovers_ClampedToTheHorizon()
    {
        var (from, _) = SyncWindows.Range(SyncRunKind.Incremental, Now - TimeSpan.FromDays(500), Now, Options);

        Assert.Equal(Now - SyncWindows.Horizon, from);
    }

    [Fact]
    public void Range_Reconciliation_LastThirtyDaysWhateverTheCursor()
    {
        var (from, to) = SyncWindows.Range(SyncRunKind.Reconciliation, Now - TimeSpan.FromMinutes(1), Now, Options);

        Assert.Equal((Now - TimeSpan.FromDays(30), Now), (from, to));
    }

    [Fact]
    public void Split_LongRange_ConsecutiveWindowsEachUnder365Days()
    {
        var from = Now - TimeSpan.FromDays(800);

        var windows = SyncWindows.Split(from, Now, SyncWindows.MaxWindow);

        Assert.Equal(3, windows.Count);
        Assert.Equal(from, windows[0].Begin);
        Assert.Equal(Now, windows[^1].End);
        Assert.All(windows, w => Assert.True(w.End - w.Begin < TimeSpan.FromDays(365)));
        for (var i = 1; i < windows.Count; i++) Assert.Equal(windows[i - 1].End, windows[i].Begin);
    }

    [Fact]
    public void WindowSpan_DefaultMonthAndNeverBeyondMercadoPagosLimit()
    {
        Assert.Equal(TimeSpan.FromDays(31), SyncWindows.WindowSpan(Options));
        Assert.True(SyncWindows.WindowSpan(new PaymentSyncOptions { WindowDays = 364 }) < TimeSpan.FromDays(365));
        Assert.Equal(12, SyncWindows.Split(Now - SyncWindows.Horizon, Now, SyncWindows.WindowSpan(Options)).Count);
    }

    [Fact]
    public void Split_ShortRange_OneWindow()
    {
        Assert.Equal([(Now - TimeSpan.FromHours(1), Now)], SyncWindows.Split(Now - TimeSpan.FromHours(1), Now, SyncWindows.MaxWindow));
    }

    [Fact]
    public void Pager_PagesByOffsetUntilTheTotal()
    {
        var pager = new SyncPager(Now - TimeSpan.FromDays(1), Now, pageSize: 2, maxOffset: 100);

        pager.Advance([At(1), At(2)], total: 5);
        Assert.Equal((2, false), (pager.Offset, pager.Done));
        pager.Advance([At(3), At(4)], total: 5);
        Assert.Equal(4, pager.Offset);
        pager.Advance([At(5)], total: 5);

        Assert.True(pager.Done);
        Assert.Equal(0, pager.Rewindows);
    }

    [Fact]
    public void Pager_ReachingMaxOffset_RestartsAtTheLastInstantSeen()
    {
        var pager = new SyncPager(Now - TimeSpan.FromDays(1), Now, pageSize: 2, maxOffset: 4);

        pager.Advance([At(1), At(2)], total: 9);
        pager.Advance([At(3), At(4)], total: 9);

        Assert.Equal((At(4), 0, 1), (pager.Begin, pager.Offset, pager.Rewindows));
        Assert.False(pager.Done);
    }

    [Fact]
    public void Pager_TotalShrinksBetweenPages_RestartsInsteadOfSkipping()
    {
        var pager = new SyncPager(Now - TimeSpan.FromDays(1), Now, pageSize: 2, maxOffset: 100);

        pager.Advance([At(1), At(2)], total: 9);
        pager.Advance([At(4), At(5)], total: 8);

        Assert.Equal((At(5), 0, 1), (pager.Begin, pager.Offset, pager.Rewindows));
        Assert.False(pager.Done);
    }

    [Fact]
    public void Pager_TotalShrinksOnTheLastPage_StillRestartsOnce()
    {
        var pager = new SyncPager(Now - TimeSpan.FromDays(1), Now, pageSize: 2, maxOffset: 100);

        pager.Advance([At(1), At(2)], total: 4);
        pager.Advance([At(4)], total: 3);

        Assert.False(pager.Done);
        Assert.Equal(At(4), pager.Begin);
    }

    [Fact]
    public void Pager_PagesFullOfOneInstantBeyondMaxOffset_KeepsPagingInsteadOfLooping()
    {
        var begin = At(1);
        var pager = new SyncPager(begin, Now, pageSize: 2, maxOffset: 4);

        for (var i = 0; i < 5 && !pager.Done; i++) pager.Advance([begin, begin], total: 10);

        Assert.True(pager.Done);
        Assert.Equal(begin, pager.Begin);
        Assert.Equal(0, pager.Rewindows);
        Assert.True(pager.DeepPages > 0);
    }

    [Fact]
    public void Pager_EmptyPage_Done()
    {
        var pager = new SyncPager(Now - TimeSpan.FromDays(1), Now, pageSize: 2, maxOffset: 4);

        pager.Advance([], total: 0);

        Assert.True(pager.Done);
        Assert.Throws<InvalidOperationException>(() => pager.Advance([], 0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(7, 60)]
    [InlineData(50, 60)]
    public void Backoff_DoublesFromTheBaseUpToTheMaximum(int failures, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), PaymentSyncEngine.Backoff(failures, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
    }

    private static DateTimeOffset At(int minute) => Now - TimeSpan.FromHours(2) + TimeSpan.FromMinutes(minute);
}
