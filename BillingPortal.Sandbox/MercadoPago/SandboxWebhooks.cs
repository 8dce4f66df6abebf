using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>One notification in the outbox, with its delivery state.</summary>
public sealed record SandboxNotification(
    long Id,
    long NotificationId,
    string Topic,
    string Action,
    long UserId,
    string DataId,
    DateTimeOffset DateCreated,
    int Attempts,
    DateTimeOffset DueAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? GaveUpAt,
    int? LastStatus,
    string? LastError)
{
    /// <summary><c>delivered</c>, <c>failed</c> (gave up) or <c>pending</c>.</summary>
    public string State => DeliveredAt is not null ? "delivered" : GaveUpAt is not null ? "failed" : "pending";
}

/// <summary>
/// The emulator's webhook outbox (<see cref="ISandboxNotifier"/>): notifications are rows of <c>webhook_outbox</c> in the
/// sandbox's SQLite file, so none is lost when the process stops; <see cref="SandboxWebhookSender"/> delivers them.
/// Queuing wakes the sender. The target URL starts as <c>Sandbox:MercadoPago:Webhooks:Url</c> and the admin surface may
/// change it at run time.
/// </summary>
public sealed class SandboxWebhookOutbox : ISandboxNotifier
{
    /// <summary>Notification ids (the body's <c>id</c>, the receivers' de-duplication key) start here.</summary>
    public const long FirstNotificationId = 120_000_000_000L;

    private readonly string _connectionString;
    private readonly SandboxClock _clock;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private Task? _creation;
    private volatile string? _url;

