using System.Data.Common;
using System.Threading.Channels;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>What the inbox did with a notification.</summary>
public enum WebhookIntakeOutcome
{
    /// <summary>A new entry was committed.</summary>
    Accepted,

    /// <summary>The same notification was already in the inbox: its <see cref="WebhookInboxEntry.Duplicates"/> was counted.</summary>
    Duplicate,
}

/// <summary>
/// The durable inbox's front door (issue #5 §3): <see cref="AcceptAsync"/> returns only once the notification is
/// committed to <see cref="BillingDbContext.WebhookInbox"/>, so a 200 is never given for something a crash could lose.
/// </summary>
/// <remarks>
/// <para>
/// SQLite has one writer at a time and each commit costs an fsync of the WAL, so a transaction per request would cap
/// intake at a few hundred per second and queue requests behind the file lock. Instead, requests put their entry on a
/// channel and wait; one background writer drains up to <see cref="MaxBatch"/> pending entries and inserts them in a
/// single transaction (group commit), then completes every waiting request. Under load the batches grow by themselves,
/// so throughput rises with concurrency while no request waits for more than one commit beyond its own.
/// </para>
/// <para>
/// De-duplication is the unique index on <see cref="WebhookInboxEntry.DedupKey"/>: on SQLite
/// <c>INSERT … ON CONFLICT(DedupKey) DO UPDATE SET Duplicates = Duplicates + 1 RETURNING Duplicates</c> (0: inserted);
/// on other providers (SQL Server) an EF update-then-insert inside the transaction, the whole batch retried if another
/// instance inserted the same key first (the unique index refuses the second insert).
/// </para>
/// <para>
/// A failed batch is retried entry by entry, each in its own transaction, so one bad entry cannot fail the others; the
/// requests whose entry still failed get the exception (the endpoint answers 503 and Mercado Pago delivers again).
/// Disposing stops taking new entries and writes the ones already queued.
/// </para>
/// </remarks>
public sealed partial class WebhookIntake : IAsyncDisposable
{
    /// <summary>Most entries written in one transaction.</summary>
    internal const int MaxBatch = 512;

    /// <summary>Requests waiting beyond this many queued entries wait to enqueue (back-pressure instead of memory growth).</summary>
    internal const int QueueCapacity = 20_000;

    private readonly IDbContextFactory<BillingDbContext> _factory;
    private readonly TimeProvider _time;
    private readonly WebhookInboxSignal _signal;
    private readonly ILogger<WebhookIntake> _logger;
    private readonly bool _portable;
    private readonly Channel<PendingEntry> _queue = Channel.CreateBounded<PendingEntry>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Task _writer;
    private SqliteUpsert? _sqliteUpsert;
    private long _batches;

    public WebhookIntake(IDbContextFactory<BillingDbContext> factory, TimeProvider time, WebhookInboxSignal signal, ILogger<WebhookIntake> logger)
        : this(factory, time, signal, logger, portable: false)
    {
    }

