using BillingPortal.Core.Common;
using BillingPortal.Core.Statements;

namespace BillingPortal.Core.Caching;

/// <summary>What an entry is, for its lifetime: the dashboard's figures or a statement file.</summary>
public enum ReportCacheKind
{
    Dashboard,
    Statement,
}

/// <summary>A cache key: always the organizer's (its id opens the key and names its tag), the kind, and the text.</summary>
public readonly record struct ReportCacheKey(int OrganizerId, ReportCacheKind Kind, string Value)
{
    public override string ToString() => Value;
}

/// <summary>
/// The keys of every cached report. Each starts with <c>r1:org:{organizer}:</c> (ids are integers and the colon ends
/// them, so organizer 1 never shares a prefix with organizer 12), then what was asked: the period (from and to), the event
/// (<c>-</c> for all), the comparison period, the format and CSV separator, and, for anything that depends on «now»
/// (the balance, the events' state, a statement's date), the Lima date, so nothing of yesterday is served today.
/// <c>r1</c> is the layout's version: bump it when a cached type changes shape.
/// </summary>
public static class ReportCacheKeys
{
    private const string Version = "r1";

    public static ReportCacheKey Dashboard(int organizerId, DatePeriod period, int? eventId, DatePeriod? comparison, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(period);
        return new(organizerId, ReportCacheKind.Dashboard, string.Create(CultureInfo.InvariantCulture,
            $"{Prefix(organizerId)}dashboard:{Period(period)}:ev:{Event(eventId)}:cmp:{(comparison is null ? "auto" : Period(comparison))}:on:{Day(today)}"));
    }

    public static ReportCacheKey Summary(int organizerId, DatePeriod period, int? eventId)
    {
        ArgumentNullException.ThrowIfNull(period);
        return new(organizerId, ReportCacheKind.Dashboard, string.Create(CultureInfo.InvariantCulture,
            $"{Prefix(organizerId)}summary:{Period(period)}:ev:{Event(eventId)}"));
    }

    public static ReportCacheKey Balance(int organizerId, int? eventId, DateOnly today) =>
        new(organizerId, ReportCacheKind.Dashboard, string.Create(CultureInfo.InvariantCulture,
            $"{Prefix(organizerId)}balance:ev:{Event(eventId)}:on:{Day(today)}"));

    public static ReportCacheKey Events(int organizerId, DatePeriod? period, DateOnly today) =>
        new(organizerId, ReportCacheKind.Dashboard, string.Create(CultureInfo.InvariantCulture,
            $"{Prefix(organizerId)}events:{(period is null ? "all" : Period(period))}:on:{Day(today)}"));

    public static ReportCacheKey Event(int organizerId, int eventId, DatePeriod? period, DateOnly today) =>
        new(organizerId, ReportCacheKind.Dashboard, string.Create(CultureInfo.InvariantCulture,
            $"{Prefix(organizerId)}event:{eventId}:{(period is null ? "all" : Period(period))}:on:{Day(today)}"));

    /// <summary>A statement file: the separator only matters for CSV (a PDF or Excel file is the same whatever the form said).</summary>
    public static ReportCacheKey Statement(StatementRequest request, StatementFormat format, char separator, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sep = format == StatementFormat.Csv ? (separator == ';' ? "semicolon" : "comma") : "-";
        return new(request.OrganizerId, ReportCacheKind.Statement, string.Create(CultureInfo.InvariantCulture,
            $"{Prefix(request.OrganizerId)}statement:{Period(request.Period)}:ev:{Event(request.EventId)}:fmt:{StatementExports.Extension(format)}:sep:{sep}:on:{Day(today)}"));
    }

    /// <summary>The tag every entry of an organizer carries (<see cref="ReportCache.InvalidateOrganizerAsync"/> removes by it).</summary>
    public static string OrganizerTag(int organizerId) => "org:" + organizerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tag every report entry carries (<see cref="ReportCache.InvalidateAllAsync"/>).</summary>
    public const string AllTag = "reports";

    private static string Prefix(int organizerId) => string.Create(CultureInfo.InvariantCulture, $"{Version}:org:{organizerId}:");

    private static string Period(DatePeriod period) => string.Create(CultureInfo.InvariantCulture, $"{period.From:yyyyMMdd}-{period.To:yyyyMMdd}");

    private static string Event(int? eventId) => eventId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "-";

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
