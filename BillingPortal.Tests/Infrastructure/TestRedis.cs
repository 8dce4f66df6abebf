using StackExchange.Redis;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// The real Redis of the Redis tests: <c>BILLINGPORTAL_TEST_REDIS</c> (a StackExchange.Redis configuration string such as
/// <c>127.0.0.1:6390</c>, which <c>.ci/run</c> starts on loopback and exports). Without it, or when nothing answers
/// there, a Redis test is skipped with the reason, or fails when <c>CI=true</c> (CI must never skip them silently), as
/// the browser tests do without Chromium. Each test uses its own key prefix, so tests never see each other's entries.
/// </summary>
public static class TestRedis
{
    public const string Variable = "BILLINGPORTAL_TEST_REDIS";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _checked;
    private static string? _missingReason;

    /// <summary>The connection string after a successful PING, or the test is skipped (failed under CI).</summary>
    public static async Task<string> RequireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_checked is null && _missingReason is null) (_checked, _missingReason) = await ProbeAsync();
        }
        finally
        {
            Gate.Release();
        }

        if (_missingReason is not null)
        {
            var reason = $"Redis test needs a Redis server: {_missingReason}. Start one (`redis-server --port 6390 --save '' --daemonize yes`) and set {Variable}=127.0.0.1:6390.";
            if (BrowserFixture.IsCi) Assert.Fail(reason + " CI=true, so a missing Redis is a failure, not a skip.");
            Assert.Skip(reason);
        }

        return _checked!;
    }

    /// <summary>A key prefix (<c>Cache:RedisInstanceName</c>) of its own for one test.</summary>
    public static string NewInstanceName() => "bp-test-" + Guid.NewGuid().ToString("N")[..12] + ":";

    private static async Task<(string?, string?)> ProbeAsync()
    {
        var configuration = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(configuration)) return (null, $"{Variable} is not set");
        try
        {
            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 3000;
            options.ConnectRetry = 1;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
            return (configuration, null);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ArgumentException)
        {
            return (null, $"nothing answers at {Variable}={configuration} ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }
    }
}
