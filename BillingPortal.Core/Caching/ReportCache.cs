using System.Collections.Concurrent;
using BillingPortal.Core.Common;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.Caching;

/// <summary>
/// Drops cached reports when the data behind them changed. The write paths (payment upserts, the demo seed, ingestion)
/// call it after their commit and before anything tells the open pages to reload.
/// </summary>
public interface IReportCacheInvalidator
{
    /// <summary>Every cached report of one organizer (its payments or ledger changed).</summary>
    ValueTask InvalidateOrganizerAsync(int organizerId, CancellationToken cancellationToken = default);

    /// <summary>Every cached report of every organizer (a bulk change: the demo seed, organizers or events ingested).</summary>
    ValueTask InvalidateAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The report cache (issue #7 §6; ADR-010): every cached read goes through here. It is <see cref="HybridCache"/> — this
/// process's memory, plus Redis as a second level when <c>ConnectionStrings:Redis</c> is set — with keys that always
/// start with the organizer (<see cref="ReportCacheKeys"/>) and two tags per entry: <c>org:{id}</c> and <c>reports</c>.
/// <see cref="InvalidateOrganizerAsync"/> removes by the organizer's tag; with Redis it is also published to the other
/// instances (<see cref="ReportCacheBus"/>), because HybridCache reads another instance's tag invalidation only the first
/// time it meets a tag.
/// </summary>
/// <remarks>
/// A value computed while its organizer was being invalidated is removed again once computed (a per-organizer
/// generation taken before and compared after), so a read that raced a payment change never stays cached. With
/// <see cref="ReportCacheOptions.Enabled"/> off every read calls its factory and nothing is stored.
/// </remarks>
public sealed partial class ReportCache : IReportCacheInvalidator
{
    private readonly HybridCache _cache;
    private readonly ReportCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ReportCacheBus? _bus;
    private readonly ILogger<ReportCache> _logger;
    private readonly HybridCacheEntryOptions _dashboardEntry;
    private readonly HybridCacheEntryOptions _statementEntry;
    private readonly HybridCacheEntryOptions _readOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
    private readonly ConcurrentDictionary<int, long> _generations = new();
    private long _globalGeneration;

    public ReportCache(HybridCache cache, IOptions<ReportCacheOptions> options, TimeProvider time, ILogger<ReportCache> logger, ReportCacheBus? bus = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _bus = bus;
        _dashboardEntry = new() { Expiration = _options.DashboardTtl, LocalCacheExpiration = _options.LocalTtl };
        _statementEntry = new() { Expiration = _options.StatementTtl, LocalCacheExpiration = _options.LocalTtl };
        _bus?.Start(this);
    }

    public bool Enabled => _options.Enabled;

    /// <summary>The largest value worth storing (<see cref="ReportCacheOptions.MaxEntryBytes"/>).</summary>
    public int MaxEntryBytes => _options.MaxEntryBytes;

    /// <summary>Today in Lima: the part of the keys of everything that depends on «now».</summary>
    public DateOnly Today => AccountingCalendar.Lima.LocalDate(_time.GetUtcNow());

    /// <summary>The cached value of <paramref name="key"/>, or <paramref name="factory"/>'s (then stored, tagged with the organizer).</summary>
    public async ValueTask<T> GetOrCreateAsync<T>(ReportCacheKey key, Func<CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!Enabled) return await factory(cancellationToken);
        var generation = GenerationOf(key.OrganizerId);
        var value = await _cache.GetOrCreateAsync(key.Value, factory, static (f, ct) => f(ct), EntryOptions(key.Kind), TagsOf(key.OrganizerId), cancellationToken);
        if (GenerationOf(key.OrganizerId) != generation) await RemoveQuietlyAsync(key);
        return value;
    }

    /// <summary>The cached value of <paramref name="key"/>, or default when there is none (nothing is computed nor stored).</summary>
    public async ValueTask<T?> TryGetAsync<T>(ReportCacheKey key, CancellationToken cancellationToken)
    {
        if (!Enabled) return default;
        return await _cache.GetOrCreateAsync<T?>(key.Value, static _ => ValueTask.FromResult<T?>(default), _readOnly, null, cancellationToken);
    }

    /// <summary>
    /// Stores a value computed by the caller since it took <paramref name="generation"/> (<see cref="GenerationOf"/>);
    /// nothing is stored when the organizer was invalidated meanwhile. Returns whether it was stored.
    /// </summary>
    public async ValueTask<bool> SetAsync<T>(ReportCacheKey key, T value, long generation, CancellationToken cancellationToken)
    {
        if (!Enabled || GenerationOf(key.OrganizerId) != generation) return false;
        await _cache.SetAsync(key.Value, value, EntryOptions(key.Kind), TagsOf(key.OrganizerId), cancellationToken);
        if (GenerationOf(key.OrganizerId) == generation) return true;
        await RemoveQuietlyAsync(key);
        return false;
    }

    /// <summary>A number that changes whenever the organizer's entries (or all entries) are invalidated in this process.</summary>
    public long GenerationOf(int organizerId) => Volatile.Read(ref _globalGeneration) + _generations.GetValueOrDefault(organizerId);

    public async ValueTask InvalidateOrganizerAsync(int organizerId, CancellationToken cancellationToken = default)
    {
        await InvalidateLocallyAsync(ReportCacheKeys.OrganizerTag(organizerId), cancellationToken);
        if (_bus is not null) await _bus.PublishAsync(ReportCacheKeys.OrganizerTag(organizerId));
    }

    public async ValueTask InvalidateAllAsync(CancellationToken cancellationToken = default)
    {
        await InvalidateLocallyAsync(ReportCacheKeys.AllTag, cancellationToken);
        if (_bus is not null) await _bus.PublishAsync(ReportCacheKeys.AllTag);
    }

    /// <summary>
    /// Removes by tag here (and, with Redis, records the tag's invalidation time there): what another instance's message
    /// asks for, without publishing it again.
    /// </summary>
    internal async ValueTask InvalidateLocallyAsync(string tag, CancellationToken cancellationToken)
    {
        if (tag == ReportCacheKeys.AllTag) Interlocked.Increment(ref _globalGeneration);
        else if (TryParseOrganizerTag(tag, out var organizerId)) _generations.AddOrUpdate(organizerId, 1, static (_, g) => g + 1);
        else return;

        try
        {
            // HybridCache marks the tag invalid in this process first (synchronously), then writes its time to Redis.
            await _cache.RemoveByTagAsync(tag, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // This process's entries are already invalid; only the time in Redis could not be written.
            LogInvalidationFailed(_logger, e, tag);
        }
    }

    private static bool TryParseOrganizerTag(string tag, out int organizerId)
    {
        organizerId = 0;
        return tag.StartsWith("org:", StringComparison.Ordinal)
               && int.TryParse(tag.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out organizerId);
    }

    private HybridCacheEntryOptions EntryOptions(ReportCacheKind kind) => kind == ReportCacheKind.Statement ? _statementEntry : _dashboardEntry;

    private static string[] TagsOf(int organizerId) => [ReportCacheKeys.OrganizerTag(organizerId), ReportCacheKeys.AllTag];

    private async ValueTask RemoveQuietlyAsync(ReportCacheKey key)
    {
        try
        {
            await _cache.RemoveAsync(key.Value, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogInvalidationFailed(_logger, e, key.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report cache: removing {What} from the second level failed; this instance's entries are invalid anyway")]
    private static partial void LogInvalidationFailed(ILogger logger, Exception exception, string what);
}
