using System.Globalization;
using BillingPortal.Core.Common;

namespace BillingPortal.Tests.Unit.Common;

/// <summary>Calendar notions in America/Lima (UTC−5, no daylight saving): days start at 05:00 UTC.</summary>
public sealed class AccountingCalendarTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-01T05:00:00Z")]
    [InlineData("2026-04-01", "2026-04-01T05:00:00Z")]
    [InlineData("2026-07-15", "2026-07-15T05:00:00Z")] // no DST in July either
    [InlineData("2027-01-01", "2027-01-01T05:00:00Z")]
    public void StartOfDayUtc_LimaDate_Is0500Utc(string date, string expectedUtc)
    {
        var start = AccountingCalendar.Lima.StartOfDayUtc(DateOnly.Parse(date, CultureInfo.InvariantCulture));

        Assert.Equal(At(expectedUtc), start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void Range_March_IsHalfOpenFromFirstToFirstOfApril()
    {
        var (start, end) = AccountingCalendar.Lima.Range(DatePeriod.Month(2026, 3));

        Assert.Equal(At("2026-03-01T05:00:00Z"), start);
        Assert.Equal(At("2026-04-01T05:00:00Z"), end);
    }

    [Fact]
    public void Range_SingleDay_Is24Hours()
    {
        var day = new DateOnly(2026, 3, 31);

        var (start, end) = AccountingCalendar.Lima.Range(new DatePeriod(day, day));

        Assert.Equal(TimeSpan.FromHours(24), end - start);
        Assert.Equal(At("2026-03-31T05:00:00Z"), start);
    }

    [Theory]
    [InlineData("2026-03-31T23:59:59-05:00", "2026-03-31")]
    [InlineData("2026-04-01T00:00:00-05:00", "2026-04-01")]
    [InlineData("2026-04-01T04:59:59Z", "2026-03-31")]
    [InlineData("2026-04-01T05:00:00Z", "2026-04-01")]
    [InlineData("2026-03-31T23:30:00.000-04:00", "2026-03-31")] // 22:30 Lima
    [InlineData("2026-04-01T00:30:00-04:00", "2026-03-31")]     // 23:30 Lima
    [InlineData("2026-04-01T01:00:00-04:00", "2026-04-01")]     // 00:00 Lima
    public void LocalDate_Instant_IsTheLimaDate(string instant, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, CultureInfo.InvariantCulture), AccountingCalendar.Lima.LocalDate(At(instant)));

    [Fact]
    public void ToLocal_MercadoPagoOffset_ShowsLimaWallClock()
    {
        var local = AccountingCalendar.Lima.ToLocal(At("2026-03-31T23:30:00.000-04:00"));

        Assert.Equal(new DateTime(2026, 3, 31, 22, 30, 0), local.DateTime);
        Assert.Equal(TimeSpan.FromHours(-5), local.Offset);
    }

    [Fact]
    public void Range_AndLocalDate_Agree()
    {
        // Every instant in [start, end) of a period has a local date inside the period, and the ends are exact.
        var period = DatePeriod.Month(2026, 3);
        var (start, end) = AccountingCalendar.Lima.Range(period);

        Assert.True(period.Contains(AccountingCalendar.Lima.LocalDate(start)));
        Assert.True(period.Contains(AccountingCalendar.Lima.LocalDate(end.AddTicks(-1))));
        Assert.False(period.Contains(AccountingCalendar.Lima.LocalDate(end)));
        Assert.False(period.Contains(AccountingCalendar.Lima.LocalDate(start.AddTicks(-1))));
    }

    [Fact]
    public void Lima_IsTheDefaultZone()
    {
        Assert.Equal("America/Lima", AccountingCalendar.Lima.TimeZoneId);
        Assert.Same(AccountingCalendar.Lima, AccountingCalendar.Lima);
    }

    [Fact]
    public void OtherZone_UsesItsOwnOffset()
    {
        var madrid = new AccountingCalendar("Europe/Madrid");

        Assert.Equal(At("2026-01-14T23:00:00Z"), madrid.StartOfDayUtc(new DateOnly(2026, 1, 15))); // UTC+1 in winter
        Assert.Equal(At("2026-07-14T22:00:00Z"), madrid.StartOfDayUtc(new DateOnly(2026, 7, 15))); // UTC+2 in summer
        Assert.Equal(new DateOnly(2026, 1, 16), madrid.LocalDate(At("2026-01-15T23:30:00Z")));
    }

    [Fact]
    public void For_LimaAndOtherZones_ReturnsOneSharedCalendarPerZone()
    {
        var madrid = AccountingCalendar.For("Europe/Madrid");

        Assert.Same(AccountingCalendar.Lima, AccountingCalendar.For(AccountingCalendar.LimaTimeZoneId));
        Assert.Same(madrid, AccountingCalendar.For("Europe/Madrid"));
        Assert.Equal("Europe/Madrid", madrid.TimeZoneId);
        Assert.Equal(new DateOnly(2026, 1, 16), madrid.LocalDate(At("2026-01-15T23:30:00Z")));
    }

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
