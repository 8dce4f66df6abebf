using System.Globalization;
using BillingPortal.Components.Shared;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Reporting;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;

namespace BillingPortal.Components.Pages.Summary;

/// <summary>
/// An organizer's period summary and balance. The URL (<c>?org=&amp;desde=&amp;hasta=</c>) is the state: a link
/// reproduces the view for anyone who may open that organizer (<see cref="TenantAccessor"/> decides; anyone else gets
/// the 404 page and nothing of it). The page only orchestrates; every figure comes from one
/// <see cref="DashboardQueries.GetDashboardAsync"/> call per render (cards, comparison, balance, charts), through the report
/// cache (<see cref="CachedDashboardQueries"/>; a payment change drops it before the page is told to reload). When the period
/// has nothing, <see cref="EventActivityQueries.GetDataStateAsync"/> tells which empty state applies (link Mercado Pago,
/// wait for the first sync, or another period). <c>?preset=</c> names the preset the dates came from.
/// While open, it follows the organizer's payment changes (<see cref="IPaymentChangeNotifier"/>, issue #5 §5): a payment
/// that lands re-reads the figures within about a second, without a reload and without blanking the ones shown.
/// </summary>
public sealed partial class Summary : IDisposable
{
    private TenantResolution? _resolution;
    private DateOnly? _from;
    private DateOnly? _to;
    private bool _periodValid;
    private PeriodPreset? _preset;
    private Dashboard? _dashboard;
    private OrganizerDataState? _dataState;
    private bool _loading;
    private (int OrganizerId, DatePeriod Period)? _shownKey;
    private CancellationTokenSource? _loadCancellation;
    private readonly CancellationTokenSource _lifetime = new();
    private LivePaymentRefresh? _live;
    private DateTimeOffset? _liveUpdatedAt;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private CachedDashboardQueries Dashboards { get; set; } = default!;

