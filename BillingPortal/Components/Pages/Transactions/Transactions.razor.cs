using System.Globalization;
using System.Text.Json;
using BillingPortal.Components.Shared;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace BillingPortal.Components.Pages.Transactions;

/// <summary>
/// The organizer's transactions: a server-paged grid (keyset cursors from <see cref="TransactionQueries"/>, never an
/// offset), filters kept in the URL (a link reproduces the view), the total for the filters (counted once per filter
/// set), and a detail drawer with the fee breakdown. Buyers' data is masked unless the user is an owner.
/// </summary>
public sealed partial class Transactions : IAsyncDisposable
{
    private static readonly int[] PageSizes = [25, 50, 100];

    private TenantResolution? _resolution;
    private MudDataGrid<TransactionRow>? _grid;
    private TransactionFilterOptions? _options;
    private DateOnly? _from;
    private DateOnly? _to;
    private int? _eventId;
    private PaymentStatus? _status;
    private string? _method;
    private TransactionRelease? _release;
    private bool? _refund;
    private string? _search;
    private TransactionSort _sort = TransactionSort.DateDescending;
    private int _pageSize = 25;
    private bool _periodValid = true;

    private (int Organizer, TransactionFilter Filter, TransactionSort Sort, int Size)? _shownKey;
    private TransactionPage? _page;
    private string? _cursor;
    private bool _last;
    private int _pageNumber = 1;
    private int? _total;
    private bool _loading;
    private string? _error;

