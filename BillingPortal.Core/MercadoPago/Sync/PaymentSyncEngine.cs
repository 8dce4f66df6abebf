using System.Diagnostics;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>
/// <see cref="IPaymentSync"/>: reads an organizer's payments from <c>/v1/payments/search</c> by <c>date_last_updated</c>
/// (ascending, absolute windows under 365 days, pages of <see cref="PaymentSyncOptions.PageSize"/>, re-windowing instead
/// of deep offsets; see <see cref="SyncPager"/>) and writes each page through <see cref="PaymentUpserter"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>One run per organizer at a time, across instances: a lease on its <see cref="MercadoPagoSyncState"/> row taken
/// by one conditional UPDATE (free or expired); a run that cannot take it returns a skipped summary. Runs left
/// <see cref="SyncRunStatus.Running"/> by a process that died are marked <see cref="SyncRunStatus.Abandoned"/> by the
/// next run that takes the lease.</item>
/// <item>Each page's payments, the cursor (the highest <c>date_last_updated</c> committed, never moved backwards), the
/// lease's extension and the run's counters are committed in one transaction, conditioned on still holding the lease:
/// a crash or kill at any point resumes at cursor − overlap with nothing lost and nothing doubled.</item>
/// <item>Failures (<see cref="MercadoPagoApiException"/> after the client's retries, <see cref="MercadoPagoLinkUnavailableException"/>,
/// anything else) end the run as <see cref="SyncRunStatus.Failed"/> with a code and a Spanish message, count a
/// consecutive failure, back off exponentially (<see cref="PaymentSyncOptions.BackoffBase"/> doubling up to
/// <see cref="PaymentSyncOptions.BackoffMax"/>) and at <see cref="PaymentSyncOptions.FailureAlertThreshold"/> raise
/// <see cref="AlertKinds.SyncFailing"/>; a success resets the count and resolves the alert. A cancelled run is
/// recorded as abandoned and the cancellation propagates.</item>
/// <item>Logs carry organizer, run, pages and counts; never a token or payer data.</item>
/// </list>
/// </remarks>
public sealed class PaymentSyncEngine(
    IDbContextFactory<BillingDbContext> factory,
    IMercadoPagoSellerApi sellerApi,
    PaymentUpserter upserter,
    IAdminAlerts alerts,
    MercadoPagoMetrics metrics,
    IOptions<PaymentSyncOptions> options,
    TimeProvider time,
    ILogger<PaymentSyncEngine> logger) : IPaymentSync
{
    internal const string LinkUnavailableCode = "link_unavailable";
    internal const string UnexpectedCode = "unexpected";
    internal const string LeaseLostCode = "lease_lost";
    internal const string SkippedCode = "already_running";

    private PaymentSyncOptions Options => options.Value;

    /// <summary>The open alert's key for an organizer's failing sync.</summary>
    public static string AlertKey(int organizerId) => AlertKinds.SyncFailing + ":org:" + organizerId.ToString(CultureInfo.InvariantCulture);

    public async Task<SyncRunSummary> RunAsync(int organizerId, SyncRunKind kind, int? triggeredByUserId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var leaseId = Guid.NewGuid();
        await EnsureStateAsync(organizerId, cancellationToken);
        if (!await TryTakeLeaseAsync(organizerId, leaseId, now, cancellationToken))
        {
            logger.LogInformation("Mercado Pago sync of organizer {OrganizerId} ({Kind}) skipped: another run holds the lease", organizerId, kind);
            Record(kind, "skipped", started);
            return new SyncRunSummary(0, organizerId, kind, SyncRunStatus.Running, 0, 0, 0, 0, 0, SkippedCode, "Ya hay una sincronización en curso para este organizador.");
        }

        MercadoPagoSyncState state;
        MercadoPagoSyncRun run;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var abandoned = await db.MercadoPagoSyncRuns
                .Where(r => r.OrganizerId == organizerId && r.Status == SyncRunStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, SyncRunStatus.Abandoned)
                    .SetProperty(r => r.FinishedAt, now)
                    .SetProperty(r => r.ErrorCode, "abandoned")
                    .SetProperty(r => r.ErrorMessage, "La sincronización se interrumpió antes de terminar; la siguiente continuó desde el último punto guardado."), cancellationToken);
            if (abandoned > 0) logger.LogWarning("Mercado Pago sync of organizer {OrganizerId}: {Count} runs left running by a stopped process marked abandoned", organizerId, abandoned);

            state = await db.MercadoPagoSyncStates.AsNoTracking().SingleAsync(s => s.OrganizerId == organizerId, cancellationToken);
            run = new MercadoPagoSyncRun
            {
                OrganizerId = organizerId,
                Kind = kind,
                Status = SyncRunStatus.Running,
                StartedAt = now,
                CursorBefore = state.Cursor,
                TriggeredByUserId = triggeredByUserId,
            };
            db.MercadoPagoSyncRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation("Mercado Pago sync run {RunId} of organizer {OrganizerId} ({Kind}) started from cursor {Cursor}", run.Id, organizerId, kind, state.Cursor);
        var progress = new RunProgress(state.Cursor);
        try
        {
            await ReadAsync(organizerId, kind, leaseId, run, progress, now, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAbandonedAsync(organizerId, leaseId, run.Id, progress, kind, started);
            throw;
        }
        catch (SyncLeaseLostException)
        {
            return await FinishLeaseLostAsync(organizerId, run, progress, kind, started);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e, organizerId, run.Id);
            return await FinishFailedAsync(organizerId, leaseId, run, progress, kind, code, message, started);
        }

        return await FinishSucceededAsync(organizerId, leaseId, run, progress, kind, state.ConsecutiveFailures, started);
    }

    public async Task<IReadOnlyList<int>> DueOrganizersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MercadoPagoLinks.AsNoTracking()
            .Where(l => l.Status == MercadoPagoLinkStatus.Active)
            .Where(l => !db.MercadoPagoSyncStates.Any(s => s.OrganizerId == l.OrganizerId && s.NextAttemptAt != null && s.NextAttemptAt > now))
            .OrderBy(l => l.OrganizerId)
            .Select(l => l.OrganizerId)
            .ToListAsync(cancellationToken);
    }

    public async Task<ManualSyncDecision> RequestManualSyncAsync(OrganizerAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (!access.IsOwner) throw new UnauthorizedAccessException("Only an owner can start a manual sync.");
        var organizerId = access.OrganizerId;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var linked = await db.MercadoPagoLinks.AnyAsync(l => l.OrganizerId == organizerId && l.Status == MercadoPagoLinkStatus.Active, cancellationToken);
            if (!linked) return new ManualSyncDecision(false, null, "Conecta tu cuenta de Mercado Pago para sincronizar los pagos.");
        }

        await EnsureStateAsync(organizerId, cancellationToken);
        var now = time.GetUtcNow();
        var allowedBefore = now - Options.ManualMinInterval;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            // One conditional UPDATE: of two clicks at once, only one finds the previous request old enough.
            var accepted = await db.MercadoPagoSyncStates
                .Where(s => s.OrganizerId == organizerId && (s.LastManualSyncAt == null || s.LastManualSyncAt <= allowedBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastManualSyncAt, now), cancellationToken);
            if (accepted == 1)
            {
                logger.LogInformation("Manual Mercado Pago sync of organizer {OrganizerId} requested by user {UserId}", organizerId, access.UserId);
                return new ManualSyncDecision(true, null, "Sincronización iniciada: los pagos nuevos aparecerán en unos momentos.");
            }

            var last = await db.MercadoPagoSyncStates.AsNoTracking().Where(s => s.OrganizerId == organizerId)
                .Select(s => s.LastManualSyncAt).SingleAsync(cancellationToken) ?? now;
            var left = last + Options.ManualMinInterval - now;
            if (left < TimeSpan.Zero) left = TimeSpan.Zero;
            var minutes = Math.Max(1, (int)Math.Ceiling(left.TotalMinutes));
            return new ManualSyncDecision(false, left, $"Podrás sincronizar de nuevo en {minutes.ToString(CultureInfo.InvariantCulture)} min.");
        }
    }

    public async Task<SyncStatusView?> GetStatusAsync(OrganizerAccess access, int recentRuns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentOutOfRangeException.ThrowIfNegative(recentRuns);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var state = await db.MercadoPagoSyncStates.AsNoTracking().FirstOrDefaultAsync(s => s.OrganizerId == access.OrganizerId, cancellationToken);
        if (state is null) return null;
        var runs = recentRuns == 0
            ? []
            : await db.MercadoPagoSyncRuns.AsNoTracking()
                .Where(r => r.OrganizerId == access.OrganizerId)
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                .Take(recentRuns)
                .ToListAsync(cancellationToken);
        return new SyncStatusView(
            state.Cursor,
            state.LastSuccessAt,
            state.LastFailureAt,
            state.ConsecutiveFailures,
            state.LastErrorMessage,
            state.NextAttemptAt,
            state.LastManualSyncAt,
            state.LastReconciliationAt,
            state.ConsecutiveFailures >= Options.FailureAlertThreshold,
            runs);
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: min(base·2^(n−1), max).</summary>
    internal static TimeSpan Backoff(int failures, TimeSpan @base, TimeSpan max)
    {
        if (failures <= 0) return TimeSpan.Zero;
        var exponent = Math.Min(failures - 1, 40);
        var ticks = @base.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    private async Task ReadAsync(int organizerId, SyncRunKind kind, Guid leaseId, MercadoPagoSyncRun run, RunProgress progress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = Options;
        var (from, to) = SyncWindows.Range(kind, progress.Cursor, now, settings);
        progress.WindowFrom = from;
        progress.WindowTo = to;
        var pageSize = Math.Clamp(settings.PageSize, 1, 100);
        foreach (var (begin, end) in SyncWindows.Split(from, to, SyncWindows.WindowSpan(settings)))
        {
            var pager = new SyncPager(begin, end, pageSize, settings.MaxOffset);
            using var readAhead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<MpPaymentSearchResponse>? next = SearchAsync(organizerId, pager, readAhead.Token);
            try
            {
                while (next is not null)
                {
                    var response = await next;
                    var results = response.Results ?? [];
                    var instants = results.Select(PaymentUpserter.LastUpdated).ToList();
                    var cursor = progress.Cursor;
                    foreach (var instant in instants)
                    {
                        if (cursor is null || instant > cursor) cursor = instant;
                    }

                    // Read ahead: the next page travels while this one is written (it is only used once this one is committed).
                    pager.Advance(instants, response.Paging?.Total ?? 0);
                    next = pager.Done ? null : SearchAsync(organizerId, pager, readAhead.Token);

                    await upserter.UpsertAsync(organizerId, results, PaymentUpsertSources.Sync, async (db, outcomes, ct) =>
                    {
                        var created = outcomes.Count(o => o.Result == PaymentUpsertResult.Created);
                        var updated = outcomes.Count(o => o.Result == PaymentUpsertResult.Updated);
                        var leaseUntil = time.GetUtcNow() + settings.LeaseDuration;
                        var held = await db.MercadoPagoSyncStates
                            .Where(s => s.OrganizerId == organizerId && s.LeaseId == leaseId)
                            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Cursor, cursor).SetProperty(x => x.LeaseUntil, leaseUntil), ct);
                        if (held == 0) throw new SyncLeaseLostException();
                        await db.MercadoPagoSyncRuns
                            .Where(r => r.Id == run.Id)
                            .ExecuteUpdateAsync(s => s
                                .SetProperty(r => r.Pages, r => r.Pages + 1)
                                .SetProperty(r => r.PaymentsSeen, r => r.PaymentsSeen + results.Count)
                                .SetProperty(r => r.PaymentsNew, r => r.PaymentsNew + created)
                                .SetProperty(r => r.PaymentsChanged, r => r.PaymentsChanged + updated)
                                .SetProperty(r => r.CursorAfter, cursor)
                                .SetProperty(r => r.WindowFrom, from)
                                .SetProperty(r => r.WindowTo, to), ct);
                        progress.Pending = (created, updated);
                    }, cancellationToken);

                    // Committed: the page and the cursor are stored together.
                    progress.Cursor = cursor;
                    progress.Pages++;
                    progress.Seen += results.Count;
                    progress.New += progress.Pending.Created;
                    progress.Changed += progress.Pending.Updated;
                    metrics.SyncPages.Add(1, new KeyValuePair<string, object?>("kind", KindTag(kind)));
                    logger.LogDebug(
                        "Mercado Pago sync run {RunId} of organizer {OrganizerId}: page {Page} with {Count} payments ({New} new, {Changed} changed), cursor {Cursor}",
                        run.Id, organizerId, progress.Pages, results.Count, progress.Pending.Created, progress.Pending.Updated, cursor);
                }
            }
            finally
            {
                if (next is not null)
                {
                    // The run ended early: the page read ahead is not needed.
                    await readAhead.CancelAsync();
                    await next.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }
            }

            progress.Rewindows += pager.Rewindows;
            if (pager.DeepPages > 0)
            {
                logger.LogWarning(
                    "Mercado Pago sync run {RunId} of organizer {OrganizerId}: {Pages} pages past the maximum offset (more payments than it share one date_last_updated)",
                    run.Id, organizerId, pager.DeepPages);
            }
        }
    }

    /// <summary>The search of the pager's current page with the organizer's token (renewed once on a 401 by the seller API).</summary>
    private Task<MpPaymentSearchResponse> SearchAsync(int organizerId, SyncPager pager, CancellationToken cancellationToken)
    {
        var search = new MpPaymentSearch
        {
            Range = "date_last_updated",
            Sort = "date_last_updated",
            Criteria = "asc",
            BeginDate = MpPaymentSearch.FormatDate(pager.Begin),
            EndDate = MpPaymentSearch.FormatDate(pager.End),
            Limit = pager.PageSize,
            Offset = pager.Offset,
        };
        return sellerApi.ExecuteAsync(organizerId, (api, token, ct) => api.SearchPaymentsAsync(token, search, ct), cancellationToken);
    }

    private async Task<SyncRunSummary> FinishSucceededAsync(int organizerId, Guid leaseId, MercadoPagoSyncRun run, RunProgress progress, SyncRunKind kind, int previousFailures, long started)
    {
        var now = time.GetUtcNow();
        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            var reconciliation = kind == SyncRunKind.Reconciliation;
            await db.MercadoPagoSyncStates
                .Where(s => s.OrganizerId == organizerId && s.LeaseId == leaseId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.LastSuccessAt, now)
                    .SetProperty(x => x.ConsecutiveFailures, 0)
                    .SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null)
                    .SetProperty(x => x.LastErrorCode, (string?)null)
                    .SetProperty(x => x.LastErrorMessage, (string?)null)
                    .SetProperty(x => x.InitialSyncCompletedAt, x => x.InitialSyncCompletedAt ?? now)
                    .SetProperty(x => x.LastReconciliationAt, x => reconciliation ? now : x.LastReconciliationAt)
                    .SetProperty(x => x.LeaseId, (Guid?)null)
                    .SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(x => x.Version, x => x.Version + 1), CancellationToken.None);
            await UpdateRunAsync(db, run.Id, SyncRunStatus.Succeeded, progress, now, 0, null, null);
        }

        if (previousFailures > 0) await alerts.ResolveAsync(AlertKey(organizerId), AuditTrail.PlatformActor, CancellationToken.None);
        Record(kind, "succeeded", started);
        logger.LogInformation(
            "Mercado Pago sync run {RunId} of organizer {OrganizerId} ({Kind}) succeeded: {Pages} pages, {Seen} payments, {New} new, {Changed} changed, {Rewindows} re-windows, cursor {Cursor}",
            run.Id, organizerId, kind, progress.Pages, progress.Seen, progress.New, progress.Changed, progress.Rewindows, progress.Cursor);
        return new SyncRunSummary(run.Id, organizerId, kind, SyncRunStatus.Succeeded, progress.Pages, progress.Seen, progress.New, progress.Changed, 0, null, null);
    }

    private async Task<SyncRunSummary> FinishFailedAsync(
        int organizerId, Guid leaseId, MercadoPagoSyncRun run, RunProgress progress, SyncRunKind kind, string code, string message, long started)
    {
        var settings = Options;
        var now = time.GetUtcNow();
        int failures;
        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            failures = await db.MercadoPagoSyncStates.AsNoTracking().Where(s => s.OrganizerId == organizerId)
                .Select(s => s.ConsecutiveFailures).SingleAsync(CancellationToken.None) + 1;
            var next = now + Backoff(failures, settings.BackoffBase, settings.BackoffMax);
            await db.MercadoPagoSyncStates
                .Where(s => s.OrganizerId == organizerId && s.LeaseId == leaseId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.LastFailureAt, now)
                    .SetProperty(x => x.ConsecutiveFailures, failures)
                    .SetProperty(x => x.NextAttemptAt, next)
                    .SetProperty(x => x.LastErrorCode, code)
                    .SetProperty(x => x.LastErrorMessage, message)
                    .SetProperty(x => x.LeaseId, (Guid?)null)
                    .SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(x => x.Version, x => x.Version + 1), CancellationToken.None);
            await UpdateRunAsync(db, run.Id, SyncRunStatus.Failed, progress, now, 1, code, message);
            logger.LogWarning(
                "Mercado Pago sync run {RunId} of organizer {OrganizerId} ({Kind}) failed with {ErrorCode} after {Pages} pages ({New} new, {Changed} changed); {Failures} failures in a row, next attempt at {NextAttemptAt}",
                run.Id, organizerId, kind, code, progress.Pages, progress.New, progress.Changed, failures, next);
        }

        if (failures >= settings.FailureAlertThreshold)
        {
            await alerts.RaiseAsync(
                AlertKinds.SyncFailing,
                AlertKey(organizerId),
                AlertSeverity.Warning,
                organizerId,
                "La sincronización de pagos de Mercado Pago está fallando",
                $"{failures.ToString(CultureInfo.InvariantCulture)} intentos seguidos fallaron. Último error: {message}",
                CancellationToken.None);
        }

        Record(kind, "failed", started);
        return new SyncRunSummary(run.Id, organizerId, kind, SyncRunStatus.Failed, progress.Pages, progress.Seen, progress.New, progress.Changed, 1, code, message);
    }

    private async Task FinishAbandonedAsync(int organizerId, Guid leaseId, long runId, RunProgress progress, SyncRunKind kind, long started)
    {
        var now = time.GetUtcNow();
        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            await db.MercadoPagoSyncStates
                .Where(s => s.OrganizerId == organizerId && s.LeaseId == leaseId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseId, (Guid?)null).SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            await UpdateRunAsync(db, runId, SyncRunStatus.Abandoned, progress, now, 0, "cancelled", "La sincronización se canceló antes de terminar; la siguiente continuará desde el último punto guardado.");
        }

        Record(kind, "abandoned", started);
        logger.LogWarning("Mercado Pago sync run {RunId} of organizer {OrganizerId} ({Kind}) cancelled after {Pages} pages, cursor {Cursor}", runId, organizerId, kind, progress.Pages, progress.Cursor);
    }

    private async Task<SyncRunSummary> FinishLeaseLostAsync(int organizerId, MercadoPagoSyncRun run, RunProgress progress, SyncRunKind kind, long started)
    {
        const string message = "La sincronización tardó más que su turno y otra ejecución la reemplazó.";
        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            await UpdateRunAsync(db, run.Id, SyncRunStatus.Abandoned, progress, time.GetUtcNow(), 0, LeaseLostCode, message);
        }

        Record(kind, "abandoned", started);
        logger.LogWarning("Mercado Pago sync run {RunId} of organizer {OrganizerId} lost its lease after {Pages} pages; its last page was not committed", run.Id, organizerId, progress.Pages);
        return new SyncRunSummary(run.Id, organizerId, kind, SyncRunStatus.Abandoned, progress.Pages, progress.Seen, progress.New, progress.Changed, 0, LeaseLostCode, message);
    }

    /// <summary>Writes the run's end (the per-page counters were committed with each page; these are the same totals).</summary>
    private static Task<int> UpdateRunAsync(BillingDbContext db, long runId, SyncRunStatus status, RunProgress progress, DateTimeOffset now, int errors, string? code, string? message) =>
        db.MercadoPagoSyncRuns
            .Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Pages, progress.Pages)
                .SetProperty(r => r.PaymentsSeen, progress.Seen)
                .SetProperty(r => r.PaymentsNew, progress.New)
                .SetProperty(r => r.PaymentsChanged, progress.Changed)
                .SetProperty(r => r.WindowFrom, progress.WindowFrom)
                .SetProperty(r => r.WindowTo, progress.WindowTo)
                .SetProperty(r => r.CursorAfter, progress.Cursor)
                .SetProperty(r => r.Errors, errors)
                .SetProperty(r => r.ErrorCode, code)
                .SetProperty(r => r.ErrorMessage, message), CancellationToken.None);

    private (string Code, string Message) Describe(Exception exception, int organizerId, long runId)
    {
        switch (exception)
        {
            case MercadoPagoApiException api:
                var code = api.Error.CauseCode ?? api.Error.ErrorKey ?? api.Error.Kind.ToString();
                logger.LogWarning(
                    "Mercado Pago sync run {RunId} of organizer {OrganizerId}: Mercado Pago failed ({Kind}, HTTP {Status}, request {RequestId})",
                    runId, organizerId, api.Error.Kind, api.Error.HttpStatus, api.Error.RequestId);
                return (Truncate(code, 64), MercadoPagoErrorMessages.Spanish(api));
            case MercadoPagoLinkUnavailableException link:
                logger.LogWarning("Mercado Pago sync run {RunId} of organizer {OrganizerId}: no active link ({Status})", runId, organizerId, link.Status);
                return (LinkUnavailableCode, "La cuenta de Mercado Pago no está conectada o requiere reautorización: vuelva a conectarla para sincronizar los pagos.");
            default:
                logger.LogError(exception, "Mercado Pago sync run {RunId} of organizer {OrganizerId} failed unexpectedly", runId, organizerId);
                return (UnexpectedCode, "Ocurrió un error inesperado al guardar los pagos sincronizados. Se volverá a intentar automáticamente.");
        }
    }

    private async Task EnsureStateAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.MercadoPagoSyncStates.AnyAsync(s => s.OrganizerId == organizerId, cancellationToken)) return;
        db.MercadoPagoSyncStates.Add(new MercadoPagoSyncState { OrganizerId = organizerId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another run or request may have created it at the same moment; anything else fails here.
            if (!await RowExistsAsync(organizerId, cancellationToken)) throw;
        }
    }

    private async Task<bool> RowExistsAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MercadoPagoSyncStates.AnyAsync(s => s.OrganizerId == organizerId, cancellationToken);
    }

    private async Task<bool> TryTakeLeaseAsync(int organizerId, Guid leaseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + Options.LeaseDuration;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var taken = await db.MercadoPagoSyncStates
            .Where(s => s.OrganizerId == organizerId && (s.LeaseUntil == null || s.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LeaseId, leaseId)
                .SetProperty(x => x.LeaseUntil, until)
                .SetProperty(x => x.LastRunStartedAt, now)
                .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
        return taken == 1;
    }

    private void Record(SyncRunKind kind, string status, long started)
    {
        var tags = new TagList { { "kind", KindTag(kind) }, { "status", status } };
        metrics.SyncRuns.Add(1, tags);
        metrics.SyncRunDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    private static string KindTag(SyncRunKind kind) => kind switch
    {
        SyncRunKind.Incremental => "incremental",
        SyncRunKind.Reconciliation => "reconciliation",
        SyncRunKind.Manual => "manual",
    };

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>What a run did so far (committed pages only).</summary>
    private sealed class RunProgress(DateTimeOffset? cursor)
    {
        public DateTimeOffset? Cursor { get; set; } = cursor;

        public DateTimeOffset? WindowFrom { get; set; }

        public DateTimeOffset? WindowTo { get; set; }

        public int Pages { get; set; }

        public int Seen { get; set; }

        public int New { get; set; }

        public int Changed { get; set; }

        public int Rewindows { get; set; }

        /// <summary>The counts of the page being committed (set inside its transaction).</summary>
        public (int Created, int Updated) Pending { get; set; }
    }
}

/// <summary>The run's lease was taken over (it expired while the run was slow); its page was rolled back.</summary>
internal sealed class SyncLeaseLostException() : Exception("The sync lease was lost.");
