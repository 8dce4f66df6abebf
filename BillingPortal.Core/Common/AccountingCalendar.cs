namespace BillingPortal.Core.Common;

/// <summary>
/// Calendar notions in an organizer's accounting time zone (America/Lima by default, UTC−5, no DST).
/// Instants are stored in UTC; a date period <c>from..to</c> covers <c>[from 00:00, to+1 00:00)</c> local.
/// </summary>
public sealed class AccountingCalendar
{
    /// <summary>The default accounting time zone id.</summary>
    public const string LimaTimeZoneId = "America/Lima";

    private static readonly Lazy<AccountingCalendar> LimaInstance = new(() => new AccountingCalendar(LimaTimeZoneId));
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AccountingCalendar> ByZone = new(StringComparer.Ordinal);

    public AccountingCalendar(string timeZoneId)
    {
        TimeZoneId = timeZoneId;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
    }

    /// <summary>The calendar of America/Lima.</summary>
    public static AccountingCalendar Lima => LimaInstance.Value;

    /// <summary>The calendar of a time zone id (an organizer's accounting time zone), shared and cached.</summary>
    public static AccountingCalendar For(string timeZoneId) =>
        timeZoneId == LimaTimeZoneId ? Lima : ByZone.GetOrAdd(timeZoneId, id => new AccountingCalendar(id));

    public string TimeZoneId { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The local calendar date of a UTC instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>The instant as local wall-clock time with its offset.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>The UTC instant at which a local date starts (00:00 local).</summary>
    public DateTimeOffset StartOfDayUtc(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var offset = TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The half-open UTC range <c>[from 00:00, to+1 00:00)</c> covering both dates whole.</summary>
    public (DateTimeOffset StartUtc, DateTimeOffset EndUtcExclusive) Range(DatePeriod period) =>
        (StartOfDayUtc(period.From), StartOfDayUtc(period.To.AddDays(1)));
}