    private bool _drawerOpen;
    private TransactionDetail? _detail;
    private bool _detailMissing;
    private bool _focusDrawer;
    private ElementReference _drawerBody;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Transactions>? _self;
    private readonly CancellationTokenSource _lifetime = new();

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private TransactionQueries Queries { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    [SupplyParameterFromQuery(Name = "desde")]
    public string? Desde { get; set; }

    [SupplyParameterFromQuery(Name = "hasta")]
    public string? Hasta { get; set; }

    [SupplyParameterFromQuery(Name = "evento")]
    public string? Evento { get; set; }

    [SupplyParameterFromQuery(Name = "estado")]
    public string? Estado { get; set; }

    [SupplyParameterFromQuery(Name = "metodo")]
    public string? Metodo { get; set; }

    [SupplyParameterFromQuery(Name = "liquidacion")]
    public string? Liquidacion { get; set; }

    [SupplyParameterFromQuery(Name = "reembolso")]
    public string? Reembolso { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Q { get; set; }

    [SupplyParameterFromQuery(Name = "orden")]
    public string? Orden { get; set; }

    [SupplyParameterFromQuery(Name = "tam")]
    public string? Tam { get; set; }

    private OrganizerListItem? Organizer => _resolution?.Organizer?.Organizer;

    private AccountingCalendar Calendar => Organizer?.Calendar() ?? AccountingCalendar.Lima;

    private bool HasFilters => _from is not null || _to is not null || _eventId is not null || _status is not null || _method is not null
                               || _release is not null || _refund is not null || !string.IsNullOrWhiteSpace(_search);

    private TransactionFilter Filter => new(_from, _to, _eventId, _status, _method, _release, _refund, string.IsNullOrWhiteSpace(_search) ? null : _search.Trim());

    private string PageLabel => _total is { } total
        ? L["Transactions.PageOf", _pageNumber, Math.Max(1, (total + _pageSize - 1) / _pageSize)]
        : L["Transactions.Page", _pageNumber];

    protected override async Task OnParametersSetAsync()
    {
        var cancellationToken = _lifetime.Token;
        if (_resolution is null || _resolution.Organizer?.Organizer.Id.ToString(CultureInfo.InvariantCulture) != Org)
            _resolution = await Tenant.ResolveAsync(Org, cancellationToken);

        if (!Navigation.ContinueWhenResolved(_resolution)) return;

        ReadQuery();
        if (!RendererInfo.IsInteractive || _resolution.Access is not { } access) return;

        // A link without organizer or period gets them spelled out (this year by default), so it can be shared as is.
        if (string.IsNullOrEmpty(Org) || (string.IsNullOrEmpty(Desde) && string.IsNullOrEmpty(Hasta)))
        {
            if (_from is null && _to is null)
            {
                var today = PeriodPresets.Today(Time, Calendar);
                var thisYear = new DatePeriod(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31));
                (_from, _to) = (thisYear.From, thisYear.To);
            }

            Navigation.NavigateTo(Link(), replace: true);
            return;
        }

        _options ??= await Queries.GetFilterOptionsAsync(access.OrganizerId, cancellationToken);
        if (!_periodValid)
        {
            (_page, _total, _shownKey) = (null, null, null);
            return;
        }

        var key = (access.OrganizerId, Filter, _sort, _pageSize);
        if (_shownKey == key) return;
        _shownKey = key;
        (_cursor, _last, _pageNumber, _total, _error) = (null, false, 1, null, null);
        if (_grid is not null) await _grid.ReloadServerData();
        _total = await Queries.CountAsync(access.OrganizerId, Filter, cancellationToken);
    }

    private void ReadQuery()
    {
        (_from, _to) = (PortalCultures.FromQuery(Desde), PortalCultures.FromQuery(Hasta));
        _periodValid = DatePeriod.Validate(_from, _to) is null;
        _eventId = int.TryParse(Evento, NumberStyles.None, CultureInfo.InvariantCulture, out var ev) ? ev : null;
        _status = Enum.GetValues<PaymentStatus>().Select(s => (PaymentStatus?)s).FirstOrDefault(s => Snake(s!.Value) == Estado);
        _method = string.IsNullOrWhiteSpace(Metodo) ? null : Metodo;
        _release = Liquidacion switch
        {
            "acreditado" => TransactionRelease.Credited,
            "pendiente" => TransactionRelease.Pending,
            "retenido" => TransactionRelease.Held,
            _ => null,
        };
        _refund = Reembolso switch { "si" => true, "no" => false, _ => null };
        _search = string.IsNullOrWhiteSpace(Q) ? null : Q;
        _sort = Orden switch
        {
            "fecha_asc" => TransactionSort.DateAscending,
            "monto_desc" => TransactionSort.AmountDescending,
            "monto_asc" => TransactionSort.AmountAscending,
            _ => TransactionSort.DateDescending,
        };
        _pageSize = int.TryParse(Tam, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && PageSizes.Contains(size) ? size : 25;
    }

    private async Task<GridData<TransactionRow>> LoadServerDataAsync(GridState<TransactionRow> state, CancellationToken cancellationToken)
    {
        if (_resolution?.Access is not { } access || !_periodValid || !RendererInfo.IsInteractive)
            return new GridData<TransactionRow> { Items = [], TotalItems = 0 };
        _loading = true;
        try
        {
            // The last page holds what is left after whole pages, so its rows are the ones forward paging would reach.
            var limit = _last && _total is { } total && total % _pageSize != 0 ? total % _pageSize : _pageSize;
            var request = new TransactionPageRequest(Filter, _sort, limit, _last ? null : _cursor, _last);
            _page = await Queries.GetPageAsync(access.OrganizerId, request, access.IsOwner, _lifetime.Token);
            _error = null;
        }
        catch (InvalidTransactionCursorException)
        {
            (_page, _error, _cursor, _last, _pageNumber) = (null, L["Transactions.CursorLost"].Value, null, false, 1);
        }
        finally
        {
            _loading = false;
        }

        StateHasChanged();
        return new GridData<TransactionRow> { Items = _page?.Items ?? [], TotalItems = _page?.Items.Count ?? 0 };
    }

    private async Task GoAsync(string? cursor, bool last, int pageNumber)
    {
        if (_grid is null) return;
        (_cursor, _last, _pageNumber) = (cursor, last, pageNumber);
        await _grid.ReloadServerData();
    }

    private Task FirstAsync() => GoAsync(null, false, 1);

    private Task PreviousAsync() => _page?.PreviousCursor is { } c ? GoAsync(c, false, Math.Max(1, _pageNumber - 1)) : Task.CompletedTask;

    private Task NextAsync() => _page?.NextCursor is { } c ? GoAsync(c, false, _pageNumber + 1) : Task.CompletedTask;

    private Task LastAsync() => GoAsync(null, true, _total is { } t ? Math.Max(1, (t + _pageSize - 1) / _pageSize) : _pageNumber + 1);

    private void Apply() => Navigation.NavigateTo(Link());

    private Task OnPeriodChangedAsync(DatePeriod? period)
    {
        if (period is null)
        {
            _periodValid = false;
            return Task.CompletedTask;
        }

        (_from, _to) = (period.From, period.To);
        Apply();
        return Task.CompletedTask;
    }

    private void Set(Action change)
    {
        change();
        Apply();
    }

    private Task OnSearchChangedAsync(string? value)
    {
        Set(() => _search = value);
        return Task.CompletedTask;
    }

    private Task OnEventChangedAsync(int? value)
    {
        Set(() => _eventId = value);
        return Task.CompletedTask;
    }

    private Task OnStatusChangedAsync(PaymentStatus? value)
    {
        Set(() => _status = value);
        return Task.CompletedTask;
    }

    private Task OnMethodChangedAsync(string? value)
    {
        Set(() => _method = value);
        return Task.CompletedTask;
    }

    private Task OnReleaseChangedAsync(TransactionRelease? value)
    {
        Set(() => _release = value);
        return Task.CompletedTask;
    }

    private Task OnRefundChangedAsync(bool? value)
    {
        Set(() => _refund = value);
        return Task.CompletedTask;
    }

    private Task OnSortChangedAsync(TransactionSort value)
    {
        Set(() => _sort = value);
        return Task.CompletedTask;
    }

    private Task OnPageSizeChangedAsync(int value)
    {
        Set(() => _pageSize = value);
        return Task.CompletedTask;
    }

    private Task OnRowClickAsync(DataGridRowClickEventArgs<TransactionRow> args) => OpenAsync(args.Item.Id);

    private async Task OpenAsync(long paymentId)
    {
        if (_resolution?.Access is not { } access) return;
        (_drawerOpen, _detail, _detailMissing, _focusDrawer) = (true, null, false, true);
        StateHasChanged();
        _detail = await Queries.GetDetailAsync(access.OrganizerId, paymentId, access.IsOwner, _lifetime.Token);
        _detailMissing = _detail is null;
    }

    private void CloseDrawer() => _drawerOpen = false;

    private void OnDrawerKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Escape") CloseDrawer();
    }

    /// <summary>Called by Transactions.razor.js when Esc is pressed anywhere on the page.</summary>
    [JSInvokable]
    public Task CloseDrawerFromKeyboard()
    {
        if (!_drawerOpen) return Task.CompletedTask;
        return InvokeAsync(() =>
        {
            _drawerOpen = false;
            StateHasChanged();
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            try
            {
                _self = DotNetObjectReference.Create(this);
                _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Transactions/Transactions.razor.js");
                if (_module is not null) await _module.InvokeVoidAsync("listenForEscape", _self);
            }
            catch (JSDisconnectedException)
            {
                // The circuit went away; nothing to listen for.
            }
        }

        if (_focusDrawer && _drawerOpen)
        {
            _focusDrawer = false;
            await _drawerBody.FocusAsync();
        }
    }

    private string LocalTime(DateTimeOffset instant) => PortalCultures.FormatDateTime(Calendar.ToLocal(instant));

    private string Link()
    {
        var parts = new List<string> { "org=" + Uri.EscapeDataString(Org ?? Organizer?.Id.ToString(CultureInfo.InvariantCulture) ?? "") };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add(name + "=" + Uri.EscapeDataString(value));
        }

        Add("desde", _from is { } f ? PortalCultures.ToQuery(f) : null);
        Add("hasta", _to is { } t ? PortalCultures.ToQuery(t) : null);
        Add("evento", _eventId?.ToString(CultureInfo.InvariantCulture));
        Add("estado", _status is { } s ? Snake(s) : null);
        Add("metodo", _method);
        Add("liquidacion", _release switch
        {
            TransactionRelease.Credited => "acreditado",
            TransactionRelease.Pending => "pendiente",
            TransactionRelease.Held => "retenido",
            _ => null,
        });
        Add("reembolso", _refund switch { true => "si", false => "no", null => null });
        Add("q", _search?.Trim());
        Add("orden", _sort switch
        {
            TransactionSort.DateAscending => "fecha_asc",
            TransactionSort.AmountDescending => "monto_desc",
            TransactionSort.AmountAscending => "monto_asc",
            _ => null,
        });
        Add("tam", _pageSize == 25 ? null : _pageSize.ToString(CultureInfo.InvariantCulture));
        return "transacciones?" + string.Join('&', parts);
    }

    private static string Snake(PaymentStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public async ValueTask DisposeAsync()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("stopListening");
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the page's listener with it.
            }
        }

        _self?.Dispose();
    }
}
