using System.Globalization;
using BillingPortal.Core.Common;

namespace BillingPortal.Tests.Unit.Common;

public sealed class DatePeriodTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-31", null)]
    [InlineData("2026-03-31", "2026-03-31", null)]               // one day
    [InlineData("2026-04-01", "2026-03-31", PeriodError.FromAfterTo)]
    [InlineData("2024-01-01", "2024-12-31", null)]               // leap year: 366 days, the maximum
    [InlineData("2026-01-01", "2027-01-01", null)]               // 366 days
    [InlineData("2026-01-01", "2027-01-02", PeriodError.TooLong)] // 367 days
    [InlineData(null, "2026-03-31", PeriodError.FromRequired)]
    [InlineData("2026-03-01", null, PeriodError.ToRequired)]
    [InlineData(null, null, PeriodError.FromRequired)]
    public void Validate_Request_GivesTheRuleBroken(string? from, string? to, PeriodError? expected) =>
        Assert.Equal(expected, DatePeriod.Validate(Parse(from), Parse(to)));

    [Fact]
    public void Days_CountsBothEnds()
    {
        Assert.Equal(1, new DatePeriod(new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31)).Days);
        Assert.Equal(366, new DatePeriod(new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)).Days);
        Assert.Equal(DatePeriod.MaxDays, new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)).Days);
    }

    [Theory]
    [InlineData(2026, 2, "2026-02-01", "2026-02-28")]
    [InlineData(2024, 2, "2024-02-01", "2024-02-29")]
    [InlineData(2026, 12, "2026-12-01", "2026-12-31")]
    public void Month_YearAndMonth_CoversTheWholeMonth(int year, int month, string from, string to) =>
        Assert.Equal(new DatePeriod(Parse(from)!.Value, Parse(to)!.Value), DatePeriod.Month(year, month));

    [Fact]
    public void Contains_BothEndsIncluded()
    {
        var march = DatePeriod.Month(2026, 3);

        Assert.True(march.Contains(new DateOnly(2026, 3, 1)));
        Assert.True(march.Contains(new DateOnly(2026, 3, 31)));
        Assert.False(march.Contains(new DateOnly(2026, 2, 28)));
        Assert.False(march.Contains(new DateOnly(2026, 4, 1)));
    }

    [Fact]
    public void ToString_IsoDates() => Assert.Equal("2026-03-01..2026-03-31", DatePeriod.Month(2026, 3).ToString());

    private static DateOnly? Parse(string? value) => value is null ? null : DateOnly.Parse(value, CultureInfo.InvariantCulture);
}
