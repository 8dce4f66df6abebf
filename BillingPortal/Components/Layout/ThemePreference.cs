using Microsoft.JSInterop;

namespace BillingPortal.Components.Layout;

/// <summary>
/// The light or dark theme the person chose, remembered in the browser's <c>localStorage</c>. No choice yet means
/// "follow the system" (the layout asks MudBlazor for the system's preference). The theme in effect is also kept in a
/// cookie (<see cref="CookieName"/>, "dark" or "light") so the server renders the next page's first paint in it.
/// </summary>
public static class ThemePreference
{
    /// <summary>The localStorage key.</summary>
    public const string StorageKey = "billingportal.theme";

    /// <summary>The cookie with the theme in effect (read by <see cref="Security.PortalSession"/>).</summary>
    public const string CookieName = "bp.theme";

    public const string Dark = "dark";

    public const string Light = "light";

    /// <summary>True for dark, false for light, null when nothing (or something unreadable) is stored.</summary>
    public static async Task<bool?> LoadAsync(IJSRuntime js)
    {
        ArgumentNullException.ThrowIfNull(js);
        var stored = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey);
        return stored switch
        {
            Dark => true,
            Light => false,
            _ => null,
        };
    }

    /// <summary>The theme a request's cookie says is in effect: true for dark, false for light, null when unknown.</summary>
    public static bool? FromCookie(string? value) => value switch
    {
        Dark => true,
        Light => false,
        _ => null,
    };

    /// <summary>Keeps the theme in effect in the cookie the server reads for the next page (best effort).</summary>
    public static async Task RememberForServerAsync(IJSRuntime js, bool dark)
    {
        ArgumentNullException.ThrowIfNull(js);
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./Components/Layout/ThemeToggle.razor.js");
            await module.InvokeVoidAsync("rememberTheme", dark);
        }
        catch (JSException)
        {
            // Cookies refused: the next page renders light first, then switches, as before.
        }
    }

    /// <summary>Remembers the choice for the next visits.</summary>
    public static ValueTask SaveAsync(IJSRuntime js, bool dark)
    {
        ArgumentNullException.ThrowIfNull(js);
        return js.InvokeVoidAsync("localStorage.setItem", StorageKey, dark ? Dark : Light);
    }
}
