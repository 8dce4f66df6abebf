using Microsoft.JSInterop;

namespace BillingPortal.Components.Layout;

/// <summary>
/// The light or dark theme the person chose, remembered in the browser's <c>localStorage</c> (nothing is sent to the
/// server). No choice yet means "follow the system" (the layout asks MudBlazor for the system's preference).
/// </summary>
public static class ThemePreference
{
    /// <summary>The localStorage key.</summary>
    public const string StorageKey = "billingportal.theme";

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

    /// <summary>Remembers the choice for the next visits.</summary>
    public static ValueTask SaveAsync(IJSRuntime js, bool dark)
    {
        ArgumentNullException.ThrowIfNull(js);
        return js.InvokeVoidAsync("localStorage.setItem", StorageKey, dark ? Dark : Light);
    }
}
