using System.Globalization;
using BillingPortal.Core.Common;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BillingPortal.Components.Pages.Admin;

/// <summary>
/// The Mercado Pago webhook inbox for platform admins: how many notifications are in each state, and those that failed
/// every attempt (dead letters), newest first, with «Reintentar» per entry and «Reintentar todas» (both audited, through
/// <see cref="WebhookDeadLetters"/>). Times in Lima.
/// </summary>
public sealed partial class Webhooks : IDisposable
{
    private const int PageSize = 50;
    private readonly CancellationTokenSource _lifetime = new();
    private DeadLetterPage? _page;
    private int _pageNumber = 1;
    private bool _busy;

    [Inject]
    private WebhookDeadLetters DeadLetters { get; set; } = default!;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private PortalSessionAccessor Session { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private int PageCount => _page is null ? 0 : (int)Math.Ceiling(_page.TotalCount / (double)PageSize);

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var user = await Tenant.GetUserAsync();
        if (user is null) return;
        _page = await DeadLetters.ListAsync(user, _pageNumber - 1, PageSize, _lifetime.Token);
    }

    private async Task GoToPageAsync(int page)
    {
        _pageNumber = Math.Max(page, 1);
        await LoadAsync();
    }

    private async Task RetryAsync(DeadLetterRow row)
    {
        var user = await Tenant.GetUserAsync();
        if (_busy || user is null) return;
        _busy = true;
        try
        {
            var retried = await DeadLetters.RetryAsync(user, row.Id, Session.Current.Origin, _lifetime.Token);
            Snackbar.Add(retried ? L["Webhooks.Retried", row.Topic, row.ResourceId] : L["Webhooks.NotDeadAnymore"], retried ? Severity.Success : Severity.Info);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RetryAllAsync()
    {
        var user = await Tenant.GetUserAsync();
        if (_busy || user is null) return;
        _busy = true;
        try
        {
            var count = await DeadLetters.RetryAllAsync(user, Session.Current.Origin, _lifetime.Token);
            Snackbar.Add(L["Webhooks.RetriedAll", count.ToString("N0", CultureInfo.CurrentCulture)], count > 0 ? Severity.Success : Severity.Info);
            _pageNumber = 1;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private static Color StatusColor(WebhookInboxStatus status) => status switch
    {
        WebhookInboxStatus.DeadLettered => Color.Error,
        WebhookInboxStatus.Pending or WebhookInboxStatus.Processing => Color.Info,
        WebhookInboxStatus.Processed => Color.Success,
        WebhookInboxStatus.Ignored => Color.Default,
    };

    private static string When(DateTimeOffset instant) => PortalCultures.FormatDateTime(AccountingCalendar.Lima.ToLocal(instant));

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