    [Inject]
    private EventActivityQueries Activity { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IPaymentChangeNotifier Notifier { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    [SupplyParameterFromQuery(Name = "desde")]
    public string? Desde { get; set; }

    [SupplyParameterFromQuery(Name = "hasta")]
    public string? Hasta { get; set; }

    [SupplyParameterFromQuery(Name = "preset")]
    public string? PresetSlug { get; set; }

    private OrganizerListItem? Organizer => _resolution?.Organizer?.Organizer;

    private AccountingCalendar Calendar => Organizer?.Calendar() ?? AccountingCalendar.Lima;

    protected override async Task OnParametersSetAsync()
    {
        // The organizer is resolved while prerendering too, so a forbidden ?org= answers 404 at once; the figures are
        // queried only by the interactive circuit.
        var cancellationToken = _lifetime.Token;
        if (_resolution is null || _resolution.Organizer?.Organizer.Id.ToString(CultureInfo.InvariantCulture) != Org)
        {
            _resolution = await Tenant.ResolveAsync(Org, cancellationToken);
        }

        if (!Navigation.ContinueWhenResolved(_resolution, () => { CancelLoad(); (_shownKey, _dashboard, _dataState) = (null, null, null); })) return;

        var noDates = string.IsNullOrEmpty(Desde) && string.IsNullOrEmpty(Hasta);
        var today = PeriodPresets.Today(Time, Calendar);
        var requestedPreset = PeriodPresets.FromSlug(PresetSlug);
        if (noDates)
        {
            // A preset without dates (or no choice at all: "este mes") is computed for today in the organizer's zone.
            _preset = requestedPreset is { } named && named != PeriodPreset.Custom ? named : PeriodPreset.ThisMonth;
            var period = DashboardPeriods.Of(_preset.Value, today);
            (_from, _to) = (period.From, period.To);
        }
        else
        {
            (_from, _to) = (PortalCultures.FromQuery(Desde), PortalCultures.FromQuery(Hasta));
            _preset = requestedPreset ?? (DatePeriod.Validate(_from, _to) is null ? PeriodPresets.Match(new DatePeriod(_from!.Value, _to!.Value), today) : PeriodPreset.Custom);
        }

        _periodValid = DatePeriod.Validate(_from, _to) is null;
        if (!RendererInfo.IsInteractive) return;

        if (_resolution.Access is { } watched)
        {
            _live ??= new LivePaymentRefresh(Notifier, Time, () => InvokeAsync(RefreshLiveAsync));
            _live.Watch(watched.OrganizerId);
        }

        // A link without organizer or dates (or the bare "/") gets them spelled out, so it can be shared as is.
        if (string.IsNullOrEmpty(Org) || noDates || !IsSummaryPath())
        {
            Navigation.NavigateTo(Link(string.IsNullOrEmpty(Org) ? Organizer?.Id.ToString(CultureInfo.InvariantCulture) : Org,
                noDates ? ToQuery(_from) : Desde, noDates ? ToQuery(_to) : Hasta, _preset), replace: true);
        }

        await ShowAsync();
    }

    private async Task OnPeriodChangedAsync(DatePeriod? period)
    {
        if (period is null)
        {
            // The picker shows why; nothing is queried until the period is valid again.
            _periodValid = false;
            await ShowAsync();
            return;
        }

        (_from, _to, _periodValid) = (period.From, period.To, true);
        Navigation.NavigateTo(Link(Organizer?.Id.ToString(CultureInfo.InvariantCulture) ?? Org, ToQuery(_from), ToQuery(_to), _preset));
        await ShowAsync();
    }

    private void OnPresetChanged(PeriodPreset preset) => _preset = preset;

    /// <summary>Loads the figures for the current organizer and period, unless they are already shown or loading.</summary>
    private async Task ShowAsync()
    {
        if (_resolution?.Access is not { } access || !_periodValid || DatePeriod.Validate(_from, _to) is not null)
        {
            CancelLoad();
            (_shownKey, _dashboard, _dataState, _loading) = (null, null, null, false);
            return;
        }

        var organizerId = access.OrganizerId;
        var period = new DatePeriod(_from!.Value, _to!.Value);
        if (_shownKey == (organizerId, period)) return;

        CancelLoad();
        _shownKey = (organizerId, period);
        (_dashboard, _dataState, _loading) = (null, null, true);
        _loadCancellation = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var cancellationToken = _loadCancellation.Token;
        StateHasChanged();

        try
        {
            var (dashboard, state) = await ReadAsync(organizerId, period, cancellationToken);
            if (cancellationToken.IsCancellationRequested) return;
            (_dashboard, _dataState, _loading) = (dashboard, state, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer choice replaced this one; its own load shows the figures.
        }
    }

    /// <summary>
    /// Payments of the organizer changed: re-reads the figures shown (same organizer and period), keeping the current ones
    /// on screen until the new ones are ready; a load in progress already reads the new data.
    /// </summary>
    private async Task RefreshLiveAsync()
    {
        if (_loading || _shownKey is not { } key || _dashboard is null || _lifetime.IsCancellationRequested) return;
        var (dashboard, state) = await ReadAsync(key.OrganizerId, key.Period, _lifetime.Token);
        if (_shownKey != key || _loading) return;
        (_dashboard, _dataState, _liveUpdatedAt) = (dashboard, state, Time.GetUtcNow());
        StateHasChanged();
    }

    /// <summary>The dashboard (one call), and the data state only when the period is empty (for its message).</summary>
    private async Task<(Dashboard Dashboard, OrganizerDataState? State)> ReadAsync(int organizerId, DatePeriod period, CancellationToken cancellationToken)
    {
        var dashboard = await Dashboards.GetDashboardAsync(organizerId, period, null, cancellationToken);
        var state = dashboard.Current == PeriodSummary.Empty(period) ? await Activity.GetDataStateAsync(organizerId, cancellationToken) : null;
        return (dashboard, state);
    }

    private string LiveTime(DateTimeOffset instant) => Calendar.ToLocal(instant).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private void CancelLoad()
    {
        _loadCancellation?.Cancel();
        _loadCancellation?.Dispose();
        _loadCancellation = null;
    }

    private bool IsSummaryPath()
    {
        var path = Navigation.ToBaseRelativePath(Navigation.Uri);
        var end = path.IndexOfAny(['?', '#']);
        return (end < 0 ? path : path[..end]).Equals("resumen", StringComparison.OrdinalIgnoreCase);
    }

    private static string Link(string? org, string? desde, string? hasta, PeriodPreset? preset) =>
        $"resumen?org={Uri.EscapeDataString(org ?? "")}&desde={Uri.EscapeDataString(desde ?? "")}&hasta={Uri.EscapeDataString(hasta ?? "")}"
        + (preset is { } p ? "&preset=" + PeriodPresets.Slug(p) : "");

    private static string? ToQuery(DateOnly? date) => date is { } d ? PortalCultures.ToQuery(d) : null;

    private string OrganizerLabel(OrganizerListItem organizer)
    {
        var kind = organizer.TaxIdKind == TaxIdKind.Ruc ? L["TaxId.Ruc"] : L["TaxId.Dni"];
        return $"{organizer.LegalName} · {kind} {organizer.TaxId}";
    }

    public void Dispose()
    {
        _live?.Dispose();
        CancelLoad();
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
