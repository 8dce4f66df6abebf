namespace BillingPortal.Core.Common;

/// <summary>A period of whole local dates, both ends included.</summary>
public sealed record DatePeriod(DateOnly From, DateOnly To)
{
    /// <summary>The longest period a user may ask for (a leap year).</summary>
    public const int MaxDays = 366;

    /// <summary>Number of days covered, both ends included.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>
    /// Validates a requested period: from ≤ to and at most <see cref="MaxDays"/> days.
    /// Returns null when valid, otherwise the rule that failed (for the caller to localise).
    /// </summary>
    public static PeriodError? Validate(DateOnly? from, DateOnly? to)
    {
        if (from is null) return PeriodError.FromRequired;
        if (to is null) return PeriodError.ToRequired;
        if (from > to) return PeriodError.FromAfterTo;
        if (to.Value.DayNumber - from.Value.DayNumber + 1 > MaxDays) return PeriodError.TooLong;
        return null;
    }

    /// <summary>The calendar month containing a date.</summary>
    public static DatePeriod Month(int year, int month) =>
        new(new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1).AddDays(-1));

    public bool Contains(DateOnly date) => date >= From && date <= To;

    public override string ToString() => $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}";
}

/// <summary>Why a requested period is not acceptable.</summary>
public enum PeriodError
{
    FromRequired,
    ToRequired,
    FromAfterTo,
    TooLong,
}
