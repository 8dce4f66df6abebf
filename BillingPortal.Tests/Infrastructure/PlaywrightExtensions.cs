using Microsoft.Playwright;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>Helpers for driving the Blazor Server portal with Playwright.</summary>
public static class PlaywrightExtensions
{
    /// <summary>
    /// The marker MainLayout renders once the Blazor circuit is up (<c>data-interactive="true"</c>; "false" while
    /// prerendered). Before it, clicks reach static HTML with no handlers and are silently lost.
    /// </summary>
    public const string InteractiveSelector = "[data-interactive='true']";

    /// <summary>Waits (auto-waiting, no sleep) until the current document's circuit is interactive.</summary>
    public static async Task WaitForInteractiveAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Assertions.Expect(page.Locator(InteractiveSelector)).ToBeAttachedAsync();
    }

    /// <summary>
    /// Runs <paramref name="action"/>, which must load a new document (a link with forceLoad, a form post, a
    /// redirect through an endpoint such as <c>/culture</c>), then waits for that new document to be interactive.
    /// Waiting only for the marker would be wrong here: the old document still shows it until the new one replaces it.
    /// </summary>
    public static async Task WaitForNewDocumentAsync(this IPage page, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(action);
        await page.EvaluateAsync("() => { window.__billingPortalOldDocument = true; }");
        await action();
        await page.WaitForFunctionAsync("() => window.__billingPortalOldDocument !== true");
        await page.WaitForInteractiveAsync();
    }

    /// <summary>
    /// The value of a query parameter of the page's current URL (null when absent), e.g. <c>desde</c> after a preset.
    /// </summary>
    public static string? QueryValue(this IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var query = new Uri(page.Url).Query.TrimStart('?');
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (Uri.UnescapeDataString(parts[0]) == name) return parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        return null;
    }
}
