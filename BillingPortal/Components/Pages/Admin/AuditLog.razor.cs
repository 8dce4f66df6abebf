using System.Globalization;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace BillingPortal.Components.Pages.Admin;

/// <summary>
/// The audit log for platform admins: newest first, 50 lines a page, filtered by organizer, action and dates (Lima,
/// both ends included). The URL (<c>?organizador=&amp;accion=&amp;desde=&amp;hasta=&amp;pagina=</c>) is the state.
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    private const int PageSize = 50;
    private readonly CancellationTokenSource _lifetime = new();
    private AuditLogPage? _page;
    private OrganizerListItem? _organizer;
    private AuditAction? _action;
    private DateTime? _from;
    private DateTime? _to;
    private string? _filterError;

    [Inject]
    private AuditLogQueries Queries { get; set; } = default!;

    [Inject]
    private PlatformAdminQueries Admin { get; set; } = default!;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private OrganizerQueries Organizers { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "organizador")]
    public int? Organizador { get; set; }

    [SupplyParameterFromQuery(Name = "accion")]
    public string? Accion { get; set; }

    [SupplyParameterFromQuery(Name = "desde")]
    public string? Desde { get; set; }

    [SupplyParameterFromQuery(Name = "hasta")]
    public string? Hasta { get; set; }

    [SupplyParameterFromQuery(Name = "pagina")]
    public int? PaginaQuery { get; set; }

    private int Pagina => Math.Max(PaginaQuery ?? 1, 1);

    private int PageCount => _page is null ? 0 : (int)Math.Ceiling(_page.TotalCount / (double)PageSize);

    protected override async Task OnParametersSetAsync()
    {
        var user = await Tenant.GetUserAsync();
        if (user is null) return;

        var cancellationToken = _lifetime.Token;
        _organizer = Organizador is { } id ? await Organizers.FindAsync(id, cancellationToken) : null;
        _action = Enum.TryParse<AuditAction>(Accion, ignoreCase: false, out var action) && Enum.IsDefined(action) ? action : null;
        var from = PortalCultures.FromQuery(Desde);
        var to = PortalCultures.FromQuery(Hasta);
        _from = from?.ToDateTime(TimeOnly.MinValue);
        _to = to?.ToDateTime(TimeOnly.MinValue);

        var calendar = AccountingCalendar.Lima;
        var query = new AuditLogQuery(Pagina - 1, PageSize, Organizador, _action,
            from is { } f ? calendar.StartOfDayUtc(f) : null,
            to is { } t ? calendar.StartOfDayUtc(t.AddDays(1)) : null);
        _page = await Queries.SearchAsync(user, query, cancellationToken);
    }

    private async Task<IEnumerable<OrganizerListItem>> SearchOrganizersAsync(string? text, CancellationToken cancellationToken)
    {
        var user = await Tenant.GetUserAsync();
        return user is null ? [] : await Admin.FindOrganizersAsync(user, text, cancellationToken);
    }

    private void ApplyFilters()
    {
        _filterError = null;
        if (_from is { } from && _to is { } to && from > to)
        {
            _filterError = L["Period.FromAfterTo"];
            return;
        }

        Navigation.NavigateTo(Link(1));
    }

    private void GoToPage(int page) => Navigation.NavigateTo(Link(page));

    private string Link(int page)
    {
        var query = new Dictionary<string, string?>();
        if (_organizer is not null) query["organizador"] = _organizer.Id.ToString(CultureInfo.InvariantCulture);
        if (_action is { } action) query["accion"] = action.ToString();
        if (_from is { } from) query["desde"] = PortalCultures.ToQuery(DateOnly.FromDateTime(from));
        if (_to is { } to) query["hasta"] = PortalCultures.ToQuery(DateOnly.FromDateTime(to));
        if (page > 1) query["pagina"] = page.ToString(CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString("admin", query);
    }

    private string ActionName(AuditAction action) => L[$"Audit.Action.{action}"];

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
