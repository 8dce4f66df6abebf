using System.Globalization;
using BillingPortal.Components.Shared;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Reporting;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;

namespace BillingPortal.Components.Pages.Events;

/// <summary>
/// One event of the organizer: its all-time figures (<see cref="DashboardQueries.GetEventAsync"/>), the dashboard for a
/// period scoped to it (<see cref="DashboardQueries.GetDashboardAsync"/> with the event id), its purchases and its
/// refunds (<see cref="EventActivityQueries"/>, newest first, keyset pages). An event of another organizer, or one
/// that does not exist, answers the 404 page: <see cref="DashboardQueries.GetEventAsync"/> only finds it under the
/// organizer the user may open.
/// </summary>
public sealed partial class EventDetails : IDisposable
{
    private const int PageSize = 25;

    private readonly CancellationTokenSource _lifetime = new();
    private TenantResolution? _resolution;
    private EventFigures? _event;
    private DateOnly? _from;
    private DateOnly? _to;
    private PeriodPreset? _preset;
    private bool _periodValid;
    private Dashboard? _dashboard;
    private (int OrganizerId, int EventId, DatePeriod Period)? _shownKey;
    private (int OrganizerId, int EventId)? _listsKey;
    private List<EventPurchaseRow>? _purchases;
    private KeysetCursor? _purchasesNext;
    private List<EventRefundRow>? _refunds;
    private KeysetCursor? _refundsNext;

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

    [Parameter]
    public int EventId { get; set; }

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

    private string OrgId => Organizer?.Id.ToString(CultureInfo.InvariantCulture) ?? Org ?? "";

    private string ListLink => $"eventos?org={Uri.EscapeDataString(OrgId)}";

    protected override async Task OnParametersSetAsync()
    {
        var cancellationToken = _lifetime.Token;
        if (_resolution is null || _resolution.Organizer?.Organizer.Id.ToString(CultureInfo.InvariantCulture) != Org)
        {
            _resolution = await Tenant.ResolveAsync(Org, cancellationToken);
        }

        if (!Navigation.ContinueWhenResolved(_resolution, () => Clear())) return;

        var organizerId = _resolution.Access!.OrganizerId;
        if (_event is null || _event.EventId != EventId || _listsKey?.OrganizerId != organizerId)
        {
            // Only under the resolved organizer: another organizer's event id is simply not found.
            Clear();
            _event = await Dashboards.GetEventAsync(organizerId, EventId, null, cancellationToken);
            if (_event is null)
            {
                Navigation.NotFound();
                return;
            }
        }

        var today = PeriodPresets.Today(Time, Calendar);
        var noDates = string.IsNullOrEmpty(Desde) && string.IsNullOrEmpty(Hasta);
        var requested = PeriodPresets.FromSlug(PresetSlug);
        if (noDates && requested is { } named && named != PeriodPreset.Custom)
        {
            var period = DashboardPeriods.Of(named, today);
            (_from, _to, _preset) = (period.From, period.To, named);
        }
        else if (noDates)
        {
            // By default the last twelve months: an event's sales rarely go further back.
            (_from, _to, _preset) = (today.AddYears(-1).AddDays(1), today, PeriodPreset.Custom);
        }
        else
        {
            (_from, _to) = (PortalCultures.FromQuery(Desde), PortalCultures.FromQuery(Hasta));
            _preset = requested ?? (DatePeriod.Validate(_from, _to) is null ? PeriodPresets.Match(new DatePeriod(_from!.Value, _to!.Value), today) : PeriodPreset.Custom);
        }

        _periodValid = DatePeriod.Validate(_from, _to) is null;
        if (!RendererInfo.IsInteractive) return;

        if (string.IsNullOrEmpty(Org) || noDates) Navigation.NavigateTo(Link(_from, _to, _preset), replace: true);

        await LoadListsAsync(organizerId, cancellationToken);
        await ShowAsync();
    }

    private async Task OnPeriodChangedAsync(DatePeriod? period)
    {
        if (period is null)
        {
            (_periodValid, _dashboard, _shownKey) = (false, null, null);
            return;
        }

        (_from, _to, _periodValid) = (period.From, period.To, true);
        Navigation.NavigateTo(Link(_from, _to, _preset));
        await ShowAsync();
    }

    private async Task ShowAsync()
    {
        if (_resolution?.Access is not { } access || _event is null || !_periodValid) return;
        var key = (access.OrganizerId, _event.EventId, new DatePeriod(_from!.Value, _to!.Value));
        if (_shownKey == key) return;
        (_shownKey, _dashboard) = (key, null);
        StateHasChanged();
        var dashboard = await Dashboards.GetDashboardAsync(key.OrganizerId, key.Item3, key.EventId, _lifetime.Token);
        if (_shownKey == key) _dashboard = dashboard;
    }

    private async Task LoadListsAsync(int organizerId, CancellationToken cancellationToken)
    {
        if (_listsKey == (organizerId, EventId)) return;
        _listsKey = (organizerId, EventId);
        var purchases = await Activity.GetPurchasesAsync(organizerId, EventId, null, PageSize, cancellationToken);
        var refunds = await Activity.GetRefundsAsync(organizerId, EventId, null, PageSize, cancellationToken);
        (_purchases, _purchasesNext) = ([.. purchases.Rows], purchases.Next);
        (_refunds, _refundsNext) = ([.. refunds.Rows], refunds.Next);
    }

    private async Task MorePurchasesAsync()
    {
        if (_listsKey is not { } key || _purchasesNext is null || _purchases is null) return;
        var page = await Activity.GetPurchasesAsync(key.OrganizerId, key.EventId, _purchasesNext, PageSize, _lifetime.Token);
        _purchases.AddRange(page.Rows);
        _purchasesNext = page.Next;
    }

    private async Task MoreRefundsAsync()
    {
        if (_listsKey is not { } key || _refundsNext is null || _refunds is null) return;
        var page = await Activity.GetRefundsAsync(key.OrganizerId, key.EventId, _refundsNext, PageSize, _lifetime.Token);
        _refunds.AddRange(page.Rows);
        _refundsNext = page.Next;
    }

    private void Clear()
    {
        (_event, _dashboard, _shownKey, _listsKey) = (null, null, null, null);
        (_purchases, _purchasesNext, _refunds, _refundsNext) = (null, null, null, null);
    }

    private string Link(DateOnly? from, DateOnly? to, PeriodPreset? preset) =>
        string.Create(CultureInfo.InvariantCulture, $"eventos/{EventId}?org={Uri.EscapeDataString(OrgId)}")
        + (from is { } f ? "&desde=" + PortalCultures.ToQuery(f) : "")
        + (to is { } t ? "&hasta=" + PortalCultures.ToQuery(t) : "")
        + (preset is { } p ? "&preset=" + PeriodPresets.Slug(p) : "");

    private string RefundStatus(string status)
    {
        var text = L[$"Events.RefundStatus.{status}"];
        return text.ResourceNotFound ? status : text.Value;
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
