using System.Globalization;
namespace BillingPortal.Localization;

/// <summary>The two cultures the portal speaks, and how each writes a date.</summary>
public static class PortalCultures
{
    public const string Spanish = "es-PE";

    public const string English = "en-US";

    public const string Default = Spanish;

    public static readonly IReadOnlyList<string> Supported = [Spanish, English];

    /// <summary>The supported culture name matching <paramref name="culture"/> (case-insensitive), or null.</summary>
    public static string? Match(string? culture) =>
        Supported.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the current UI culture is English.</summary>
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>How dates travel in URLs (<c>?desde=2026-03-01</c>), whatever the language.</summary>
    public const string QueryDateFormat = "yyyy-MM-dd";

    /// <summary>How dates are typed in pickers: dd/MM/yyyy in Spanish, ISO yyyy-MM-dd in English (unambiguous).</summary>
    public static string InputDateFormat => IsEnglish ? QueryDateFormat : "dd/MM/yyyy";

    /// <summary>A local date as the UI shows it: 14/03/2026 in Spanish, 14 Mar 2026 in English.</summary>
    public static string FormatDate(DateOnly date) => IsEnglish
        ? date.ToString("d MMM yyyy", CultureInfo.CurrentCulture)
        : date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A local wall-clock time (already converted by AccountingCalendar) as the UI shows it.</summary>
    public static string FormatDateTime(DateTimeOffset local) => IsEnglish
        ? local.ToString("d MMM yyyy HH:mm", CultureInfo.CurrentCulture)
        : local.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The city of an IANA time zone id, for labels: "America/Lima" is "Lima".</summary>
    public static string ZoneName(string timeZoneId) =>
        timeZoneId[(timeZoneId.LastIndexOf('/') + 1)..].Replace('_', ' ');

    /// <summary>Formats a date for a URL query.</summary>
    public static string ToQuery(DateOnly date) => date.ToString(QueryDateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses a URL query date; anything but an exact yyyy-MM-dd is null.</summary>
    public static DateOnly? FromQuery(string? value) =>
        DateOnly.TryParseExact(value, QueryDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
