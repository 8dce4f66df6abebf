using System.ComponentModel.DataAnnotations;

namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>
/// Section <c>MercadoPago:Sync</c>: the payment sync of linked organizers (issue #5 §1–2). Defaults follow the issue:
/// every 15 minutes with a 10-minute overlap, pages of 100, the nightly reconciliation of 30 days at 03:00 Lima, a
/// manual sync at most every 5 minutes, an admin alert after 3 failures in a row.
/// </summary>
public sealed class PaymentSyncOptions
{
    public const string SectionName = "MercadoPago:Sync";

    /// <summary>How often the incremental sync runs (the schedule's interval).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// An incremental run reads from cursor − overlap: a payment whose <c>date_last_updated</c> Mercado Pago indexed a
    /// little late, or that changed twice within a second, is read again (the upsert is idempotent).
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Search page size (<c>limit</c>); at most 100 (mercadopago-api.md §3.2 recommends ≤ 100).</summary>
    [Range(1, 100)]
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// The deepest <c>offset</c> the sync pages to in one window; beyond it the window restarts at the last
    /// <c>date_last_updated</c> seen (re-windowing, instead of deep offsets that Mercado Pago may refuse with error 1000).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxOffset { get; set; } = 1000;

    /// <summary>
    /// A long range (the first sync's 12 months) is read in consecutive windows of at most this many days: each search
    /// then counts (<c>paging.total</c>) and pages through a month's payments instead of a year's, and re-windowing
    /// stays rare (mercadopago-api.md §3.2: slice long periods into windows).
    /// </summary>
    [Range(1, 364)]
    public int WindowDays { get; set; } = 31;

    /// <summary>The nightly reconciliation re-reads this many days of <c>date_last_updated</c>.</summary>
    [Range(1, 364)]
    public int ReconciliationDays { get; set; } = 30;

    /// <summary>When the nightly reconciliation runs, Lima time.</summary>
    public TimeOnly ReconciliationTimeLima { get; set; } = new(3, 0);

    /// <summary>An owner's «Sincronizar ahora» is accepted at most once per this interval per organizer.</summary>
    public TimeSpan ManualMinInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed runs in a row that raise the admin alert <c>mercadopago.sync-failing</c>.</summary>
    [Range(1, 1000)]
    public int FailureAlertThreshold { get; set; } = 3;

    /// <summary>After the n-th failure in a row no scheduled run before now + min(base·2^(n−1), max).</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a run holds the organizer's lease without progress; each committed page extends it. A run found still
    /// <c>Running</c> after its lease expired (the process died) is marked abandoned by the next run.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);
}
