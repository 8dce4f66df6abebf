using System.Globalization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Organizers;
using BillingPortal.Components.Shared;
using BillingPortal.Localization;
using Microsoft.AspNetCore.Components;

namespace BillingPortal.Components.Pages.Summary;

/// <summary>
/// An organizer's period summary and balance. The URL (<c>?org=&amp;desde=&amp;hasta=</c>) is the state: a link
/// reproduces the view. The page only orchestrates; every figure comes from <see cref="LedgerQueries"/>.
/// </summary>
public sealed partial class Summary : IDisposable
{
    private IReadOnlyList<OrganizerListItem>? _organizers;
    private OrganizerListItem? _organizer;
    private bool _organizerNotFound;
    private DateOnly? _from;
    private DateOnly? _to;
    private bool _periodValid;
    private PeriodSummary? _summary;
    private BalanceSnapshot? _balance;
    private bool _loading;
    private (int OrganizerId, DatePeriod Period)? _shownKey;
    private CancellationTokenSource? _loadCancellation;
    private readonly CancellationTokenSource _lifetime = new();

    [Inject]
    private OrganizerQueries Organizers { get; set; } = default!;

    [Inject]
    private LedgerQueries Ledger { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "org")]
    public string? Org { get; set; }

    [SupplyParameterFromQuery(Name = "desde")]
    public string? Desde { get; set; }

    [SupplyParameterFromQuery(Name = "hasta")]
    public string? Hasta { get; set; }

    private AccountingCalendar Calendar => _organizer?.Calendar() ?? AccountingCalendar.Lima;

    protected override async Task OnParametersSetAsync()
    {
        // Prerendering shows the skeleton; the interactive circuit queries once.
        if (!RendererInfo.IsInteractive) return;

        var cancellationToken = _lifetime.Token;
        _organizers ??= await Organizers.ListAsync(cancellationToken);
        if (_organizers.Count == 0) return;

        await ResolveOrganizerAsync(cancellationToken);

        var noDates = string.IsNullOrEmpty(Desde) && string.IsNullOrEmpty(Hasta);
        if (noDates)
        {
            var thisMonth = PeriodPresets.ThisMonth(PeriodPresets.Today(Time, Calendar));
            (_from, _to) = (thisMonth.From, thisMonth.To);
        }
        else
        {
            (_from, _to) = (PortalCultures.FromQuery(Desde), PortalCultures.FromQuery(Hasta));
        }

        _periodValid = DatePeriod.Validate(_from, _to) is null;

        // A link without organizer or dates (or the bare "/") gets them spelled out, so it can be shared as is.
        if (string.IsNullOrEmpty(Org) || noDates || !IsSummaryPath())
        {
            Navigation.NavigateTo(Link(string.IsNullOrEmpty(Org) ? _organizer?.Id.ToString(CultureInfo.InvariantCulture) : Org,
                noDates ? ToQuery(_from) : Desde, noDates ? ToQuery(_to) : Hasta), replace: true);
        }

        await ShowAsync();
    }

    private async Task ResolveOrganizerAsync(CancellationToken cancellationToken)
    {
        _organizerNotFound = false;
        if (string.IsNullOrEmpty(Org))
        {
            _organizer = _organizers![0];
            return;
        }

        // Only an id that exists is ever used.
        _organizer = int.TryParse(Org, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await Organizers.FindAsync(id, cancellationToken)
            : null;
        _organizerNotFound = _organizer is null;
    }

    private async Task OnOrganizerChangedAsync(int organizerId)
    {
        var chosen = await Organizers.FindAsync(organizerId, _lifetime.Token);
        if (chosen is null) return;
        _organizer = chosen;
        _organizerNotFound = false;
        Navigation.NavigateTo(Link(chosen.Id.ToString(CultureInfo.InvariantCulture), ToQuery(_from), ToQuery(_to)));
        await ShowAsync();
    }

    private async Task OnPeriodChangedAsync(DatePeriod? period)
    {
        if (period is null)
        {
            // The picker shows why; nothing is queried until the period is valid again.
            _periodValid = false;
            await ShowAsync();
            return;
        }

        (_from, _to, _periodValid) = (period.From, period.To, true);
        Navigation.NavigateTo(Link(_organizer?.Id.ToString(CultureInfo.InvariantCulture) ?? Org, ToQuery(_from), ToQuery(_to)));
        await ShowAsync();
    }

    /// <summary>Loads the figures for the current organizer and period, unless they are already shown or loading.</summary>
    private async Task ShowAsync()
    {
        if (_organizer is null || !_periodValid || DatePeriod.Validate(_from, _to) is not null)
        {
            CancelLoad();
            (_shownKey, _summary, _balance, _loading) = (null, null, null, false);
            return;
        }

        var organizerId = _organizer.Id;
        var period = new DatePeriod(_from!.Value, _to!.Value);
        if (_shownKey == (organizerId, period)) return;

        CancelLoad();
        _shownKey = (organizerId, period);
        (_summary, _balance, _loading) = (null, null, true);
        _loadCancellation = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var cancellationToken = _loadCancellation.Token;
        StateHasChanged();

        try
        {
            var summary = Ledger.GetPeriodSummaryAsync(organizerId, period, null, cancellationToken);
            var balance = Ledger.GetBalanceAsync(organizerId, Time.GetUtcNow(), null, cancellationToken);
            await Task.WhenAll(summary, balance);
            if (cancellationToken.IsCancellationRequested) return;
            (_summary, _balance, _loading) = (await summary, await balance, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer choice replaced this one; its own load shows the figures.
        }
    }

    private void CancelLoad()
    {
        _loadCancellation?.Cancel();
        _loadCancellation?.Dispose();
        _loadCancellation = null;
    }

    private bool IsSummaryPath()
    {
        var path = Navigation.ToBaseRelativePath(Navigation.Uri);
        var end = path.IndexOfAny(['?', '#']);
        return (end < 0 ? path : path[..end]).Equals("resumen", StringComparison.OrdinalIgnoreCase);
    }

    private static string Link(string? org, string? desde, string? hasta) =>
        $"resumen?org={Uri.EscapeDataString(org ?? "")}&desde={Uri.EscapeDataString(desde ?? "")}&hasta={Uri.EscapeDataString(hasta ?? "")}";

    private static string? ToQuery(DateOnly? date) => date is { } d ? PortalCultures.ToQuery(d) : null;

    private string OrganizerLabel(int id)
    {
        var organizer = _organizers?.FirstOrDefault(o => o.Id == id);
        if (organizer is null) return "";
        var kind = organizer.TaxIdKind == TaxIdKind.Ruc ? L["TaxId.Ruc"] : L["TaxId.Dni"];
        return $"{organizer.LegalName} · {kind} {organizer.TaxId}";
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public void Dispose()
    {
        CancelLoad();
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
