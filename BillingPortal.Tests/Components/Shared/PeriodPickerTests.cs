using BillingPortal.Components.Shared;
using BillingPortal.Core.Common;
using Bunit;

namespace BillingPortal.Tests.Components.Shared;

public sealed class PeriodPickerTests : MudTestContext
{
    private const string FromAfterTo = "La fecha «Desde» no puede ser posterior a «Hasta».";
    private const string TooLong = "El período no puede superar 366 días.";
    private const string FromRequired = "Indique la fecha «Desde».";
    private const string ToRequired = "Indique la fecha «Hasta».";

    private readonly List<DatePeriod?> _raised = [];

    private IRenderedComponent<PeriodPicker> RenderPicker(DateOnly? from, DateOnly? to) =>
        Render<PeriodPicker>(p => p
            .Add(c => c.From, from)
            .Add(c => c.To, to)
            .Add(c => c.PeriodChanged, (DatePeriod? period) => _raised.Add(period)));

    private static string Errors(IRenderedComponent<PeriodPicker> cut) =>
        string.Join(" | ", cut.FindAll("#period-from-error, #period-to-error").Select(e => e.TextContent.Trim()));

    private static Task TypeAsync(IRenderedComponent<PeriodPicker> cut, string field, string text) =>
        cut.InvokeAsync(() => cut.Find($"input[data-testid={field}]").Change(text));

    [Fact]
    public void PeriodPicker_ValidPeriod_ShowsNoMessage()
    {
        var cut = RenderPicker(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

        Assert.Equal("", Errors(cut));
        Assert.Equal("01/03/2026", cut.Find("input[data-testid=period-from]").GetAttribute("value"));
        Assert.Equal("31/03/2026", cut.Find("input[data-testid=period-to]").GetAttribute("value"));
        Assert.Empty(_raised);
    }

    [Fact]
    public void PeriodPicker_FromAfterTo_ShowsMessageNextToDesde()
    {
        var cut = RenderPicker(new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 1));

        Assert.Equal(FromAfterTo, Errors(cut));
        Assert.Equal("period-from-error", cut.Find("input[data-testid=period-from]").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void PeriodPicker_LongerThan366Days_ShowsMessageNextToHasta()
    {
        var cut = RenderPicker(new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 2));

        Assert.Equal(TooLong, Errors(cut));
        Assert.Equal("period-to-error", cut.Find("input[data-testid=period-to]").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void PeriodPicker_Exactly366Days_IsValid()
    {
        var cut = RenderPicker(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));

        Assert.Equal("", Errors(cut));
    }

    [Fact]
    public void PeriodPicker_MissingDates_ShowsBothRequiredMessages()
    {
        var cut = RenderPicker(null, null);

        Assert.Equal($"{FromRequired} | {ToRequired}", Errors(cut));
    }

    [Fact]
    public async Task PeriodPicker_UserTypesInvalidPeriods_RaisesNoPeriodUntilValid()
    {
        var cut = RenderPicker(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

        await TypeAsync(cut, "period-from", "15/04/2026");
        Assert.Equal(FromAfterTo, Errors(cut));

        await TypeAsync(cut, "period-from", "01/01/2025");
        Assert.Equal(TooLong, Errors(cut));

        await TypeAsync(cut, "period-from", "");
        Assert.Equal(FromRequired, Errors(cut));

        Assert.NotEmpty(_raised);
        Assert.All(_raised, Assert.Null);

        await TypeAsync(cut, "period-from", "02/03/2026");
        Assert.Equal("", Errors(cut));
        Assert.Equal(new DatePeriod(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 31)), _raised[^1]);
        Assert.Single(_raised, p => p is not null);
    }

    [Theory]
    [InlineData("preset-today", "2026-03-20", "2026-03-20")]
    [InlineData("preset-last-7-days", "2026-03-14", "2026-03-20")]
    [InlineData("preset-last-30-days", "2026-02-19", "2026-03-20")]
    [InlineData("preset-this-month", "2026-03-01", "2026-03-20")]
    [InlineData("preset-previous-month", "2026-02-01", "2026-02-28")]
    [InlineData("preset-this-year", "2026-01-01", "2026-03-20")]
    public async Task PeriodPicker_Preset_RaisesPeriodInLima(string preset, string from, string to)
    {
        var cut = RenderPicker(null, null);

        await cut.InvokeAsync(() => cut.Find($"[data-testid={preset}]").Click());

        var expected = new DatePeriod(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([expected], _raised);
        Assert.Equal("", Errors(cut));
    }

    [Fact]
    public async Task PeriodPicker_ThisMonthNearMidnightUtc_UsesLimaDate()
    {
        // 1 April 2026 03:00 UTC is still 31 March in Lima (UTC−5).
        Time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero));
        var cut = RenderPicker(null, null);

        await cut.InvokeAsync(() => cut.Find("[data-testid=preset-this-month]").Click());

        Assert.Equal([DatePeriod.Month(2026, 3)], _raised);
    }

    [Fact]
    public async Task PeriodPicker_PresetClicked_RaisesThePresetThenItsPeriodAndMarksItPressed()
    {
        var presets = new List<BillingPortal.Core.Reporting.PeriodPreset>();
        var cut = Render<PeriodPicker>(p => p
            .Add(c => c.From, new DateOnly(2026, 3, 1))
            .Add(c => c.To, new DateOnly(2026, 3, 20))
            .Add(c => c.Preset, BillingPortal.Core.Reporting.PeriodPreset.ThisMonth)
            .Add(c => c.PresetChanged, (BillingPortal.Core.Reporting.PeriodPreset preset) => presets.Add(preset))
            .Add(c => c.PeriodChanged, (DatePeriod? period) => _raised.Add(period)));
        Assert.Equal("true", cut.Find("[data-testid=preset-this-month]").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("[data-testid=preset-today]").GetAttribute("aria-pressed"));
        Assert.Equal(
            ["Hoy", "Últimos 7 días", "Últimos 30 días", "Este mes", "Mes anterior", "Este año", "Personalizado"],
            cut.FindAll("[data-testid=period-presets] button").Select(b => b.TextContent.Trim()));

        await cut.InvokeAsync(() => cut.Find("[data-testid=preset-last-7-days]").Click());
        await TypeAsync(cut, "period-from", "10/03/2026");
        await cut.InvokeAsync(() => cut.Find("[data-testid=preset-custom]").Click());

        Assert.Equal([BillingPortal.Core.Reporting.PeriodPreset.Last7Days, BillingPortal.Core.Reporting.PeriodPreset.Custom, BillingPortal.Core.Reporting.PeriodPreset.Custom], presets);
        Assert.Equal(
            [new DatePeriod(new DateOnly(2026, 3, 14), new DateOnly(2026, 3, 20)), new DatePeriod(new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 20))],
            _raised);
    }
}
