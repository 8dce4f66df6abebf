using System.Globalization;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Statements;
using BillingPortal.Endpoints;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace BillingPortal.Components.Pages.Statements;

/// <summary>
/// The organizer's statements (issue #7 §5): a form for any period and event in PDF, Excel or CSV (a plain form post to
/// <see cref="StatementEndpoints"/>: small statements download at once, large ones come back here queued), and the list of
/// generated files with their progress (re-read every 2 s while one is running) and the download links (the layout's
/// <see cref="Layout.StatementNotifications"/> announces a ready one), and the friendly message of a rate limit. Owners and viewers alike (buyer data is masked in every statement).
/// </summary>
public sealed partial class Statements : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private TenantResolution? _resolution;
    private bool _loaded;
    private List<(int Id, string Name)> _events = [];
    private IReadOnlyList<StatementExport> _exports = [];
    private DateTime? _from;
    private DateTime? _to;
    private int? _eventId;
    private string _format = "pdf";
    private string _separator = "coma";
    private ITimer? _poll;
    private ElementReference _form;
    private string? _formHeld;
    private DotNetObjectReference<Statements>? _self;

    /// <summary>How often the list is re-read while an export is queued or running.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private IDbContextFactory<BillingDbContext> Db { get; set; } = default!;

    [Inject]
    private StatementExports Exports { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IOptions<StatementOptions> Options { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    /// <summary>The export just queued (the form's redirect), highlighted and announced when ready.</summary>
    [SupplyParameterFromQuery(Name = "exportacion")]
    public string? Exportacion { get; set; }

    /// <summary>Set by the rate limiter when it sent the browser back here: <c>generar</c> or <c>descargar</c>.</summary>
    [SupplyParameterFromQuery(Name = PortalRateLimits.LimitQuery)]
    public string? Limite { get; set; }

    /// <summary>The seconds until the limit allows again (the 429's Retry-After).</summary>
    [SupplyParameterFromQuery(Name = PortalRateLimits.RetryQuery)]
    public string? Espera { get; set; }

    /// <summary>The friendly message of a rate limit the browser ran into, or null.</summary>
    private string? RateLimitMessage
    {
        get
        {
            // The link can be edited by hand: anything but a small whole number of seconds reads as a minute.
            var seconds = int.TryParse(Espera, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 3600 ? s : 60;
            return Limite switch
            {
                "generar" => L["RateLimit.Generation", seconds].Value,
                "descargar" => L["RateLimit.Download", seconds].Value,
                _ => null,
            };
        }
    }

    private AccountingCalendar Calendar => _resolution?.Organizer?.Organizer.Calendar() ?? AccountingCalendar.Lima;

    private string Threshold => Options.Value.BackgroundThresholdLines.ToString("#,##0", CultureInfo.InvariantCulture);

    private string FromText => _from is { } d ? DateOnly.FromDateTime(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    private string ToText => _to is { } d ? DateOnly.FromDateTime(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    /// <summary>The period's problem in Spanish (the endpoint checks again), or null.</summary>
    private string? PeriodProblem
    {
        get
        {
            var from = _from is { } f ? DateOnly.FromDateTime(f) : (DateOnly?)null;
            var to = _to is { } t ? DateOnly.FromDateTime(t) : (DateOnly?)null;
            return DatePeriod.Validate(from, to) switch
            {
                PeriodError.FromRequired => L["Statements.Error.From"].Value,
                PeriodError.ToRequired => L["Statements.Error.To"].Value,
                PeriodError.FromAfterTo => L["Period.FromAfterTo"].Value,
                PeriodError.TooLong => L["Period.TooLong", DatePeriod.MaxDays].Value,
                _ => null,
            };
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _resolution = await Tenant.ResolveAsync(Org, _lifetime.Token);
        if (!Navigation.ContinueWhenResolved(_resolution, () => _loaded = false)) return;

        if (_from is null)
        {
            // Default: last month, the period accountants ask for most.
            var previous = Core.Reporting.DashboardPeriods.Of(Core.Reporting.PeriodPreset.PreviousMonth, Calendar.LocalDate(Time.GetUtcNow()));
            _from = previous.From.ToDateTime(TimeOnly.MinValue);
            _to = previous.To.ToDateTime(TimeOnly.MinValue);
        }

        var organizerId = _resolution.Access!.OrganizerId;
        await using (var db = await Db.CreateDbContextAsync(_lifetime.Token))
        {
            _events = (await db.Events.AsNoTracking().Where(e => e.OrganizerId == organizerId).OrderByDescending(e => e.StartsAt)
                .Select(e => new { e.Id, e.Name }).ToListAsync(_lifetime.Token)).Select(e => (e.Id, e.Name)).ToList();
        }

        await LoadExportsAsync();
        _loaded = true;
    }

    private async Task LoadExportsAsync()
    {
        if (_resolution?.Access is not { } access) return;
        // The layout's StatementNotifications announces a statement that became ready (on this page and every other).
        _exports = await Exports.ListAsync(access.OrganizerId, 50, _lifetime.Token);

        var pending = RendererInfo.IsInteractive && _exports.Any(e => e.Status is StatementExportStatus.Queued or StatementExportStatus.Running);
        if (pending && _poll is null) _poll = Time.CreateTimer(_ => Tick(), null, PollInterval, PollInterval);
        else if (!pending && _poll is not null)
        {
            _poll.Dispose();
            _poll = null;
        }
    }

    private void Tick()
    {
        try
        {
            _ = InvokeAsync(async () =>
            {
                if (_lifetime.IsCancellationRequested) return;
                await LoadExportsAsync();
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone.
        }
    }

    private static string DownloadLink(StatementExport export) =>
        $"{StatementEndpoints.FilesPath.TrimStart('/')}/{export.Id:D}?org={export.OrganizerId.ToString(CultureInfo.InvariantCulture)}";

    private string Local(DateTimeOffset instant) => Calendar.ToLocal(instant).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string FileSize(long? bytes) => bytes switch
    {
        null => "",
        < 1024 * 1024 => (bytes.Value / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes.Value / 1024d / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    private static Color StatusColor(StatementExportStatus status) => status switch
    {
        StatementExportStatus.Completed => Color.Success,
        StatementExportStatus.Failed => Color.Error,
        _ => Color.Default,
    };

    /// <summary>
    /// Once the form is on the live page, its submit first waits for <see cref="SyncAsync"/>: every change sent before
    /// the click has then been handled and rendered into the hidden fields, so the post carries what the person chose.
    /// </summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!RendererInfo.IsInteractive || _form.Context is null || _formHeld == _form.Id) return;
        _formHeld = _form.Id;
        _self ??= DotNetObjectReference.Create(this);
        try
        {
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", _lifetime.Token, "./Components/Pages/Statements/Statements.razor.js");
            await module.InvokeVoidAsync("holdSubmitUntilSynced", _lifetime.Token, _form, _self);
        }
        catch (Exception exception) when (exception is JSException or JSDisconnectedException or OperationCanceledException)
        {
            // Without it the form still posts as before (the hidden fields as they are at that instant).
        }
    }

    /// <summary>Answered after everything the browser sent before it (the connection handles messages in order).</summary>
    [JSInvokable]
    public Task SyncAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _self?.Dispose();
        _poll?.Dispose();
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
