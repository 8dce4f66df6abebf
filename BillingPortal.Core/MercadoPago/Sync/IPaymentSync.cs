using BillingPortal.Core.Identity;

namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>
/// The payment sync of linked organizers (issue #5 §1–2): incremental runs by <c>date_last_updated</c> with a cursor,
/// the nightly reconciliation, and owners' rate-limited «Sincronizar ahora». One run per organizer at a time (a lease
/// on its <see cref="MercadoPagoSyncState"/>), every run recorded as a <see cref="MercadoPagoSyncRun"/>.
/// </summary>
public interface IPaymentSync
{
    /// <summary>Runs one sync of the organizer now (the jobs' and the manual trigger's body). Never throws for Mercado Pago failures: the summary says.</summary>
    Task<SyncRunSummary> RunAsync(int organizerId, SyncRunKind kind, int? triggeredByUserId, CancellationToken cancellationToken);

    /// <summary>Organizers with an active link whose next scheduled run is due (not backing off after failures).</summary>
    Task<IReadOnlyList<int>> DueOrganizersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// An owner's «Sincronizar ahora»: accepted at most once per <c>MercadoPago:Sync:ManualMinInterval</c> (default 5
    /// minutes) per organizer; records the request. The caller then starts <see cref="RunAsync"/> in the background.
    /// </summary>
    Task<ManualSyncDecision> RequestManualSyncAsync(OrganizerAccess access, CancellationToken cancellationToken);

    /// <summary>What the connection page shows about the sync: state and the latest runs.</summary>
    Task<SyncStatusView?> GetStatusAsync(OrganizerAccess access, int recentRuns, CancellationToken cancellationToken);
}

/// <summary>A finished run.</summary>
public sealed record SyncRunSummary(
    long RunId,
    int OrganizerId,
    SyncRunKind Kind,
    SyncRunStatus Status,
    int Pages,
    int PaymentsSeen,
    int PaymentsNew,
    int PaymentsChanged,
    int Errors,
    string? ErrorCode,
    string? ErrorMessage)
{
    /// <summary>Another run of the organizer held the lease: nothing was done (RunId 0).</summary>
    public bool Skipped => RunId == 0;
}

/// <summary>Whether a manual sync was accepted, and if not, why and for how long.</summary>
public sealed record ManualSyncDecision(bool Accepted, TimeSpan? RetryAfter, string Message);

/// <summary>The sync as the connection page shows it.</summary>
public sealed record SyncStatusView(
    DateTimeOffset? Cursor,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastFailureAt,
    int ConsecutiveFailures,
    string? LastErrorMessage,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastManualSyncAt,
    DateTimeOffset? LastReconciliationAt,
    bool FailureAlertRaised,
    IReadOnlyList<MercadoPagoSyncRun> RecentRuns);
