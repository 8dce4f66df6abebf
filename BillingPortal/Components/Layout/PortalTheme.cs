using MudBlazor;

namespace BillingPortal.Components.Layout;

/// <summary>The portal's look: a calm blue for a finance tool, system fonts (the portal loads nothing from outside).</summary>
public static class PortalTheme
{
    private static readonly string[] FontStack =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Liberation Sans", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1d4f91",
            Secondary = "#0f766e",
            Tertiary = "#6d28d9",
            Info = "#2563eb",
            Success = "#15803d",
            Warning = "#b45309",
            Error = "#b91c1c",
            AppbarBackground = "#1d4f91",
            AppbarText = "#ffffff",
            Background = "#f4f6fa",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1f2937",
            DrawerIcon = "#475569",
            TextPrimary = "#1f2937",
            TextSecondary = "#5b6575",
            LinesDefault = "#e2e8f0",
            Divider = "#e2e8f0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa7e8",
            Secondary = "#2dd4bf",
            AppbarBackground = "#15253d",
            Background = "#0f172a",
            Surface = "#172236",
            DrawerBackground = "#131d2f",
            Error = "#f87171",
            // Light primary/warning/error fills in the dark theme need dark text on them (axe color-contrast ≥ 4.5:1).
            PrimaryContrastText = "#0f172a",
            WarningContrastText = "#0f172a",
            ErrorContrastText = "#0f172a",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
            H4 = new H4Typography { FontFamily = FontStack, FontSize = "1.75rem", FontWeight = "600" },
            H6 = new H6Typography { FontFamily = FontStack, FontSize = "1.1rem", FontWeight = "600" },
            Button = new ButtonTypography { FontFamily = FontStack, TextTransform = "none", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "8px",
            DrawerWidthLeft = "300px",
        },
    };
}