    public SandboxWebhookOutbox(MercadoPagoSandboxStore store, SandboxClock clock, IOptions<MercadoPagoSandboxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _connectionString = new SqliteConnectionStringBuilder { DataSource = store.FilePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        Store = store;
        _url = options.Value.Webhooks.Url;
    }

    public MercadoPagoSandboxStore Store { get; }

    /// <summary>Where notifications go now; null: they wait in the outbox.</summary>
    public string? Url
    {
        get => _url;
        set
        {
            if (value is not null && !Uri.TryCreate(value, UriKind.Absolute, out _)) throw new ArgumentException("The webhook URL must be absolute.", nameof(value));
            _url = value;
            Wake();
        }
    }

    public Task<string> NotifyPaymentAsync(long sellerId, long paymentId, string action, CancellationToken cancellationToken) =>
        EnqueueAsync(MercadoPagoNotificationTypes.Payment, action, sellerId, paymentId.ToString(CultureInfo.InvariantCulture), cancellationToken);

    public Task<string> NotifyConnectAsync(long sellerId, string action, CancellationToken cancellationToken) =>
        EnqueueAsync(MercadoPagoNotificationTypes.MpConnect, action, sellerId, sellerId.ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>Queues a notification due now and wakes the sender; returns its notification id.</summary>
    public async Task<string> EnqueueAsync(string topic, string action, long userId, string dataId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(dataId);
        await EnsureCreatedAsync(cancellationToken);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO webhook_outbox (notification_id, topic, action, user_id, data_id, date_created, attempts, due_at)
            VALUES ((SELECT COALESCE(MAX(notification_id), $first - 1) + 1 FROM webhook_outbox), $topic, $action, $user, $data, $now, 0, $now)
            RETURNING notification_id
            """;
        command.Parameters.AddWithValue("$first", FirstNotificationId);
        command.Parameters.AddWithValue("$topic", topic);
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$data", dataId);
        command.Parameters.AddWithValue("$now", now);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        Wake();
        return id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The notifications, newest first (optionally only <c>pending</c>, <c>delivered</c> or <c>failed</c> ones).</summary>
    public async Task<IReadOnlyList<SandboxNotification>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var where = state switch
        {
            "pending" => "WHERE delivered_at IS NULL AND gave_up_at IS NULL",
            "delivered" => "WHERE delivered_at IS NOT NULL",
            "failed" => "WHERE gave_up_at IS NOT NULL",
            _ => "",
        };
        return await QueryAsync($"{where} ORDER BY id DESC LIMIT $limit", c => c.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000)), cancellationToken);
    }

    /// <summary>Pending notifications due at <paramref name="now"/> (oldest first).</summary>
    internal Task<IReadOnlyList<SandboxNotification>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        QueryAsync("WHERE delivered_at IS NULL AND gave_up_at IS NULL AND due_at <= $now ORDER BY due_at, id LIMIT $limit", c =>
        {
            c.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$limit", limit);
        }, cancellationToken);

    /// <summary>When the next pending notification is due, if any.</summary>
    internal async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(due_at) FROM webhook_outbox WHERE delivered_at IS NULL AND gave_up_at IS NULL";
        return await command.ExecuteScalarAsync(cancellationToken) is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;
    }

    /// <summary>Records an attempt: delivered, retry at <paramref name="nextDue"/>, or given up (<paramref name="nextDue"/> null).</summary>
    internal async Task RecordAttemptAsync(long id, bool delivered, int? status, string? error, DateTimeOffset now, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE webhook_outbox SET attempts = attempts + 1, last_status = $status, last_error = $error,
                delivered_at = CASE WHEN $delivered THEN $now ELSE NULL END,
                gave_up_at = CASE WHEN NOT $delivered AND $next IS NULL THEN $now ELSE NULL END,
                due_at = COALESCE($next, due_at)
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$delivered", delivered);
        command.Parameters.AddWithValue("$status", (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$next", (object?)nextDue?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Tells the sender to look again (something was queued, the URL or the clock changed).</summary>
    public void Wake() => _signal.Writer.TryWrite(true);

    /// <summary>Waits until woken or <paramref name="timeout"/> passes.</summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _signal.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: time to look at the due notifications.
        }

        _signal.Reader.TryRead(out _);
    }

    /// <summary>The body Mercado Pago sends (§5.2).</summary>
    public static byte[] Body(SandboxNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", notification.NotificationId);
            writer.WriteBoolean("live_mode", true);
            writer.WriteString("type", notification.Topic);
            writer.WriteString("date_created", SandboxSaleBuilder.ToMercadoPago(notification.DateCreated).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
            writer.WriteNumber("user_id", notification.UserId);
            writer.WriteString("api_version", "v1");
            writer.WriteString("action", notification.Action);
            writer.WriteStartObject("data");
            writer.WriteString("id", notification.DataId);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<IReadOnlyList<SandboxNotification>> QueryAsync(string tail, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT id, notification_id, topic, action, user_id, data_id, date_created, attempts, due_at, delivered_at, gave_up_at, last_status, last_error FROM webhook_outbox " + tail;
        bind(command);
        var list = new List<SandboxNotification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new SandboxNotification(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.GetInt32(7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
                reader.IsDBNull(11) ? null : reader.GetInt32(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return list;
    }

    private Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled) _creation = CreateAsync();
            return _creation.WaitAsync(cancellationToken);
        }
    }

    private async Task CreateAsync()
    {
        await Store.EnsureCreatedAsync(CancellationToken.None);
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS webhook_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                notification_id INTEGER NOT NULL UNIQUE,
                topic TEXT NOT NULL,
                action TEXT NOT NULL,
                user_id INTEGER NOT NULL,
                data_id TEXT NOT NULL,
                date_created INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                delivered_at INTEGER NULL,
                gave_up_at INTEGER NULL,
                last_status INTEGER NULL,
                last_error TEXT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_webhook_outbox_pending ON webhook_outbox (due_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
            """;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}

/// <summary>
/// Delivers the outbox like Mercado Pago (§5.2–§5.5): <c>POST {Url}?data.id={id}&amp;type={topic}</c> with the §5.2 body,
/// <c>x-signature</c> (<see cref="MercadoPagoWebhookSignature.Sign"/>) and a new <c>x-request-id</c> per attempt. Success
/// is 200 or 201 within <see cref="SandboxWebhookOptions.DeliveryTimeout"/>; otherwise the attempt is retried after
/// <see cref="SandboxWebhookOptions.RetryInterval"/>, and after <see cref="SandboxWebhookOptions.AttemptsBeforeBackoff"/>
/// attempts the interval doubles each time, until <see cref="SandboxWebhookOptions.MaxAttempts"/>.
/// </summary>
/// <remarks>
/// Due times follow <see cref="SandboxClock"/> (moving time makes retries due). The sender sleeps until the next due time
/// or until woken (queued, URL or clock changed), never polling in a loop; a 30-second cap covers a clock moved by other
/// means. The signature's <c>ts</c> is the emulator's wall time without the admin's offset: it is the transport's
/// timestamp, so a receiver's replay tolerance keeps working after time was moved for the business dates.
/// </remarks>
public sealed class SandboxWebhookSender(
    SandboxWebhookOutbox outbox,
    SandboxClock clock,
    IHttpClientFactory httpClientFactory,
    IOptions<MercadoPagoSandboxOptions> options,
    ILogger<SandboxWebhookSender> logger) : BackgroundService
{
    /// <summary>The named HttpClient the sender uses.</summary>
    public const string HttpClientName = "BillingPortal.Sandbox.Webhooks";

    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(30);

    /// <summary>The delay before the next attempt after <paramref name="failedAttempts"/> failed ones; null: give up.</summary>
    public static TimeSpan? RetryDelay(SandboxWebhookOptions webhooks, int failedAttempts)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        if (failedAttempts >= webhooks.MaxAttempts) return null;
        if (failedAttempts < webhooks.AttemptsBeforeBackoff) return webhooks.RetryInterval;
        var doublings = Math.Min(failedAttempts - webhooks.AttemptsBeforeBackoff + 1, 30);
        return webhooks.RetryInterval * Math.Pow(2, doublings);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                sleep = await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
            {
                logger.LogWarning(e, "Sandbox webhooks: the outbox could not be read; retrying");
                sleep = TimeSpan.FromSeconds(1);
            }

            try
            {
                await outbox.WaitAsync(sleep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Sends what is due; returns how long to sleep.</summary>
    private async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken)
    {
        var url = outbox.Url;
        if (url is null) return LongestSleep;
        var webhooks = options.Value.Webhooks;
        var secret = webhooks.Secret ?? throw new InvalidOperationException("Sandbox:MercadoPago:Webhooks:Secret is not set.");
        var due = await outbox.DueAsync(clock.GetUtcNow(), 20, cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (notification, ct) =>
        {
            var (delivered, status, error) = await DeliverAsync(url, secret, notification, webhooks.DeliveryTimeout, ct);
            var now = clock.GetUtcNow();
            var next = delivered ? null : RetryDelay(webhooks, notification.Attempts + 1) is { } delay ? now + delay : (DateTimeOffset?)null;
            await outbox.RecordAttemptAsync(notification.Id, delivered, status, error, now, next, ct);
        });
        if (due.Count == 20) return TimeSpan.Zero;
        var nextDue = await outbox.NextDueAsync(cancellationToken);
        if (nextDue is null) return LongestSleep;
        var wait = nextDue.Value - clock.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < LongestSleep ? wait : LongestSleep;
    }

    private async Task<(bool Delivered, int? Status, string? Error)> DeliverAsync(string url, string secret, SandboxNotification notification, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString();
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var target = $"{url}{separator}data.id={Uri.EscapeDataString(notification.DataId)}&type={Uri.EscapeDataString(notification.Topic)}";
        var wallSeconds = (clock.GetUtcNow() - clock.Offset).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new ByteArrayContent(SandboxWebhookOutbox.Body(notification)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("x-signature", MercadoPagoWebhookSignature.Sign(secret, notification.DataId, requestId, wallSeconds));
        request.Headers.TryAddWithoutValidation("x-request-id", requestId);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var status = (int)response.StatusCode;
            var delivered = status is 200 or 201;
            logger.LogInformation(
                "Sandbox webhook {Topic} {Action} for {DataId}: HTTP {Status} (attempt {Attempt}, request {RequestId})",
                notification.Topic, notification.Action, notification.DataId, status, notification.Attempts + 1, requestId);
            return (delivered, status, delivered ? null : "HTTP " + status.ToString(CultureInfo.InvariantCulture));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Sandbox webhook {Topic} for {DataId}: no answer in time (attempt {Attempt}, request {RequestId})",
                notification.Topic, notification.DataId, notification.Attempts + 1, requestId);
            return (false, null, "timeout");
        }
        catch (HttpRequestException e)
        {
            logger.LogInformation("Sandbox webhook {Topic} for {DataId}: {Error} (attempt {Attempt}, request {RequestId})",
                notification.Topic, notification.DataId, e.HttpRequestError, notification.Attempts + 1, requestId);
            return (false, null, e.HttpRequestError.ToString());
        }
    }
}
