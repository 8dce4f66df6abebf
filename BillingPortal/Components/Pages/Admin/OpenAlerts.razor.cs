using BillingPortal.Core.Alerts;
using BillingPortal.Core.Common;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BillingPortal.Components.Pages.Admin;

/// <summary>
/// Open admin alerts (a link needing re-authorization, a revoked link, failing renewals…), most severe and most recent
/// first, for platform admins: what, for which organizer, since when, how often; «Marcar como resuelta» resolves one
/// through <see cref="AdminAlertQueries"/>, which checks again that the caller is a platform admin (raising it again later
/// opens a new one). Times in Lima.
/// </summary>
public sealed partial class OpenAlerts : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private List<AdminAlertRow>? _alerts;
    private bool _busy;

    [Inject]
    private AdminAlertQueries Queries { get; set; } = default!;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var user = await Tenant.GetUserAsync();
        var overview = user is null ? null : await Queries.GetOverviewAsync(user, resolvedCount: 0, _lifetime.Token);

        // Most severe first; within a severity, the query's order (most recently seen first).
        _alerts = overview is null ? [] : [.. overview.Open.OrderByDescending(a => a.Severity)];
    }

    private async Task ResolveAsync(AdminAlertRow alert)
    {
        var user = await Tenant.GetUserAsync();
        if (_busy || user is null) return;
        _busy = true;
        try
        {
            var resolved = await Queries.ResolveAsync(user, alert.Id, _lifetime.Token);
            Snackbar.Add(resolved ? L["Alerts.Resolved", alert.Title] : L["Alerts.AlreadyResolved"], resolved ? Severity.Success : Severity.Info);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private static Color SeverityColor(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => Color.Error,
        AlertSeverity.Warning => Color.Warning,
        _ => Color.Info,
    };

    private string KindName(string kind)
    {
        var name = L[$"Alerts.Kind.{kind}"];
        return name.ResourceNotFound ? kind : name.Value;
    }

    private static string When(DateTimeOffset instant) => PortalCultures.FormatDateTime(AccountingCalendar.Lima.ToLocal(instant));

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
