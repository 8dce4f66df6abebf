using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BillingPortal.Core.Caching;

/// <summary>
/// Tells the other instances that share the Redis second level which tag was invalidated (a Redis pub/sub channel,
/// <c>{Cache:RedisInstanceName}report-cache:invalidate</c>). HybridCache 10 has no such back-plane: it writes a tag's
/// invalidation time to Redis but another instance reads that time only the first time it meets the tag, so without
/// this message it would keep serving its own memory copy (until <c>Cache:LocalTtl</c>) and the older Redis copy (until
/// the entry's lifetime). Each message is <c>{sender}|{tag}</c>; an instance ignores its own.
/// </summary>
/// <remarks>
/// Best effort, like any pub/sub: an instance disconnected while a message was sent misses it and falls back to what
/// HybridCache guarantees (the lifetimes). Failures are logged, never thrown into a write path.
/// </remarks>
public sealed partial class ReportCacheBus(ReportCacheRedis redis, ILogger<ReportCacheBus> logger)
{
    private readonly string _sender = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private Task? _subscription;
    private ReportCache? _cache;

    /// <summary>Messages of other instances applied so far (tests and diagnostics).</summary>
    public int Received => Volatile.Read(ref _received);

    private int _received;

    private RedisChannel Channel => RedisChannel.Literal(redis.InstanceName + "report-cache:invalidate");

    /// <summary>Starts listening (once) on behalf of <paramref name="cache"/>.</summary>
    internal void Start(ReportCache cache)
    {
        lock (_gate)
        {
            _cache ??= cache;
            _subscription ??= SubscribeAsync();
        }
    }

    /// <summary>Waits until the subscription is in place (tests; the first call may still be connecting).</summary>
    public async Task WhenSubscribedAsync()
    {
        Task? subscription;
        lock (_gate) subscription = _subscription;
        if (subscription is not null) await subscription;
    }

    internal async ValueTask PublishAsync(string tag)
    {
        try
        {
            var connection = await redis.ConnectAsync();
            await connection.GetSubscriber().PublishAsync(Channel, _sender + "|" + tag);
        }
        catch (Exception e)
        {
            LogPublishFailed(logger, e, tag);
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            var connection = await redis.ConnectAsync();
            await connection.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnMessage(message));
        }
        catch (Exception e)
        {
            LogSubscribeFailed(logger, e);
            lock (_gate) _subscription = null; // the next Start (the next cache built) tries again
        }
    }

    private void OnMessage(RedisValue message) => _ = OnMessageAsync(message);

    private async Task OnMessageAsync(RedisValue message)
    {
        var text = (string?)message;
        var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (text is null || bar < 0 || text.AsSpan(0, bar).SequenceEqual(_sender) || _cache is not { } cache) return;
        try
        {
            await cache.InvalidateLocallyAsync(text[(bar + 1)..], CancellationToken.None);
            Interlocked.Increment(ref _received);
        }
        catch (Exception e)
        {
            LogApplyFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report cache: publishing the invalidation of {Tag} to the other instances failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string tag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report cache: subscribing to the other instances' invalidations failed; entries then live until their lifetime")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report cache: applying another instance's invalidation failed")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}

/// <summary>One Redis connection shared by the second level (RedisCache) and <see cref="ReportCacheBus"/>.</summary>
public sealed class ReportCacheRedis(string connectionString, string instanceName) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(() => ConnectCoreAsync(connectionString));

    public string InstanceName { get; } = instanceName;

    public Task<IConnectionMultiplexer> ConnectAsync() => _connection.Value;

    private static async Task<IConnectionMultiplexer> ConnectCoreAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false; // start without Redis; the client reconnects when it comes back
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully) await _connection.Value.Result.DisposeAsync();
    }
}
