using System.Globalization;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Reporting;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;

namespace BillingPortal.Components.Pages.Events;

/// <summary>
/// The organizer's events with their figures (<see cref="DashboardQueries.GetEventsAsync"/>, through the report cache): all time by default, or the
/// period of <c>?desde=&amp;hasta=</c>; sortable, searchable, each linking to its page. Tenancy as on the summary:
/// <c>?org=</c> resolved by <see cref="TenantAccessor"/>, anyone else gets the 404 page.
/// </summary>
public sealed partial class Events : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private TenantResolution? _resolution;
    private IReadOnlyList<EventFigures>? _events;
    private DatePeriod? _period;
    private (int OrganizerId, DatePeriod? Period)? _shownKey;
    private string? _search;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private CachedDashboardQueries Dashboards { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    [SupplyParameterFromQuery(Name = "desde")]
    public string? Desde { get; set; }

    [SupplyParameterFromQuery(Name = "hasta")]
    public string? Hasta { get; set; }

    private OrganizerListItem? Organizer => _resolution?.Organizer?.Organizer;

    private AccountingCalendar Calendar => Organizer?.Calendar() ?? AccountingCalendar.Lima;

    private IEnumerable<EventFigures> Filtered => string.IsNullOrWhiteSpace(_search)
        ? _events ?? []
        : (_events ?? []).Where(e => Matches(e, _search.Trim()));

    protected override async Task OnParametersSetAsync()
    {
        var cancellationToken = _lifetime.Token;
        if (_resolution is null || _resolution.Organizer?.Organizer.Id.ToString(CultureInfo.InvariantCulture) != Org)
        {
            _resolution = await Tenant.ResolveAsync(Org, cancellationToken);
        }

        if (!Navigation.ContinueWhenResolved(_resolution, () => (_events, _shownKey) = (null, null))) return;

        // A period only when both ends are valid; otherwise all time (the list has no picker of its own).
        var (from, to) = (PortalCultures.FromQuery(Desde), PortalCultures.FromQuery(Hasta));
        _period = DatePeriod.Validate(from, to) is null ? new DatePeriod(from!.Value, to!.Value) : null;
        if (!RendererInfo.IsInteractive || _resolution.Access is not { } access) return;

        if (string.IsNullOrEmpty(Org)) Navigation.NavigateTo(ListLink(_period), replace: true);

        var key = (access.OrganizerId, _period);
        if (_shownKey == key) return;
        _shownKey = key;
        _events = null;
        var events = await Dashboards.GetEventsAsync(access.OrganizerId, _period, cancellationToken);
        if (_shownKey == key) _events = events;
    }

    private static bool Matches(EventFigures e, string text) =>
        e.Name.Contains(text, StringComparison.CurrentCultureIgnoreCase)
        || e.Venue.Contains(text, StringComparison.CurrentCultureIgnoreCase)
        || (e.City?.Contains(text, StringComparison.CurrentCultureIgnoreCase) ?? false);

    private string OrgId => Organizer?.Id.ToString(CultureInfo.InvariantCulture) ?? Org ?? "";

    private string EventLink(int eventId) => string.Create(CultureInfo.InvariantCulture, $"eventos/{eventId}?org={Uri.EscapeDataString(OrgId)}");

    private string ListLink(DatePeriod? period) => period is null
        ? $"eventos?org={Uri.EscapeDataString(OrgId)}"
        : $"eventos?org={Uri.EscapeDataString(OrgId)}&desde={PortalCultures.ToQuery(period.From)}&hasta={PortalCultures.ToQuery(period.To)}";

    private static string Place(EventFigures e) => string.IsNullOrEmpty(e.City) ? e.Venue : $"{e.Venue}, {e.City}";

    private static string Count(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
