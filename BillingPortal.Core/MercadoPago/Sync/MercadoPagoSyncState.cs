namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>
/// Where an organizer's payment sync stands (one row per organizer): the cursor (the highest <c>date_last_updated</c>
/// of a committed page), failures and backoff, the manual-sync rate limit, and a lease so that only one run per
/// organizer is in flight across instances.
/// </summary>
public class MercadoPagoSyncState
{
    public int OrganizerId { get; set; }

    /// <summary>
    /// The <c>date_last_updated</c> up to which every payment is stored; advanced only after the page that reached it is
    /// committed. The next incremental run starts at cursor − overlap. Null: never synced (the first run goes back 12 months).
    /// </summary>
    public DateTimeOffset? Cursor { get; set; }

    public DateTimeOffset? InitialSyncCompletedAt { get; set; }

    public DateTimeOffset? LastRunStartedAt { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public DateTimeOffset? LastFailureAt { get; set; }

    /// <summary>Failed runs in a row (reset by a success); at the configured threshold an admin alert is raised.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>After a failure, no scheduled run before this (exponential backoff).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>The last failure's code (Mercado Pago error key/cause or kind), never a token.</summary>
    public string? LastErrorCode { get; set; }

    /// <summary>The last failure in Spanish, for the connection page.</summary>
    public string? LastErrorMessage { get; set; }

    /// <summary>The last «Sincronizar ahora» accepted (rate limit).</summary>
    public DateTimeOffset? LastManualSyncAt { get; set; }

    public DateTimeOffset? LastReconciliationAt { get; set; }

    /// <summary>The run holding the organizer's sync lease.</summary>
    public Guid? LeaseId { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>Optimistic concurrency.</summary>
    public int Version { get; set; }
}

/// <summary>Why a sync run ran.</summary>
public enum SyncRunKind
{
    /// <summary>The scheduled incremental run (every 15 minutes by default).</summary>
    Incremental,

    /// <summary>The nightly re-read of the last 30 days.</summary>
    Reconciliation,

    /// <summary>An owner's «Sincronizar ahora».</summary>
    Manual,
}

public enum SyncRunStatus
{
    Running,
    Succeeded,
    Failed,

    /// <summary>The process stopped mid-run (found still running with an expired lease).</summary>
    Abandoned,
}

/// <summary>One sync run, recorded for the connection page and the admins' sync health.</summary>
public class MercadoPagoSyncRun
{
    public long Id { get; set; }

    public int OrganizerId { get; set; }

    public SyncRunKind Kind { get; set; }

    public SyncRunStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The <c>date_last_updated</c> window read.</summary>
    public DateTimeOffset? WindowFrom { get; set; }

    public DateTimeOffset? WindowTo { get; set; }

    public DateTimeOffset? CursorBefore { get; set; }

    public DateTimeOffset? CursorAfter { get; set; }

    public int Pages { get; set; }

    public int PaymentsSeen { get; set; }

    public int PaymentsNew { get; set; }

    public int PaymentsChanged { get; set; }

    /// <summary>Pages or calls that failed and were retried or ended the run.</summary>
    public int Errors { get; set; }

    public string? ErrorCode { get; set; }

    /// <summary>Spanish, no secrets.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>Who asked for a manual run.</summary>
    public int? TriggeredByUserId { get; set; }
}