    // portable: the provider-neutral EF path even on SQLite (tests of the SQL Server path).
    internal WebhookIntake(IDbContextFactory<BillingDbContext> factory, TimeProvider time, WebhookInboxSignal signal, ILogger<WebhookIntake> logger, bool portable)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _signal = signal ?? throw new ArgumentNullException(nameof(signal));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _portable = portable;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Batches committed so far (diagnostics and tests).</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batches);

    /// <summary>
    /// Writes the notification to the inbox and returns once that is committed: <see cref="WebhookIntakeOutcome.Accepted"/>
    /// for a new entry, <see cref="WebhookIntakeOutcome.Duplicate"/> when its key was already there. Throws when the
    /// write failed (nothing was acknowledged) or the intake is shutting down.
    /// </summary>
    public async Task<WebhookIntakeOutcome> AcceptAsync(InboxNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var pending = new PendingEntry(notification, _time.GetUtcNow());
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new InvalidOperationException("The webhook inbox is shutting down.", e);
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingEntry>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<PendingEntry> batch)
    {
        WebhookIntakeOutcome[] outcomes;
        try
        {
            outcomes = await WriteAsync(batch, CancellationToken.None);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            LogBatchFailed(_logger, e, batch.Count);
            foreach (var entry in batch)
            {
                await WriteBatchAsync([entry]);
            }

            return;
        }
        catch (Exception e)
        {
            LogEntryFailed(_logger, e, batch[0].Notification.Topic, batch[0].Notification.RequestId);
            batch[0].Completion.TrySetException(e);
            return;
        }

        Interlocked.Increment(ref _batches);
        for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(outcomes[i]);
        if (outcomes.Contains(WebhookIntakeOutcome.Accepted)) _signal.Notify();
    }

    private async Task<WebhookIntakeOutcome[]> WriteAsync(List<PendingEntry> batch, CancellationToken cancellationToken)
    {
        if (_portable) return await WritePortableAsync(batch, cancellationToken);
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        return db.Database.IsSqlite()
            ? await WriteSqliteAsync(db, batch, cancellationToken)
            : await WritePortableAsync(db, batch, cancellationToken);
    }

    /// <summary>One transaction, one prepared upsert per entry, in arrival order.</summary>
    private async Task<WebhookIntakeOutcome[]> WriteSqliteAsync(BillingDbContext db, List<PendingEntry> batch, CancellationToken cancellationToken)
    {
        var upsert = _sqliteUpsert ??= SqliteUpsert.For(db.Model);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            await SqliteBusyTimeout.ApplyAsync(connection, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = upsert.Create(connection, transaction);
            var outcomes = new WebhookIntakeOutcome[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                upsert.Bind(command, batch[i]);
                var duplicates = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                outcomes[i] = duplicates == 0 ? WebhookIntakeOutcome.Accepted : WebhookIntakeOutcome.Duplicate;
            }

            await transaction.CommitAsync(cancellationToken);
            return outcomes;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>
    /// Any provider: per distinct key, count the batch's copies onto an existing row, else insert it (its later copies
    /// counted as duplicates); one transaction under the provider's execution strategy. Another instance inserting the
    /// same key meanwhile makes the commit fail on the unique index: the batch is then run again and finds the row.
    /// </summary>
    private async Task<WebhookIntakeOutcome[]> WritePortableAsync(List<PendingEntry> batch, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        return await WritePortableAsync(db, batch, cancellationToken);
    }

    private static async Task<WebhookIntakeOutcome[]> WritePortableAsync(BillingDbContext db, List<PendingEntry> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var strategy = db.Database.CreateExecutionStrategy();
                return await strategy.ExecuteAsync(async ct =>
                {
                    db.ChangeTracker.Clear();
                    var outcomes = new WebhookIntakeOutcome[batch.Count];
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    foreach (var group in batch.Select((entry, index) => (entry, index)).GroupBy(x => x.entry.Notification.DedupKey, StringComparer.Ordinal))
                    {
                        var copies = group.Count();
                        var key = group.Key;
                        var counted = await db.WebhookInbox.Where(e => e.DedupKey == key)
                            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Duplicates, e => e.Duplicates + copies), ct);
                        var first = true;
                        foreach (var (entry, index) in group)
                        {
                            outcomes[index] = counted == 0 && first ? WebhookIntakeOutcome.Accepted : WebhookIntakeOutcome.Duplicate;
                            first = false;
                        }

                        if (counted == 0)
                        {
                            var entry = NewEntry(group.First().entry);
                            entry.Duplicates = copies - 1;
                            db.WebhookInbox.Add(entry);
                        }
                    }

                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    return outcomes;
                }, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another instance inserted one of these keys between our update and insert: run the batch again.
            }
        }
    }

    private static WebhookInboxEntry NewEntry(PendingEntry pending)
    {
        var n = pending.Notification;
        return new WebhookInboxEntry
        {
            DedupKey = n.DedupKey,
            Topic = n.Topic,
            Action = n.Action,
            ResourceId = n.ResourceId,
            SellerUserId = n.SellerUserId,
            RequestId = n.RequestId,
            LiveMode = n.LiveMode,
            NotifiedAt = n.NotifiedAt,
            ReceivedAt = pending.ReceivedAt,
            Status = WebhookInboxStatus.Pending,
            NextAttemptAt = pending.ReceivedAt,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook inbox: a batch of {Count} entries failed to commit; writing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook inbox: a {Topic} notification could not be stored (not acknowledged); x-request-id {RequestId}")]
    private static partial void LogEntryFailed(ILogger logger, Exception exception, string topic, string? requestId);

    private sealed class PendingEntry(InboxNotification notification, DateTimeOffset receivedAt)
    {
        public InboxNotification Notification { get; } = notification;

        public DateTimeOffset ReceivedAt { get; } = receivedAt;

        public TaskCompletionSource<WebhookIntakeOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// The SQLite upsert, built from the EF model (table and column names, and each column's value converter: instants
    /// as UTC ticks, the status as text), so it stays in step with the mapping.
    /// </summary>
    private sealed class SqliteUpsert
    {
        private static readonly string[] Columns =
        [
            nameof(WebhookInboxEntry.DedupKey), nameof(WebhookInboxEntry.Topic), nameof(WebhookInboxEntry.Action),
            nameof(WebhookInboxEntry.ResourceId), nameof(WebhookInboxEntry.SellerUserId), nameof(WebhookInboxEntry.RequestId),
            nameof(WebhookInboxEntry.LiveMode), nameof(WebhookInboxEntry.NotifiedAt), nameof(WebhookInboxEntry.ReceivedAt),
            nameof(WebhookInboxEntry.Duplicates), nameof(WebhookInboxEntry.Status), nameof(WebhookInboxEntry.Attempts),
            nameof(WebhookInboxEntry.NextAttemptAt),
        ];

        private readonly string _sql;
        private readonly IProperty[] _properties;

        private SqliteUpsert(string sql, IProperty[] properties)
        {
            _sql = sql;
            _properties = properties;
        }

        public static SqliteUpsert For(IModel model)
        {
            var entity = model.FindEntityType(typeof(WebhookInboxEntry)) ?? throw new InvalidOperationException("WebhookInboxEntry is not mapped.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = Columns.Select(c => entity.FindProperty(c)!).ToArray();
            string Column(string name) => "\"" + entity.FindProperty(name)!.GetColumnName(table) + "\"";
            var columns = string.Join(", ", Columns.Select(Column));
            var parameters = string.Join(", ", Columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)));
            var duplicates = Column(nameof(WebhookInboxEntry.Duplicates));
            var sql = $"INSERT INTO \"{table.Name}\" ({columns}) VALUES ({parameters}) "
                      + $"ON CONFLICT({Column(nameof(WebhookInboxEntry.DedupKey))}) DO UPDATE SET {duplicates} = {duplicates} + 1 RETURNING {duplicates};";
            return new SqliteUpsert(sql, properties);
        }

        public DbCommand Create(DbConnection connection, DbTransaction transaction)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = _sql;
            for (var i = 0; i < _properties.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture);
                command.Parameters.Add(parameter);
            }

            return command;
        }

        public void Bind(DbCommand command, PendingEntry pending)
        {
            var n = pending.Notification;
            object?[] values =
            [
                n.DedupKey, n.Topic, n.Action, n.ResourceId, n.SellerUserId, n.RequestId, n.LiveMode, n.NotifiedAt, pending.ReceivedAt,
                0, WebhookInboxStatus.Pending, 0, pending.ReceivedAt,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i];
                if (value is not null && _properties[i].GetTypeMapping().Converter is { } converter) value = converter.ConvertToProvider(value);
                command.Parameters[i].Value = value ?? DBNull.Value;
            }
        }
    }
}
