using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Localization;
using BillingPortal.MercadoPago;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Components.Pages.MercadoPago;

/// <summary>
/// The organizer's Mercado Pago connection (issue #4 §3): its status, the account, the grant (live mode, scopes), who
/// linked it and when, the token's expiry and renewals, the last error explained; owners connect («Conectar Mercado
/// Pago», or «Volver a autorizar»), and disconnect after a confirmation, through plain form posts to
/// <see cref="Endpoints.MercadoPagoLinkEndpoints"/>; viewers read. <c>?resultado=</c> is the outcome of the last
/// connection attempt or disconnection (<see cref="LinkOutcomes"/>). The link is read during prerendering too, so the
/// page tells the truth without a circuit.
/// </summary>
public sealed partial class Connection : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private TenantResolution? _resolution;
    private MercadoPagoLinkView? _link;
    private string? _linkedBy;
    private bool _loaded;
    private bool _confirmDisconnect;
    private bool _outcomeDismissed;

    [Inject]
    private TenantAccessor Tenant { get; set; } = default!;

    [Inject]
    private IMercadoPagoLinking Linking { get; set; } = default!;

    [Inject]
    private IDbContextFactory<BillingDbContext> Db { get; set; } = default!;

    [Inject]
    private MercadoPagoMode Mode { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    [SupplyParameterFromQuery(Name = "resultado")]
    public string? Resultado { get; set; }

    private OrganizerAccess? Access => _resolution?.Access;

    private bool CanManage => Access?.IsOwner == true;

    private AccountingCalendar Calendar => _resolution?.Organizer?.Organizer.Calendar() ?? AccountingCalendar.Lima;

    private string? Outcome => !_outcomeDismissed && LinkOutcomes.IsKnown(Resultado) ? Resultado : null;

    private bool NeedsReauthorization => _link?.Status is MercadoPagoLinkStatus.RequiresReauthorization or MercadoPagoLinkStatus.Revoked;

    /// <summary>Connect when never linked, disconnected, revoked or needing re-authorization; not while active.</summary>
    private bool CanConnect => _link?.Status != MercadoPagoLinkStatus.Active;

    /// <summary>Disconnect while the portal still holds tokens (active, or waiting for re-authorization).</summary>
    private bool CanDisconnect => _link?.Status is MercadoPagoLinkStatus.Active or MercadoPagoLinkStatus.RequiresReauthorization;

    private string StatusKey => _link?.Status.ToString() ?? "None";

    protected override async Task OnParametersSetAsync()
    {
        _outcomeDismissed = false;
        _confirmDisconnect = false;
        _resolution = await Tenant.ResolveAsync(Org, _lifetime.Token);
        switch (_resolution.Status)
        {
            case TenantStatus.Resolved:
                break;
            case TenantStatus.NotFound:
                (_link, _loaded) = (null, false);
                Navigation.NotFound();
                return;
            case TenantStatus.NoOrganizer:
                Navigation.NavigateTo(AccountPaths.NoOrganizer.TrimStart('/'), replace: true);
                return;
            case TenantStatus.NotSignedIn:
                Navigation.NavigateTo(AccountPaths.SignInLink("/" + Navigation.ToBaseRelativePath(Navigation.Uri)), forceLoad: true);
                return;
        }

        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Access is not { } access) return;
        var cancellationToken = _lifetime.Token;
        _link = await Linking.GetLinkAsync(access, cancellationToken);
        _linkedBy = _link is null ? null : await LinkedByAsync(access.OrganizerId, cancellationToken);
        _loaded = true;
    }

    /// <summary>Who linked the account (name, else email): a member of this organizer, shown to its members only.</summary>
    private async Task<string?> LinkedByAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = await Db.CreateDbContextAsync(cancellationToken);
        return await (
                from l in db.MercadoPagoLinks.AsNoTracking()
                join u in db.Users.AsNoTracking() on l.LinkedByUserId equals (int?)u.Id
                where l.OrganizerId == organizerId
                select u.DisplayName ?? u.Email)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private void DismissOutcome() => _outcomeDismissed = true;

    private string When(DateTimeOffset instant) => PortalCultures.FormatDateTime(Calendar.ToLocal(instant));

    private static List<string> Scopes(string? scopes) =>
        [.. (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private string ScopeHelp(string scope) => scope switch
    {
        "offline_access" => L["MercadoPago.Scope.offline_access"],
        "read" => L["MercadoPago.Scope.read"],
        "write" => L["MercadoPago.Scope.write"],
        _ => scope,
    };

    /// <summary>The last error in words: <see cref="MercadoPagoLink.LastErrorCode"/> is an OAuth error key or an error kind.</summary>
    private string ErrorExplanation(string code)
    {
        var normalized = new string([.. code.Where(char.IsLetterOrDigit)]).ToUpperInvariant();
        var key = normalized switch
        {
            "INVALIDGRANT" => "InvalidGrant",
            "INVALIDCLIENT" or "UNAUTHORIZEDCLIENT" => "InvalidClient",
            "UNAUTHORIZED" or "FORBIDDEN" => "Unauthorized",
            "RATELIMITED" or "LOCALRATELIMITED" => "RateLimited",
            "SERVERERROR" or "TIMEOUT" or "CIRCUITOPEN" or "NETWORK" => "Unavailable",
            "INVALIDRESPONSE" => "InvalidResponse",
            _ => "Other",
        };
        return L[$"MercadoPago.Error.{key}"];
    }

    /// <summary>The error's code, when it happened and how many renewals failed in a row.</summary>
    private string ErrorContext(MercadoPagoLinkView link)
    {
        var parts = new List<string> { link.LastErrorCode ?? "" };
        if (link.LastErrorAt is { } at) parts.Add(When(at));
        if (link.RenewalFailures > 0) parts.Add(L["MercadoPago.RenewalFailures", link.RenewalFailures]);
        return string.Join(" · ", parts);
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
