using BillingPortal.Core.Common;
using BillingPortal.Core.Reporting;

namespace BillingPortal.Components.Shared;

/// <summary>
/// The quick periods offered next to the date pickers (<see cref="DashboardPeriods.Of"/> gives their dates from "today"
/// in the organizer's calendar), their labels, test ids and the Spanish slugs the URL carries (<c>?preset=</c>).
/// </summary>
public static class PeriodPresets
{
    private static readonly (PeriodPreset Preset, string Slug, string TestId, string LabelKey)[] All =
    [
        (PeriodPreset.Today, "hoy", "today", "Dashboard.Preset.Today"),
        (PeriodPreset.Last7Days, "ultimos-7-dias", "last-7-days", "Dashboard.Preset.Last7Days"),
        (PeriodPreset.Last30Days, "ultimos-30-dias", "last-30-days", "Period.Last30Days"),
        (PeriodPreset.ThisMonth, "este-mes", "this-month", "Period.ThisMonth"),
        (PeriodPreset.PreviousMonth, "mes-anterior", "previous-month", "Period.PreviousMonth"),
        (PeriodPreset.ThisYear, "este-anio", "this-year", "Period.ThisYear"),
        (PeriodPreset.Custom, "personalizado", "custom", "Dashboard.Preset.Custom"),
    ];

    /// <summary>Today's date in <paramref name="calendar"/> (never the server's clock or time zone).</summary>
    public static DateOnly Today(TimeProvider time, AccountingCalendar calendar) => calendar.LocalDate(time.GetUtcNow());

    /// <summary>The slug of a preset in the URL (<c>este-mes</c>, <c>mes-anterior</c>, …).</summary>
    public static string Slug(PeriodPreset preset) => All.First(p => p.Preset == preset).Slug;

    /// <summary>The preset named by a URL slug, or null for an unknown or missing one.</summary>
    public static PeriodPreset? FromSlug(string? slug) =>
        All.Where(p => string.Equals(p.Slug, slug, StringComparison.OrdinalIgnoreCase)).Select(p => (PeriodPreset?)p.Preset).FirstOrDefault();

    /// <summary>The preset's button test id suffix (<c>preset-this-month</c>).</summary>
    public static string TestId(PeriodPreset preset) => All.First(p => p.Preset == preset).TestId;

    /// <summary>The resource key of the preset's label.</summary>
    public static string LabelKey(PeriodPreset preset) => All.First(p => p.Preset == preset).LabelKey;

    /// <summary>
    /// The preset whose dates on <paramref name="today"/> are exactly <paramref name="period"/> (a link without
    /// <c>preset=</c> still highlights the right button), or <see cref="PeriodPreset.Custom"/>.
    /// </summary>
    public static PeriodPreset Match(DatePeriod period, DateOnly today) =>
        All.Select(p => p.Preset).Where(p => p != PeriodPreset.Custom).FirstOrDefault(p => DashboardPeriods.Of(p, today) == period, PeriodPreset.Custom);
}
