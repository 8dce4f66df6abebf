using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BillingPortal.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// Base class of real-browser tests: headless Chromium (the shared <see cref="BrowserFixture"/>) against the portal
/// on Kestrel (a <see cref="BrowserPortalFactory"/>). Each page comes from a new isolated browser context (es-PE,
/// America/Lima, 1400×900), traced while the test runs. When the test ends, each page still open is saved to
/// <c>artifacts/browser/screenshots/&lt;test&gt;.png</c>; when it failed, the trace and the browser's errors go to
/// <c>artifacts/browser/failures/</c> and their paths to the test output.
/// </summary>
/// <example>
/// <code>
/// public sealed class InvoicesPageTests(BrowserFixture browser, BrowserPortalFactory portal)
///     : BrowserTest(browser), IClassFixture&lt;BrowserPortalFactory&gt;
/// {
///     [Fact]
///     public async Task Invoices_NoInvoices_ShowsEmptyState()
///     {
///         var organizer = ...; // stored with portal.CreateDbContext()
///         var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(organizer.Id), $"facturas?org={organizer.Id}");
///         await Expect(page.GetByTestId("invoices-empty")).ToBeVisibleAsync();
///     }
/// }
/// </code>
/// </example>
[Trait("Category", "Browser")]
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<Session> _sessions = [];
    private readonly Stopwatch _elapsed = new();
    private TimeSpan _ready;

    protected BrowserFixture Browser => browser;

    /// <summary>The test's cancellation token (xunit v3).</summary>
    protected static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    /// <summary>Starts (or reuses) the browser before the test body, so a missing Chromium skips the test at once.</summary>
    public virtual async ValueTask InitializeAsync()
    {
        _elapsed.Start();
        await browser.GetBrowserAsync(CancellationToken);
        _ready = _elapsed.Elapsed;
    }

    /// <summary>Playwright's auto-waiting assertions on a locator (<c>ToHaveTextAsync</c>, <c>ToBeVisibleAsync</c>, ...).</summary>
    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>Playwright's auto-waiting assertions on a page (<c>ToHaveURLAsync</c>, <c>ToHaveTitleAsync</c>).</summary>
    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    /// <summary>
    /// Opens <paramref name="path"/> (relative to the portal, e.g. <c>resumen?org=3</c>) as <paramref name="user"/>, in a
    /// context of its own, and waits until the page is interactive. Every browser test opens pages through here.
    /// </summary>
    /// <remarks>
    /// The user is invited to their organizer with their role (unless already a member or invited), then signs in for
    /// real: the portal sends the browser to the sandbox OpenID Connect provider's login page, where the user enters
    /// their email in the "any verified email" form, and the provider sends the browser back to <paramref name="path"/>.
    /// </remarks>
    protected async Task<IPage> SignedInPageAsync(BrowserPortalFactory portal, BrowserUser user, string path)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ArgumentNullException.ThrowIfNull(user);
        await portal.Services.GetRequiredService<MemberService>()
            .EnsurePlatformInvitationAsync(user.OrganizerId, user.Email, user.Role, TimeSpan.FromDays(1), CancellationToken);

        var page = await NewPageAsync(portal);
        await page.GotoAsync("cuenta/ingresar?returnUrl=" + Uri.EscapeDataString("/" + path.TrimStart('/')));
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(portal.Provider.Issuer.AbsoluteUri) + "account/login"));
        await page.GetByLabel("Correo electrónico").FillAsync(user.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuar con este correo" }).ClickAsync();
        // Back on the page asked for; a page may spell out more of its state in the query (the dashboard adds its period).
        var landing = new Uri(portal.ServerAddress, path.TrimStart('/')).AbsoluteUri;
        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(landing) + "([?&].*)?$"));
        await page.WaitForInteractiveAsync();
        return page;
    }

    /// <summary>
    /// A blank page in a new isolated context (own cookies, so no signed-in user) on <paramref name="portal"/>; for
    /// what an anonymous visitor sees. Prefer <see cref="SignedInPageAsync"/> for the portal's pages.
    /// </summary>
    protected async Task<IPage> NewPageAsync(BrowserPortalFactory portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        var context = await browser.NewContextAsync(portal.ServerAddress, CancellationToken);
        var session = new Session(context);
        lock (_sessions) _sessions.Add(session);
        if (BrowserFixture.TracingEnabled)
        {
            await context.Tracing.StartAsync(new TracingStartOptions
            {
                Title = BrowserArtifacts.CurrentTestName(),
                Screenshots = true,
                Snapshots = true,
            });
        }

        return await context.NewPageAsync();
    }

    /// <summary>
    /// Saves the whole page to <c>artifacts/browser/screenshots/&lt;test&gt;.&lt;step&gt;.png</c> and returns the path; for
    /// states in the middle of a test (the final state of every open page is saved anyway as <c>&lt;test&gt;.png</c>).
    /// </summary>
    protected static async Task<string> ScreenshotAsync(IPage page, string step)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(BrowserArtifacts.Screenshots, $"{BrowserArtifacts.CurrentTestName()}.{BrowserArtifacts.Sanitize(step)}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public virtual async ValueTask DisposeAsync()
    {
        var body = _elapsed.Elapsed - _ready;
        var name = BrowserArtifacts.CurrentTestName();
        var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        var notes = new List<string>();
        var pageNumber = 0;
        for (var i = 0; i < _sessions.Count; i++)
        {
            var session = _sessions[i];
            foreach (var page in session.Context.Pages.Where(p => !p.IsClosed))
            {
                pageNumber++;
                var shot = Path.Combine(BrowserArtifacts.Screenshots, pageNumber == 1 ? $"{name}.png" : $"{name}-{pageNumber}.png");
                notes.Add(await SaveScreenshotAsync(page, shot));
            }

            var suffix = _sessions.Count == 1 ? "" : "-" + (i + 1).ToString(CultureInfo.InvariantCulture);
            notes.AddRange(await SaveDiagnosticsAsync(session, Path.Combine(BrowserArtifacts.Failures, name + suffix), failed));
            await session.Context.CloseAsync();
        }

        _elapsed.Stop();
        if (_sessions.Count > 0 && TestContext.Current.TestOutputHelper is { } output)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"browser test: {_elapsed.Elapsed.TotalSeconds:0.00} s = browser ready {_ready.TotalSeconds:0.00} s + test {body.TotalSeconds:0.00} s + screenshots/trace {(_elapsed.Elapsed - _ready - body).TotalSeconds:0.00} s; {_sessions.Count} context(s)"));
            if (failed)
            {
                foreach (var note in notes) output.WriteLine(note);
            }
        }

        GC.SuppressFinalize(this);
    }

    private static async Task<string> SaveScreenshotAsync(IPage page, string path)
    {
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 10_000 });
            return $"screenshot: {path} ({page.Url})";
        }
        catch (PlaywrightException e)
        {
            return $"no screenshot of {page.Url}: {e.Message}";
        }
    }

    /// <summary>
    /// For a failed test, writes <c>&lt;pathWithoutExtension&gt;.trace.zip</c> (open it with Playwright's trace viewer)
    /// and <c>.log</c> (the browser's errors); for a passed one, discards the trace and deletes those of an earlier failure.
    /// </summary>
    private static async Task<List<string>> SaveDiagnosticsAsync(Session session, string pathWithoutExtension, bool failed)
    {
        var notes = new List<string>();
        var trace = pathWithoutExtension + ".trace.zip";
        var log = pathWithoutExtension + ".log";
        try
        {
            if (!failed)
            {
                if (BrowserFixture.TracingEnabled) await session.Context.Tracing.StopAsync();
                File.Delete(trace);
                File.Delete(log);
                return notes;
            }

            if (BrowserFixture.TracingEnabled)
            {
                await session.Context.Tracing.StopAsync(new TracingStopOptions { Path = trace });
                notes.Add($"trace: {trace}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            await File.WriteAllLinesAsync(log, session.Log, CancellationToken.None);
            notes.Add($"browser log: {log} ({session.Log.Count} line(s))");
            notes.AddRange(session.Log.Take(20).Select(line => "  " + line));
        }
        catch (Exception e) when (e is PlaywrightException or IOException or UnauthorizedAccessException)
        {
            notes.Add($"diagnostics not saved: {e.Message}");
        }

        return notes;
    }

    /// <summary>A context and what its pages reported: console errors and warnings, page errors, failed requests.</summary>
    private sealed class Session
    {
        public Session(IBrowserContext context)
        {
            Context = context;
            context.Page += (_, page) => Watch(page); // every page of the context, pop-ups included
        }

        public IBrowserContext Context { get; }

        public ConcurrentQueue<string> Log { get; } = new();

        private void Watch(IPage page)
        {
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning") Add($"console.{message.Type}: {message.Text}");
            };
            page.PageError += (_, error) => Add($"page error: {error}");
            page.RequestFailed += (_, request) => Add($"request failed: {request.Method} {request.Url} ({request.Failure})");
            page.Response += (_, response) =>
            {
                if (response.Status >= 400) Add($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            };
        }

        private void Add(string line) =>
            Log.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}"));
    }
}
