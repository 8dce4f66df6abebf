using BillingPortal.Core.Alerts;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BillingPortal.Components.Pages.Admin;

/// <summary>
/// Open admin alerts (a link needing re-authorization, a revoked link, failing renewals…), most severe and most recent
/// first, for platform admins: what, for which organizer, since when, how often; «Marcar como resuelta» resolves one
/// through <see cref="IAdminAlerts"/> (raising it again later opens a new one). Times in Lima.
/// </summary>
public sealed partial class OpenAlerts : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private List<AlertRow>? _alerts;
    private bool _busy;

    [Inject]
    private IDbContextFactory<BillingDbContext> Db { get; set; } = default!;

    [Inject]
    private IAdminAlerts AlertService { get; set; } = default!;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var user = await Tenant.GetUserAsync();
        if (user is not { IsPlatformAdmin: true })
        {
            _alerts = [];
            return;
        }

        var cancellationToken = _lifetime.Token;
        await using var db = await Db.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from a in db.AdminAlerts.AsNoTracking()
                where a.ResolvedAt == null
                join o in db.Organizers.AsNoTracking() on a.OrganizerId equals (int?)o.Id into organizers
                from o in organizers.DefaultIfEmpty()
                select new AlertRow(a.Id, a.Key, a.Kind, a.Severity, a.OrganizerId, o == null ? null : o.LegalName, a.Title, a.Detail, a.CreatedAt, a.LastSeenAt, a.Occurrences))
            .ToListAsync(cancellationToken);

        // Sorted here: SQLite cannot order by DateTimeOffset, and open alerts are few.
        _alerts = [.. rows.OrderByDescending(r => r.Severity).ThenByDescending(r => r.LastSeenAt).ThenByDescending(r => r.Id)];
    }

    private async Task ResolveAsync(AlertRow alert)
    {
        var user = await Tenant.GetUserAsync();
        if (_busy || user is not { IsPlatformAdmin: true }) return;
        _busy = true;
        try
        {
            await AlertService.ResolveAsync(alert.Key, user.Email, _lifetime.Token);
            Snackbar.Add(L["Alerts.Resolved", alert.Title], Severity.Success);
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

    private sealed record AlertRow(
        long Id, string Key, string Kind, AlertSeverity Severity, int? OrganizerId, string? OrganizerName, string Title, string? Detail,
        DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, int Occurrences);
}
