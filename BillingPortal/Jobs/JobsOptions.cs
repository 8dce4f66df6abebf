namespace BillingPortal.Jobs;

/// <summary>
/// Section <c>Jobs</c>: the background jobs (Quartz, in-memory store). Only the web host schedules them; the
/// <c>migrate</c> and <c>seed</c> commands never do. The token renewal job's own switch and interval are
/// <c>MercadoPago:TokenRenewal:Enabled</c> (true) and <c>MercadoPago:TokenRenewal:Interval</c> (01:00:00).
/// </summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>All jobs on or off; null (default): on, except in the Testing environment (integration tests).</summary>
    public bool? Enabled { get; set; }

    public TokenKeyRotationJobOptions TokenKeyRotation { get; set; } = new();

    /// <summary>The incremental payment sync and the nightly reconciliation (their times: section <c>MercadoPago:Sync</c>).</summary>
    public PaymentSyncJobOptions PaymentSync { get; set; } = new();

    /// <summary>Background statement files and the monthly statements.</summary>
    public StatementJobOptions Statements { get; set; } = new();
}

/// <summary><see cref="StatementExportJob"/> (every <see cref="Interval"/>, and on demand) and <see cref="MonthlyStatementsJob"/>.</summary>
public sealed class StatementJobOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often queued exports are looked for (they are also started at once when asked for). Default 30 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The monthly statements on or off (default on).</summary>
    public bool MonthlyEnabled { get; set; } = true;

    /// <summary>Quartz cron in Lima time. Default: the 1st of each month at 02:00.</summary>
    public string MonthlyCron { get; set; } = "0 0 2 1 * ?";
}

/// <summary>
/// <see cref="PaymentSyncJob"/> (every <c>MercadoPago:Sync:Interval</c>, 15 minutes) and <see cref="PaymentReconciliationJob"/>
/// (daily at <c>MercadoPago:Sync:ReconciliationTimeLima</c>, 03:00 Lima).
/// </summary>
public sealed class PaymentSyncJobOptions
{
    /// <summary>The incremental sync schedule on or off (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The nightly reconciliation on or off (default on).</summary>
    public bool ReconciliationEnabled { get; set; } = true;

    /// <summary>Organizers synced at the same time by one pass (default 2: the machine's cores and Mercado Pago's rate limits).</summary>
    public int Parallelism { get; set; } = 2;
}

/// <summary>The re-encryption of stored tokens under the active key (at start-up, then every <see cref="Interval"/>).</summary>
public sealed class TokenKeyRotationJobOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Default: daily.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);
}
