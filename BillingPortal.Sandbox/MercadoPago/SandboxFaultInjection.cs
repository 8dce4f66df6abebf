using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>What a fault does to a request.</summary>
public enum SandboxFaultKind
{
    /// <summary>Waits <see cref="SandboxFault.LatencyMs"/> and then lets the request through.</summary>
    Latency,

    /// <summary>429 with <c>Retry-After</c> (on <c>/oauth/token</c> the body is <c>local_rate_limited</c>, §2.6).</summary>
    RateLimit,

    /// <summary>500.</summary>
    ServerError,

    /// <summary>Holds the request <see cref="SandboxFault.HoldMs"/> (or until the client gives up), then answers 504.</summary>
    Timeout,

    /// <summary>401 as for a revoked token (on <c>/oauth/token</c>: 400 invalid_grant).</summary>
    RevokedToken,

    /// <summary>401 as for an expired token (on <c>/oauth/token</c>: 400 invalid_grant).</summary>
    ExpiredToken,
}

/// <summary>A fault rule as the admin surface shows it.</summary>
public sealed record SandboxFault
{
    public int Id { get; init; }

    public SandboxFaultKind Kind { get; init; }

    /// <summary>Share of matching requests hit (0..1), after the <see cref="Count"/> deterministic ones.</summary>
    public double Rate { get; init; }

    /// <summary>The next N matching requests are hit (null: none by count).</summary>
    public int? Count { get; init; }

    /// <summary>How many of <see cref="Count"/> are left.</summary>
    public int? Remaining { get; init; }

    /// <summary>Only requests whose path contains this (e.g. <c>/v1/payments</c>, <c>/oauth/token</c>); null: all.</summary>
    public string? Path { get; init; }

    public int LatencyMs { get; init; }

    public int RetryAfterSeconds { get; init; }

    public int HoldMs { get; init; }

    /// <summary>How many requests it hit so far.</summary>
    public int Hits { get; init; }
}

/// <summary>
/// The fault rules in force (set and cleared at run time through <c>/_admin/faults</c>). Rate draws come from a
/// <see cref="Random"/> seeded with <see cref="Seed"/>, so a run is reproducible; reseeding restarts the sequence.
/// </summary>
public sealed class SandboxFaults
{
    public const int DefaultSeed = 4242;

    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private Random _random = new(DefaultSeed);
    private int _nextId = 1;

    public int Seed { get; private set; } = DefaultSeed;

    /// <summary>The wire names of the kinds: <c>latency</c>, <c>rate_limit</c> (or <c>429</c>), <c>server_error</c> (or <c>500</c>), <c>timeout</c>, <c>revoked_token</c>, <c>expired_token</c>.</summary>
    public static SandboxFaultKind? ParseKind(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        "latency" => SandboxFaultKind.Latency,
        "rate_limit" or "429" => SandboxFaultKind.RateLimit,
        "server_error" or "500" => SandboxFaultKind.ServerError,
        "timeout" => SandboxFaultKind.Timeout,
        "revoked_token" => SandboxFaultKind.RevokedToken,
        "expired_token" => SandboxFaultKind.ExpiredToken,
        _ => null,
    };

    public static string KindName(SandboxFaultKind kind) => kind switch
    {
        SandboxFaultKind.Latency => "latency",
        SandboxFaultKind.RateLimit => "rate_limit",
        SandboxFaultKind.ServerError => "server_error",
        SandboxFaultKind.Timeout => "timeout",
        SandboxFaultKind.RevokedToken => "revoked_token",
        SandboxFaultKind.ExpiredToken => "expired_token",
    };

    /// <summary>Adds a rule; returns it with its id.</summary>
    public SandboxFault Add(SandboxFaultKind kind, double rate, int? count, string? path, int latencyMs = 0, int retryAfterSeconds = 1, int holdMs = 30_000)
    {
        if (rate is < 0 or > 1 || double.IsNaN(rate)) throw new ArgumentOutOfRangeException(nameof(rate), "rate must be between 0 and 1");
        if (count is < 0) throw new ArgumentOutOfRangeException(nameof(count), "count must not be negative");
        if (rate == 0 && count is null or 0) throw new ArgumentException("A fault needs a rate above 0 or a count.", nameof(rate));
        ArgumentOutOfRangeException.ThrowIfNegative(latencyMs);
        ArgumentOutOfRangeException.ThrowIfNegative(retryAfterSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(holdMs);
        lock (_gate)
        {
            var rule = new Rule
            {
                Id = _nextId++,
                Kind = kind,
                Rate = rate,
                Count = count,
                Remaining = count ?? 0,
                Path = string.IsNullOrWhiteSpace(path) ? null : path.Trim(),
                LatencyMs = latencyMs,
                RetryAfterSeconds = retryAfterSeconds,
                HoldMs = holdMs,
            };
            _rules.Add(rule);
            return rule.View();
        }
    }

    public bool Remove(int id)
    {
        lock (_gate) return _rules.RemoveAll(r => r.Id == id) > 0;
    }

    /// <summary>Removes every rule (the seed stays).</summary>
    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>Restarts the random sequence with <paramref name="seed"/>.</summary>
    public void Reseed(int seed)
    {
        lock (_gate)
        {
            Seed = seed;
            _random = new Random(seed);
        }
    }

    public IReadOnlyList<SandboxFault> List()
    {
        lock (_gate) return _rules.Select(r => r.View()).ToList();
    }

    /// <summary>The faults that hit a request to <paramref name="path"/>, in rule order (latencies first, then at most one failure).</summary>
    public IReadOnlyList<SandboxFault> Draw(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_gate)
        {
            if (_rules.Count == 0) return [];
            var hits = new List<SandboxFault>();
            foreach (var rule in _rules)
            {
                if (rule.Path is not null && !path.Contains(rule.Path, StringComparison.OrdinalIgnoreCase)) continue;
                if (hits.Any(h => h.Kind != SandboxFaultKind.Latency) && rule.Kind != SandboxFaultKind.Latency) continue;
                var hit = false;
                if (rule.Remaining > 0)
                {
                    rule.Remaining--;
                    hit = true;
                }
                else if (rule.Rate > 0)
                {
                    hit = _random.NextDouble() < rule.Rate;
                }

                if (!hit) continue;
                rule.Hits++;
                hits.Add(rule.View());
            }

            return hits;
        }
    }

