using System.Globalization;
using BillingPortal.Components.Shared;
using BillingPortal.Core.Common;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Endpoints;
using BillingPortal.Localization;
using BillingPortal.MercadoPago;
using BillingPortal.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BillingPortal.Components.Pages.MercadoPago;

/// <summary>
/// The organizer's Mercado Pago connection (issue #4 §3): its status, the account, the grant (live mode, scopes), who
/// linked it and when, the token's expiry and renewals, the last error explained; owners connect («Conectar Mercado
/// Pago», or «Volver a autorizar»), and disconnect after a confirmation, through plain form posts to
/// <see cref="Endpoints.MercadoPagoLinkEndpoints"/>; viewers read. <c>?resultado=</c> is the outcome of the last
/// connection attempt or disconnection (<see cref="LinkOutcomes"/>), or of «Sincronizar ahora» (<see cref="SyncOutcomes"/>).
/// The link is read during prerendering too, so the page tells the truth without a circuit. The «Sincronización» card
/// (<see cref="IPaymentSync.GetStatusAsync"/>) refreshes live when the organizer's payments change, and every few seconds
/// while a run is in progress.
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
    private SyncStatusView? _sync;
    private DateTimeOffset _now;
    private DateTimeOffset? _liveUpdatedAt;
    private LivePaymentRefresh? _live;
    private ITimer? _runningPoll;

    /// <summary>Runs shown in the card.</summary>
    public const int RecentRuns = 10;

    /// <summary>While a run is in progress the card re-reads the status this often.</summary>
    public static readonly TimeSpan RunningPollInterval = TimeSpan.FromSeconds(3);

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

    [Inject]
    private IPaymentSync Sync { get; set; } = default!;

    [Inject]
    private IPaymentChangeNotifier Notifier { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IOptionsMonitor<PaymentSyncOptions> SyncOptions { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    [SupplyParameterFromQuery(Name = "resultado")]
    public string? Resultado { get; set; }

    /// <summary>Seconds left before another manual sync is accepted (with <c>resultado=sync-limitada</c>).</summary>
    [SupplyParameterFromQuery(Name = MercadoPagoSyncEndpoints.WaitParameter)]
    public string? Espera { get; set; }

    private OrganizerAccess? Access => _resolution?.Access;

    private bool CanManage => Access?.IsOwner == true;

    private AccountingCalendar Calendar => _resolution?.Organizer?.Organizer.Calendar() ?? AccountingCalendar.Lima;

    private string? Outcome => !_outcomeDismissed && LinkOutcomes.IsKnown(Resultado) ? Resultado : null;

    private string? SyncOutcome => !_outcomeDismissed && SyncOutcomes.IsKnown(Resultado) ? Resultado : null;

    /// <summary><c>MercadoPago:Sync:ManualMinInterval</c> (5 minutes).</summary>
    private TimeSpan ManualInterval => SyncOptions.CurrentValue.ManualMinInterval;

    /// <summary><c>MercadoPago:Sync:Interval</c> (15 minutes).</summary>
    private TimeSpan SyncInterval => SyncOptions.CurrentValue.Interval;

    /// <summary>The time left before «Sincronizar ahora» is accepted again; null when it is.</summary>
    private TimeSpan? ManualWait =>
        _sync?.LastManualSyncAt is { } last && last + ManualInterval - _now is { } left && left > TimeSpan.Zero ? left : null;

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
        if (!Navigation.ContinueWhenResolved(_resolution, () => (_link, _loaded) = (null, false))) return;

        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Access is not { } access) return;
        var cancellationToken = _lifetime.Token;
        _link = await Linking.GetLinkAsync(access, cancellationToken);
        _linkedBy = _link is null ? null : await LinkedByAsync(access.OrganizerId, cancellationToken);
        await LoadSyncAsync(access, cancellationToken);
        _loaded = true;
        if (RendererInfo.IsInteractive)
        {
            _live ??= new LivePaymentRefresh(Notifier, Time, () => InvokeAsync(RefreshLiveAsync));
            _live.Watch(access.OrganizerId);
        }
    }

    private async Task LoadSyncAsync(OrganizerAccess access, CancellationToken cancellationToken)
    {
        _sync = await Sync.GetStatusAsync(access, RecentRuns, cancellationToken);
        _now = Time.GetUtcNow();
        PollWhileRunning();
    }

    /// <summary>Payments of the organizer changed: re-read the sync card (the link and account do not change with payments).</summary>
    private async Task RefreshLiveAsync()
    {
        if (Access is not { } access || _lifetime.IsCancellationRequested) return;
        await LoadSyncAsync(access, _lifetime.Token);
        _liveUpdatedAt = _now;
        StateHasChanged();
    }

    /// <summary>While the latest run is in progress (e.g. after «Sincronizar ahora»), re-read the card every few seconds.</summary>
    private void PollWhileRunning()
    {
        var running = RendererInfo.IsInteractive && _sync?.RecentRuns is [{ Status: SyncRunStatus.Running }, ..];
        if (running && _runningPoll is null)
        {
            _runningPoll = Time.CreateTimer(_ => Poll(), null, RunningPollInterval, RunningPollInterval);
        }
        else if (!running && _runningPoll is not null)
        {
            _runningPoll.Dispose();
            _runningPoll = null;
        }
    }

    private void Poll()
    {
        try
        {
            _ = InvokeAsync(PollAsync);
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone; Dispose stops the timer.
        }
    }

    private async Task PollAsync()
    {
        if (Access is not { } access || _lifetime.IsCancellationRequested) return;
        try
        {
            await LoadSyncAsync(access, _lifetime.Token);
            StateHasChanged();
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // The page closed.
        }
    }

    private string SyncOutcomeMessage(string outcome) => outcome switch
    {
        SyncOutcomes.RateLimited => L["MercadoPago.Outcome.sync-limitada",
            SyncOutcomes.MinutesLeft(int.TryParse(Espera, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : ManualInterval)],
        _ => L[$"MercadoPago.Outcome.{outcome}"],
    };

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
        _live?.Dispose();
        _runningPoll?.Dispose();
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
