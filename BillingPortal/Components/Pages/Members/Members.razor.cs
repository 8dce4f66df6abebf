using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BillingPortal.Components.Pages.Members;

/// <summary>
/// An organizer's members and pending invitations. Owners invite, change roles, remove members and revoke invitations;
/// viewers (and platform admins, who act read-only) see the lists. The page gets its access from
/// <see cref="TenantAccessor"/> and every change goes to <see cref="MemberService"/>, which checks the role again.
/// </summary>
public sealed partial class Members : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly InviteModel _invite = new();
    private TenantResolution? _resolution;
    private OrganizerMemberList? _list;
    private string? _inviteError;
    private bool _busy;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private MemberService MemberService { get; set; } = default!;

    [Inject]
    private PortalSessionAccessor Session { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    private OrganizerAccess? Access => _resolution?.Access;

    private bool CanManage => Access?.IsOwner == true;

    /// <summary>Owners invite; so do platform admins, so that an organizer without owners can get its first one.</summary>
    private bool CanInvite => CanManage || _resolution?.User?.IsPlatformAdmin == true;

    private AccountingCalendar Calendar => _resolution?.Organizer?.Organizer.Calendar() ?? AccountingCalendar.Lima;

    protected override async Task OnParametersSetAsync()
    {
        _resolution = await Tenant.ResolveAsync(Org, _lifetime.Token);
        if (!Navigation.ContinueWhenResolved(_resolution, () => _list = null)) return;

        if (RendererInfo.IsInteractive) await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Access is { } access) _list = await MemberService.ListAsync(access, _lifetime.Token);
    }

    private async Task InviteAsync()
    {
        if (Access is not { } access || _busy) return;
        _inviteError = null;
        if (string.IsNullOrWhiteSpace(_invite.Email))
        {
            _inviteError = L["Members.Error.EmailRequired"];
            return;
        }

        _busy = true;
        try
        {
            var origin = Session.Current.Origin;
            var result = CanManage
                ? await MemberService.InviteAsync(access, _invite.Email, _invite.Role, origin, _lifetime.Token)
                : await MemberService.InviteAsPlatformAdminAsync(_resolution!.User!, access.OrganizerId, _invite.Email, _invite.Role, origin, _lifetime.Token);
            if (result.Succeeded)
            {
                Snackbar.Add(L["Members.Invite.Done", _invite.Email ?? ""], Severity.Success);
                _invite.Email = null;
                _invite.Role = OrganizerRole.Viewer;
                await LoadAsync();
            }
            else if (result.Error is MembershipError.EmailInvalid or MembershipError.AlreadyInvited or MembershipError.AlreadyMember)
            {
                _inviteError = ErrorText(result.Error.Value);
            }
            else
            {
                Snackbar.Add(ErrorText(result.Error!.Value), Severity.Error);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ChangeRoleAsync(MemberListItem member, OrganizerRole role)
    {
        if (Access is not { } access || role == member.Role) return;
        await RunAsync(() => MemberService.ChangeRoleAsync(access, member.MemberId, role, Session.Current.Origin, _lifetime.Token),
            L["Members.RoleChanged", member.Email, RoleName(role)]);
    }

    private async Task RemoveAsync(MemberListItem member)
    {
        if (Access is not { } access) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            L["Members.Remove.Title"], L["Members.Remove.Confirm", member.Email, _resolution!.Organizer!.Organizer.LegalName],
            yesText: L["Members.Remove.Yes"], cancelText: L["Common.Cancel"]);
        if (confirmed != true) return;
        await RunAsync(() => MemberService.RemoveAsync(access, member.MemberId, Session.Current.Origin, _lifetime.Token),
            L["Members.Removed", member.Email]);
    }

    private async Task RevokeAsync(InvitationListItem invitation)
    {
        if (Access is not { } access) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            L["Members.Revoke.Title"], L["Members.Revoke.Confirm", invitation.Email],
            yesText: L["Members.Revoke.Yes"], cancelText: L["Common.Cancel"]);
        if (confirmed != true) return;
        await RunAsync(() => MemberService.RevokeInvitationAsync(access, invitation.InvitationId, Session.Current.Origin, _lifetime.Token),
            L["Members.Revoked", invitation.Email]);
    }

    private async Task RunAsync(Func<Task<MembershipResult>> change, string success)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var result = await change();
            Snackbar.Add(result.Succeeded ? success : ErrorText(result.Error!.Value), result.Succeeded ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private string ErrorText(MembershipError error) => L[$"Members.Error.{error}"];

    private string RoleName(OrganizerRole role) => role == OrganizerRole.Owner ? L["Role.Owner"] : L["Role.Viewer"];

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    /// <summary>The invitation form; Core checks the email (format, duplicates) and answers with the rule that failed.</summary>
    private sealed class InviteModel
    {
        public string? Email { get; set; }

        public OrganizerRole Role { get; set; } = OrganizerRole.Viewer;
    }
}