    private sealed class Rule
    {
        public int Id { get; init; }

        public SandboxFaultKind Kind { get; init; }

        public double Rate { get; init; }

        public int? Count { get; init; }

        public int Remaining { get; set; }

        public string? Path { get; init; }

        public int LatencyMs { get; init; }

        public int RetryAfterSeconds { get; init; }

        public int HoldMs { get; init; }

        public int Hits { get; set; }

        public SandboxFault View() => new()
        {
            Id = Id,
            Kind = Kind,
            Rate = Rate,
            Count = Count,
            Remaining = Count is null ? null : Remaining,
            Path = Path,
            LatencyMs = LatencyMs,
            RetryAfterSeconds = RetryAfterSeconds,
            HoldMs = HoldMs,
            Hits = Hits,
        };
    }
}

/// <summary>
/// Fault injection on the emulator's API routes: an endpoint filter on the route group that draws from
/// <see cref="SandboxFaults"/> for every request except the admin surface (<c>/_admin</c>) and the consent page
/// (<c>/authorization</c>).
/// </summary>
public static class SandboxFaultInjection
{
    public static void Apply(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var path = http.Request.Path.Value ?? "";
            if (IsExempt(path)) return await next(context);
            var faults = http.RequestServices.GetService<SandboxFaults>();
            if (faults is null) return await next(context);
            foreach (var fault in faults.Draw(path))
            {
                var result = await ApplyAsync(fault, path, http);
                if (result is not null) return result;
            }

            return await next(context);
        });
    }

    /// <summary>The admin surface and the consent page are never faulted.</summary>
    public static bool IsExempt(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Contains("/_admin", StringComparison.OrdinalIgnoreCase)
               || path.EndsWith("/authorization", StringComparison.OrdinalIgnoreCase)
               || path.Contains("/authorization/", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<IResult?> ApplyAsync(SandboxFault fault, string path, HttpContext http)
    {
        switch (fault.Kind)
        {
            case SandboxFaultKind.Latency:
                await Task.Delay(fault.LatencyMs, http.RequestAborted);
                return null;
            case SandboxFaultKind.RateLimit:
            case SandboxFaultKind.ServerError:
            case SandboxFaultKind.RevokedToken:
            case SandboxFaultKind.ExpiredToken:
                return Answer(fault, path, http.Response);
            case SandboxFaultKind.Timeout:
                try
                {
                    await Task.Delay(fault.HoldMs, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up, as intended.
                    return Results.Empty;
                }

                return SandboxErrors.Error(504, "gateway_timeout", "Gateway timeout");
        }

        return null;
    }

    /// <summary>
    /// The answer of a failing fault: 429 with <c>Retry-After</c> (on <c>/oauth/token</c> the §2.6 body
    /// <c>local_rate_limited</c> with <c>cause: []</c>), 500, or 401 for a revoked or expired token (400 invalid_grant on
    /// <c>/oauth/token</c>, where a dead grant shows up that way).
    /// </summary>
    public static IResult Answer(SandboxFault fault, string path, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(response);
        var token = path.Contains("/oauth/token", StringComparison.OrdinalIgnoreCase);
        switch (fault.Kind)
        {
            case SandboxFaultKind.RateLimit:
                response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return token
                    ? SandboxErrors.OAuth(429, "local_rate_limited", "Too many requests, try again later")
                    : SandboxErrors.Error(429, "too_many_requests", "Too many requests");
            case SandboxFaultKind.RevokedToken:
            case SandboxFaultKind.ExpiredToken:
                return token ? SandboxErrors.InvalidGrant() : SandboxErrors.Unauthorized();
            default:
                return SandboxErrors.Error(500, "internal_server_error", "Internal server error");
        }
    }
}
