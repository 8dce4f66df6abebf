using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Localization;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace BillingPortal.Components.Pages.ApiKeys;

/// <summary>
/// An organizer's API keys (for its ERP or scripts): owners create one with a name (the key is shown once, here, and never
/// again), see prefix, creation and last use, and revoke; viewers see the list. Access comes from
/// <see cref="TenantAccessor"/>; <see cref="ApiKeyService"/> checks the role again.
/// </summary>
public sealed partial class ApiKeys : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CreateModel _create = new();
    private TenantResolution? _resolution;
    private IReadOnlyList<ApiKeyListItem>? _keys;
    private CreatedApiKey? _created;
    private string? _createError;
    private bool _busy;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private ApiKeyService Keys { get; set; } = default!;

    [Inject]
    private PortalSessionAccessor Session { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    private OrganizerAccess? Access => _resolution?.Access;

    private bool CanManage => Access?.IsOwner == true;

    private AccountingCalendar Calendar => _resolution?.Organizer?.Organizer.Calendar() ?? AccountingCalendar.Lima;

    protected override async Task OnParametersSetAsync()
    {
        _resolution = await Tenant.ResolveAsync(Org, _lifetime.Token);
        if (!Navigation.ContinueWhenResolved(_resolution, () => (_keys, _created) = (null, null))) return;

        if (RendererInfo.IsInteractive) await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Access is { } access) _keys = await Keys.ListAsync(access, _lifetime.Token);
    }

    private async Task CreateAsync()
    {
        if (Access is not { } access || _busy) return;
        (_createError, _created, _busy) = (null, null, true);
        try
        {
            var result = await Keys.CreateAsync(access, _create.Name, Session.Current.Origin, _lifetime.Token);
            switch (result)
            {
                case ApiKeyResult<CreatedApiKey>.Success success:
                    _created = success.Value;
                    _create.Name = null;
                    await LoadAsync();
                    break;
                case ApiKeyResult<CreatedApiKey>.Invalid invalid:
                    _createError = L[$"ApiKeys.Error.{invalid.Rule}"];
                    break;
                case ApiKeyResult<CreatedApiKey>.Forbidden:
                    Snackbar.Add(L["ApiKeys.Error.Forbidden"], Severity.Error);
                    break;
                case ApiKeyResult<CreatedApiKey>.NotFound:
                    Snackbar.Add(L["ApiKeys.Error.NotFound"], Severity.Error);
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync(ApiKeyListItem key)
    {
        if (Access is not { } access || _busy) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            L["ApiKeys.Revoke.Title"], L["ApiKeys.Revoke.Confirm", key.Name], yesText: L["Members.Revoke.Yes"], cancelText: L["Common.Cancel"]);
        if (confirmed != true) return;

        _busy = true;
        try
        {
            var result = await Keys.RevokeAsync(access, key.Id, Session.Current.Origin, _lifetime.Token);
            var (message, severity) = result switch
            {
                ApiKeyResult<ApiKeyListItem>.Success => (L["ApiKeys.Revoked.Done", key.Name].Value, Severity.Success),
                ApiKeyResult<ApiKeyListItem>.Forbidden => (L["ApiKeys.Error.Forbidden"].Value, Severity.Error),
                _ => (L["ApiKeys.Error.NotFound"].Value, Severity.Error),
            };
            Snackbar.Add(message, severity);
            if (_created?.Key.Id == key.Id) _created = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CopyAsync()
    {
        if (_created is null) return;
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", _created.PlainKey);
            Snackbar.Add(L["ApiKeys.Created.Copied"], Severity.Info);
        }
        catch (JSException)
        {
            // No clipboard permission (e.g. plain HTTP on another host): the key stays on screen, selectable.
            Snackbar.Add(L["ApiKeys.Created.CopyFailed"], Severity.Warning);
        }
    }

    private string When(DateTimeOffset instant) => PortalCultures.FormatDateTime(Calendar.ToLocal(instant));

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    private sealed class CreateModel
    {
        public string? Name { get; set; }
    }
}
