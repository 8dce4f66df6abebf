using BillingPortal.Core.Common;

namespace BillingPortal.Components.Shared;

/// <summary>The quick periods offered next to the date pickers, from "today" in the organizer's calendar.</summary>
public static class PeriodPresets
{
    /// <summary>Today's date in <paramref name="calendar"/> (never the server's clock or time zone).</summary>
    public static DateOnly Today(TimeProvider time, AccountingCalendar calendar) => calendar.LocalDate(time.GetUtcNow());

    /// <summary>The whole calendar month containing <paramref name="today"/>.</summary>
    public static DatePeriod ThisMonth(DateOnly today) => DatePeriod.Month(today.Year, today.Month);

    /// <summary>The whole calendar month before the one containing <paramref name="today"/>.</summary>
    public static DatePeriod PreviousMonth(DateOnly today)
    {
        var previous = today.AddMonths(-1);
        return DatePeriod.Month(previous.Year, previous.Month);
    }

    /// <summary>The 30 days ending today, both included.</summary>
    public static DatePeriod Last30Days(DateOnly today) => new(today.AddDays(-29), today);

    /// <summary>The whole calendar year containing <paramref name="today"/>.</summary>
    public static DatePeriod ThisYear(DateOnly today) => new(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31));
}
