using System.Data.Common;
using System.Diagnostics;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Data;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>What one round of the processor did.</summary>
public sealed record WebhookProcessingRound(int Claimed, int Processed, int Ignored, int Retried, int DeadLettered);

/// <summary>
/// Processes the durable inbox (issue #5 §3). Each round claims up to <see cref="MercadoPagoWebhookProcessingOptions.BatchSize"/>
/// due entries (<see cref="WebhookInboxStatus.Pending"/> whose <see cref="WebhookInboxEntry.NextAttemptAt"/> has come,
/// or <see cref="WebhookInboxStatus.Processing"/> whose lease expired: a processor that died) with one conditional
/// update per entry, so two processors (or instances) never work on the same entry at once; then, per topic:
/// <list type="bullet">
/// <item><c>payment</c>: the organizer is the one whose active link has the notification's seller (<c>user_id</c>);
/// none (unknown seller, link revoked or disconnected) → <see cref="WebhookInboxStatus.Ignored"/>. The payment is
/// fetched with that organizer's token (never trusting the notification) and written through
/// <see cref="IPaymentUpserter"/>, the same path as the sync. Not found yet (404: it may not be visible yet) → retried.</item>
/// <item><c>mp-connect</c>: <see cref="IMercadoPagoLinking.HandleConnectNotificationAsync"/> (deauthorization revokes the link).</item>
/// <item>anything else: <see cref="WebhookInboxStatus.Ignored"/>.</item>
/// </list>
/// A failure counts an attempt and schedules the next with exponential backoff; after
/// <see cref="MercadoPagoWebhookProcessingOptions.MaxAttempts"/> the entry is dead-lettered and an admin alert
/// (<see cref="AlertKinds.WebhookDeadLettered"/>) raised. Logs carry the inbox id, topic, request id and organizer,
/// never the body or a token.
/// </summary>
public sealed partial class WebhookProcessor(
    IDbContextFactory<BillingDbContext> factory,
    IMercadoPagoSellerApi sellerApi,
    IPaymentUpserter upserter,
    IMercadoPagoLinking linking,
    IAdminAlerts alerts,
    TimeProvider time,
    IOptionsMonitor<MercadoPagoWebhookProcessingOptions> options,
    MercadoPagoMetrics metrics,
    ILogger<WebhookProcessor> logger)
{
    /// <summary>The provider-neutral claim (one conditional update per entry) even on SQLite: tests of the SQL Server path.</summary>
    internal bool PortableClaims { get; init; }

    /// <summary>
    /// Claims and processes one batch of due entries. The claim is one statement on SQLite (one commit for the batch)
    /// and the outcomes are written together in one transaction at the end of the round, so the processor costs the
    /// single SQLite writer two commits per batch rather than two per notification (the intake shares that writer).
    /// </summary>
    public async Task<WebhookProcessingRound> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();

        // The lease is also the claim's identity: a processor whose lease expired and was taken over (the new one is
        // necessarily later) can no longer write its results (CompleteAsync matches on it).
        var leaseUntil = now + settings.LeaseDuration;
        var claimed = await ClaimAsync(now, leaseUntil, settings.BatchSize, cancellationToken);
        var results = new List<(WebhookInboxEntry Entry, Result Result, double ElapsedMs)>(claimed.Count);
        var stopped = false;
        foreach (var entry in claimed)
        {
            if (cancellationToken.IsCancellationRequested) break;
            var started = Stopwatch.GetTimestamp();
            var result = await HandleAsync(entry, cancellationToken);
            if (result is null)
            {
                stopped = true;
                break;
            }

            results.Add((entry, result, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }

        var statuses = await CompleteAsync(results, leaseUntil, settings);
        if (stopped || results.Count < claimed.Count)
        {
            // Shutting down: the entries not handled go back untouched (no attempt counted).
            await ReleaseAsync(claimed.Skip(results.Count).Select(e => e.Id).ToList(), leaseUntil);
        }

        int processed = 0, ignored = 0, retried = 0, dead = 0;
        for (var i = 0; i < results.Count; i++)
        {
            var (entry, result, elapsed) = results[i];
            var status = statuses[i];
            switch (status)
            {
                case WebhookInboxStatus.Processed: processed++; break;
                case WebhookInboxStatus.Ignored: ignored++; break;
                case WebhookInboxStatus.DeadLettered: dead++; break;
                case WebhookInboxStatus.Pending: retried++; break;
                case WebhookInboxStatus.Processing: break;
            }

            var outcome = status switch
            {
                WebhookInboxStatus.Processed => "processed",
                WebhookInboxStatus.Ignored => "ignored",
                WebhookInboxStatus.DeadLettered => "dead_lettered",
                WebhookInboxStatus.Pending => "retry",
                WebhookInboxStatus.Processing => "lost_lease",
            };
            metrics.WebhooksProcessed.Add(1, new KeyValuePair<string, object?>("topic", MetricTopic(entry.Topic)), new KeyValuePair<string, object?>("outcome", outcome));
            var attempts = entry.Attempts + (result.Kind == ResultKind.Retry ? 1 : 0);
            if (status == WebhookInboxStatus.Processing) LogLostLease(logger, entry.Id, entry.Topic, entry.RequestId);
            else LogProcessed(logger, entry.Id, entry.Topic, outcome, result.OrganizerId ?? entry.OrganizerId, entry.RequestId, attempts, elapsed);
            if (status == WebhookInboxStatus.DeadLettered) await RaiseDeadLetterAlertAsync(entry, result, attempts);
        }

        return new WebhookProcessingRound(claimed.Count, processed, ignored, retried, dead);
    }

    /// <summary>How long until the next entry is due (null: none waiting), for the host's sleep.</summary>
    public async Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var pending = await db.WebhookInbox.AsNoTracking()
            .Where(e => e.Status == WebhookInboxStatus.Pending)
            .OrderBy(e => e.NextAttemptAt)
            .Select(e => (DateTimeOffset?)e.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);
        var lease = await db.WebhookInbox.AsNoTracking()
            .Where(e => e.Status == WebhookInboxStatus.Processing)
            .OrderBy(e => e.LeaseUntil)
            .Select(e => e.LeaseUntil)
            .FirstOrDefaultAsync(cancellationToken);
        var next = new[] { pending, lease }.Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (next == DateTimeOffset.MaxValue) return null;
        return next <= now ? TimeSpan.Zero : next - now;
    }

    /// <summary>
    /// Takes up to <paramref name="batchSize"/> due entries for this processor. SQLite: one
    /// <c>UPDATE … WHERE Id IN (SELECT … LIMIT n) RETURNING Id</c>, atomic under SQLite's single writer. Other providers:
    /// the candidates are read, then each is taken with a conditional update that only one processor can win.
    /// </summary>
    private async Task<List<WebhookInboxEntry>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        List<long> ids;
        if (!PortableClaims && db.Database.IsSqlite())
        {
            ids = await ClaimSqliteAsync(db, now, leaseUntil, batchSize, cancellationToken);
        }
        else
        {
            var candidates = await db.WebhookInbox.AsNoTracking()
                .Where(e => (e.Status == WebhookInboxStatus.Pending && e.NextAttemptAt <= now)
                            || (e.Status == WebhookInboxStatus.Processing && e.LeaseUntil < now))
                .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
                .Select(e => e.Id)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
            ids = new List<long>(candidates.Count);
            foreach (var id in candidates)
            {
                var rows = await db.WebhookInbox
                    .Where(e => e.Id == id
                                && ((e.Status == WebhookInboxStatus.Pending && e.NextAttemptAt <= now)
                                    || (e.Status == WebhookInboxStatus.Processing && e.LeaseUntil < now)))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(e => e.Status, WebhookInboxStatus.Processing)
                        .SetProperty(e => e.LeaseUntil, leaseUntil), cancellationToken);
                if (rows == 1) ids.Add(id);
            }
        }

        if (ids.Count == 0) return [];
        var entries = await db.WebhookInbox.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync(cancellationToken);
        return [.. entries.OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)];
    }

    private static async Task<List<long>> ClaimSqliteAsync(BillingDbContext db, DateTimeOffset now, DateTimeOffset leaseUntil, int batchSize, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(WebhookInboxEntry))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string name) => "\"" + entity.FindProperty(name)!.GetColumnName(table) + "\"";
        object Value(string name, object value) => entity.FindProperty(name)!.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
        var (id, status, next, lease) = (Column(nameof(WebhookInboxEntry.Id)), Column(nameof(WebhookInboxEntry.Status)),
            Column(nameof(WebhookInboxEntry.NextAttemptAt)), Column(nameof(WebhookInboxEntry.LeaseUntil)));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            await SqliteBusyTimeout.ApplyAsync(connection, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"UPDATE \"{table.Name}\" SET {status} = $processing, {lease} = $lease WHERE {id} IN ("
                + $"SELECT {id} FROM \"{table.Name}\" WHERE ({status} = $pending AND {next} <= $now) OR ({status} = $processing AND {lease} < $now) "
                + $"ORDER BY {next}, {id} LIMIT $limit) RETURNING {id};";
            void Add(string name, object value)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            Add("$processing", Value(nameof(WebhookInboxEntry.Status), WebhookInboxStatus.Processing));
            Add("$pending", Value(nameof(WebhookInboxEntry.Status), WebhookInboxStatus.Pending));
            Add("$lease", Value(nameof(WebhookInboxEntry.LeaseUntil), leaseUntil));
            Add("$now", Value(nameof(WebhookInboxEntry.NextAttemptAt), now));
            Add("$limit", batchSize);
            var ids = new List<long>(batchSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
            return ids;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>What to do with one entry; null when the processor is stopping (the entry is given back).</summary>
    private async Task<Result?> HandleAsync(WebhookInboxEntry entry, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["InboxId"] = entry.Id, ["Topic"] = entry.Topic, ["RequestId"] = entry.RequestId });
        try
        {
            return entry.Topic switch
            {
                MercadoPagoNotificationTypes.Payment => await ProcessPaymentAsync(entry, cancellationToken),
                MercadoPagoNotificationTypes.MpConnect => await ProcessConnectAsync(entry, cancellationToken),
                _ => Result.Ignore(null, "Tema de notificación que el portal no usa."),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (MercadoPagoLinkUnavailableException e)
        {
            return Result.Ignore(e.OrganizerId == 0 ? null : e.OrganizerId, "El vínculo con Mercado Pago ya no está activo; la notificación se descarta.");
        }
        catch (MercadoPagoApiException e)
        {
            return Result.Retry(entry.OrganizerId, Code(e.Error), MercadoPagoErrorMessages.Spanish(e.Error));
        }
        catch (Exception e)
        {
            // Anything else (the database, a bug, an unreadable payment) counts as a failed attempt, so that a poison
            // entry ends dead-lettered instead of being retried forever.
            LogUnexpected(logger, e, entry.Id, entry.Topic, entry.RequestId);
            return Result.Retry(entry.OrganizerId, e.GetType().Name, "Error interno al procesar la notificación; se reintentará.");
        }
    }

    private async Task<Result> ProcessPaymentAsync(WebhookInboxEntry entry, CancellationToken cancellationToken)
    {
        if (!long.TryParse(entry.ResourceId, NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId) || paymentId <= 0)
            return Result.Ignore(null, "El identificador del pago (data.id) no es un número.");
        if (entry.SellerUserId is not { } seller)
            return Result.Ignore(null, "La notificación no indica el vendedor (user_id); la próxima sincronización traerá el pago.");

        int? organizerId;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            organizerId = await db.MercadoPagoLinks.AsNoTracking()
                .Where(l => l.MercadoPagoUserId == seller && l.Status == MercadoPagoLinkStatus.Active)
                .OrderBy(l => l.Id)
                .Select(l => (int?)l.OrganizerId)
                .FirstOrDefaultAsync(cancellationToken);
        }

        if (organizerId is not { } organizer)
            return Result.Ignore(null, "Ningún organizador tiene vinculada esa cuenta de Mercado Pago.");

        MpPayment? payment;
        try
        {
            payment = await sellerApi.ExecuteAsync(organizer, (api, token, ct) => api.GetPaymentAsync(token, paymentId, ct), cancellationToken);
        }
        catch (MercadoPagoApiException e)
        {
            return Result.Retry(organizer, Code(e.Error), MercadoPagoErrorMessages.Spanish(e.Error));
        }
        catch (MercadoPagoLinkUnavailableException)
        {
            return Result.Ignore(organizer, "El vínculo con Mercado Pago ya no está activo; la notificación se descarta.");
        }

        if (payment is null)
            return Result.Retry(organizer, "2000", "Mercado Pago aún no muestra el pago; se reintentará.");
        if (payment.CollectorId is { } collector && collector != seller)
            return Result.Ignore(organizer, "El pago pertenece a otra cuenta de Mercado Pago que la notificada.");

        var outcomes = await upserter.UpsertAsync(organizer, [payment], PaymentUpsertSources.Webhook, cancellationToken);
        return outcomes.Any(o => o.PaymentId == payment.Id)
            ? Result.Done(organizer)
            : Result.Ignore(organizer, "El pago no corresponde a la cuenta de Mercado Pago del organizador; no se guardó.");
    }

    private async Task<Result> ProcessConnectAsync(WebhookInboxEntry entry, CancellationToken cancellationToken)
    {
        var seller = long.TryParse(entry.ResourceId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : entry.SellerUserId;
        if (seller is not { } sellerId || string.IsNullOrWhiteSpace(entry.Action))
            return Result.Ignore(null, "La notificación mp-connect no indica el vendedor o la acción.");

        var applied = await linking.HandleConnectNotificationAsync(sellerId, entry.Action, cancellationToken);
        return applied ? Result.Done(null) : Result.Ignore(null, "Sin cambios en los vínculos.");
    }

    /// <summary>
    /// Writes the round's outcomes in one transaction, each only while this processor still holds the entry's lease;
    /// returns each entry's new status (<see cref="WebhookInboxStatus.Processing"/>: the lease was lost, nothing written).
    /// Not cancellable: the work is done and its record must land.
    /// </summary>
    private async Task<WebhookInboxStatus[]> CompleteAsync(
        List<(WebhookInboxEntry Entry, Result Result, double ElapsedMs)> results, DateTimeOffset leaseUntil, MercadoPagoWebhookProcessingOptions settings)
    {
        var statuses = new WebhookInboxStatus[results.Count];
        if (results.Count == 0) return statuses;
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(CancellationToken.None);
            await SqliteBusyTimeout.ApplyAsync(db.Database.GetDbConnection(), CancellationToken.None);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            for (var i = 0; i < results.Count; i++)
            {
                var (entry, result, _) = results[i];
                var id = entry.Id;
                var attempts = entry.Attempts;
                var status = result.Kind switch
                {
                    ResultKind.Done => WebhookInboxStatus.Processed,
                    ResultKind.Ignore => WebhookInboxStatus.Ignored,
                    ResultKind.Retry => attempts + 1 >= settings.MaxAttempts ? WebhookInboxStatus.DeadLettered : WebhookInboxStatus.Pending,
                };
                if (result.Kind == ResultKind.Retry) attempts++;
                var next = status == WebhookInboxStatus.Pending ? now + settings.Backoff(attempts) : entry.NextAttemptAt;
                var error = result.Message is null ? null : Cut((result.Code is null ? "" : result.Code + ": ") + result.Message, 500);
                DateTimeOffset? processedAt = status == WebhookInboxStatus.Pending ? null : now;
                var organizerId = result.OrganizerId ?? entry.OrganizerId;
                var rows = await db.WebhookInbox
                    .Where(e => e.Id == id && e.Status == WebhookInboxStatus.Processing && e.LeaseUntil == leaseUntil)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(e => e.Status, status)
                        .SetProperty(e => e.Attempts, attempts)
                        .SetProperty(e => e.NextAttemptAt, next)
                        .SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null)
                        .SetProperty(e => e.ProcessedAt, processedAt)
                        .SetProperty(e => e.OrganizerId, organizerId)
                        .SetProperty(e => e.LastError, error), CancellationToken.None);
                statuses[i] = rows == 1 ? status : WebhookInboxStatus.Processing;
            }

            await transaction.CommitAsync(CancellationToken.None);
        });
        return statuses;
    }

    private async Task RaiseDeadLetterAlertAsync(WebhookInboxEntry entry, Result result, int attempts)
    {
        var organizerId = result.OrganizerId ?? entry.OrganizerId;
        var key = organizerId is { } org ? AlertKinds.WebhookDeadLettered + ":org:" + org.ToString(CultureInfo.InvariantCulture) : AlertKinds.WebhookDeadLettered;
        var error = result.Message is null ? "" : (result.Code is null ? "" : result.Code + ": ") + result.Message;
        await alerts.RaiseAsync(AlertKinds.WebhookDeadLettered, key, AlertSeverity.Warning, organizerId,
            "Notificaciones de Mercado Pago sin procesar",
            Cut($"La notificación {entry.Topic} {entry.ResourceId} falló {attempts.ToString(CultureInfo.InvariantCulture)} veces ({error}). Revísela en Administración › Webhooks y reintente.", 500),
            CancellationToken.None);
    }

    private async Task ReleaseAsync(List<long> ids, DateTimeOffset leaseUntil)
    {
        if (ids.Count == 0) return;
        try
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            await db.WebhookInbox
                .Where(e => ids.Contains(e.Id) && e.Status == WebhookInboxStatus.Processing && e.LeaseUntil == leaseUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WebhookInboxStatus.Pending).SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            // The lease expires by itself; another round takes the entries again.
        }
    }

    /// <summary>A low-cardinality tag: the topics the portal knows, else <c>other</c>.</summary>
    public static string MetricTopic(string? topic) => topic switch
    {
        MercadoPagoNotificationTypes.Payment => MercadoPagoNotificationTypes.Payment,
        MercadoPagoNotificationTypes.MpConnect => MercadoPagoNotificationTypes.MpConnect,
        null => "unknown",
        _ => "other",
    };

    private static string Code(MercadoPagoError error) => error.CauseCode ?? error.ErrorKey ?? error.Kind.ToString();

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook inbox {InboxId} ({Topic}): {Outcome}; organizer {OrganizerId}, attempt {Attempts}, x-request-id {RequestId}, {ElapsedMs} ms")]
    private static partial void LogProcessed(ILogger logger, long inboxId, string topic, string outcome, int? organizerId, string? requestId, int attempts, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook inbox {InboxId} ({Topic}) failed unexpectedly; x-request-id {RequestId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long inboxId, string topic, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook inbox {InboxId} ({Topic}): the lease expired before the result was written; another processor has it. x-request-id {RequestId}")]
    private static partial void LogLostLease(ILogger logger, long inboxId, string topic, string? requestId);

    private enum ResultKind
    {
        Done,
        Ignore,
        Retry,
    }

    private sealed record Result(ResultKind Kind, int? OrganizerId, string? Code, string? Message)
    {
        public static Result Done(int? organizerId) => new(ResultKind.Done, organizerId, null, null);

        public static Result Ignore(int? organizerId, string message) => new(ResultKind.Ignore, organizerId, null, message);

        public static Result Retry(int? organizerId, string code, string message) => new(ResultKind.Retry, organizerId, code, message);
    }
}
