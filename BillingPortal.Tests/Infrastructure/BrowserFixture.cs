using System.Diagnostics;
using BillingPortal.Tests.Infrastructure;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(BrowserFixture))]

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// One Playwright driver and one headless Chromium for the whole test run, shared by every browser test (an
/// assembly fixture: take it as a constructor parameter, or derive from <see cref="BrowserTest"/>). Nothing starts
/// until a test asks for the browser, so runs without browser tests pay nothing. Each test gets its own isolated
/// <see cref="IBrowserContext"/> from <see cref="NewContextAsync"/>.
/// </summary>
/// <remarks>
/// Chromium is Debian's (<c>apt-get install chromium</c>), never a Playwright download: the driver ships in the
/// Microsoft.Playwright package and <c>playwright install</c> is neither needed nor possible here. It is looked for in
/// <c>$BILLINGPORTAL_CHROMIUM</c>, then <c>/usr/bin/chromium</c>, then <c>chromium</c> or <c>chromium-browser</c> on
/// PATH. When none is found the browser tests are skipped with the reason, or fail when <c>CI=true</c> (CI must never
/// pass by skipping). A Chromium that is found but does not start is a failure everywhere.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Environment variable with the path of the Chromium executable to use.</summary>
    public const string ChromiumVariable = "BILLINGPORTAL_CHROMIUM";

    /// <summary>Environment variable that, set to 1 or true, shows the browser window (a developer's machine with a display).</summary>
    public const string HeadedVariable = "BILLINGPORTAL_BROWSER_HEADED";

    /// <summary>
    /// Environment variable that, set to <c>off</c> (or 0/false), stops tracing each test (traces are kept only for failed
    /// tests, but recording them costs roughly 0.3–0.8 s a test).
    /// </summary>
    public const string TraceVariable = "BILLINGPORTAL_BROWSER_TRACE";

    /// <summary>Timeout of Playwright actions (click, fill) and of expect-style assertions.</summary>
    public static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Timeout of navigations (the first page of a fresh portal compiles Razor components).</summary>
    public static readonly TimeSpan NavigationTimeout = TimeSpan.FromSeconds(30);

    // Headless on a machine with no network and no GPU: without the background-networking flags Chromium keeps
    // trying to reach Google's hosts at every start. --no-sandbox because CI runs as root.
    private static readonly string[] LaunchArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _missingReason;
    private Exception? _launchFailure;

    /// <summary>The Chromium executable in use, once started.</summary>
    public string? ExecutablePath { get; private set; }

    /// <summary>Chromium's version, once started.</summary>
    public string? Version => _browser?.Version;

    /// <summary>How long starting the driver and Chromium took (once started).</summary>
    public TimeSpan? LaunchTime { get; private set; }

    /// <summary>True when <c>CI</c> is <c>true</c> (or <c>1</c>): a missing Chromium then fails instead of skipping.</summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci &&
        (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>Whether each browser context is traced (the trace is saved only when the test fails); see <see cref="TraceVariable"/>.</summary>
    public static bool TracingEnabled =>
        Environment.GetEnvironmentVariable(TraceVariable)?.ToLowerInvariant() is not ("off" or "0" or "false");

    /// <summary>Nothing is started here (see <see cref="GetBrowserAsync"/>).</summary>
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The shared browser, started on the first call. When no Chromium is found it skips the calling test with the
    /// reason (<c>Assert.Skip</c>), or fails it when <c>CI=true</c>; a failed start fails every caller with its cause.
    /// </summary>
    public async Task<IBrowser> GetBrowserAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_browser is { IsConnected: false })
            {
                // Chromium died (a crash, the OOM killer): the next test gets a new one instead of failing too.
                _playwright?.Dispose();
                (_browser, _playwright) = (null, null);
            }

            if (_browser is null && _missingReason is null && _launchFailure is null)
            {
                ExecutablePath = FindChromium(out _missingReason);
                if (ExecutablePath is not null)
                {
                    try
                    {
                        await LaunchAsync(ExecutablePath);
                    }
                    catch (Exception e) when (e is PlaywrightException or TimeoutException or IOException or InvalidOperationException)
                    {
                        _launchFailure = e;
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (_missingReason is not null)
        {
            var reason = $"Browser test needs Chromium: {_missingReason}. Install it with `apt-get install chromium` or set {ChromiumVariable}.";
            if (IsCi) Assert.Fail(reason + " CI=true, so a missing browser is a failure, not a skip.");
            Assert.Skip(reason);
        }

        if (_launchFailure is not null)
        {
            Assert.Fail($"Chromium at {ExecutablePath} was found but did not start: {_launchFailure.Message}");
        }

        return _browser!;
    }

    /// <summary>
    /// A new isolated context (own cookies, storage and cache) as a user in Lima sees the portal: locale es-PE,
    /// time zone America/Lima, a 1400×900 viewport, <paramref name="baseUrl"/> for relative URLs.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var browser = await GetBrowserAsync(cancellationToken);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            Locale = "es-PE",
            TimezoneId = "America/Lima",
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            ColorScheme = ColorScheme.Light,
            ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout((float)ActionTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)NavigationTimeout.TotalMilliseconds);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_browser is { IsConnected: true }) await _browser.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // Already gone; disposing the driver below ends whatever is left.
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }

    private async Task LaunchAsync(string executablePath)
    {
        var started = Stopwatch.StartNew();
        Assertions.SetDefaultExpectTimeout((float)ActionTimeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        var headed = Environment.GetEnvironmentVariable(HeadedVariable) is "1" or "true";
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executablePath,
            Headless = !headed,
            Args = LaunchArguments,
            Timeout = (float)NavigationTimeout.TotalMilliseconds,
        });
        LaunchTime = started.Elapsed;
    }

    /// <summary>The Chromium to use, or null with the reason it is missing.</summary>
    internal static string? FindChromium(out string? missingReason)
    {
        missingReason = null;
        var configured = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (File.Exists(configured)) return configured;
            missingReason = $"{ChromiumVariable} is '{configured}', which does not exist";
            return null;
        }

        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in (string[])["chromium", "chromium-browser"])
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate)) return candidate;
            }
        }

        missingReason = $"no {ChromiumVariable}, no /usr/bin/chromium and no chromium on PATH";
        return null;
    }
}
