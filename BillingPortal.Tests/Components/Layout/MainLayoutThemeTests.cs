using BillingPortal.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BillingPortal.Tests.Components.Layout;

/// <summary>
/// The layout's first render fetches the stored (or the system's) theme over JS interop. A person who uses the toggle
/// before that answer arrives keeps their choice: neither the page nor the server's cookie goes back to the old theme.
/// </summary>
public sealed class MainLayoutThemeTests : MudTestContext
{
    protected override bool UsesDatabase => true;

    [Theory]
    [InlineData(null)]
    [InlineData(ThemePreference.Light)]
    public void Toggle_UsedWhileTheStoredThemeIsStillLoading_TheChoiceWins_CookieIncluded(string? stored)
    {
        var load = JSInterop.Setup<string?>("localStorage.getItem", ThemePreference.StorageKey); // answered below
        var module = JSInterop.SetupModule("./Components/Layout/ThemeToggle.razor.js");
        module.SetupVoid("rememberTheme", _ => true).SetVoidResult();
        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));
        Assert.Equal("false", cut.Find("[data-testid=theme-toggle]").GetAttribute("aria-pressed"));

        cut.Find("[data-testid=theme-toggle]").Click();
        load.SetResult(stored); // light (stored, or the system's): the answer the first render was waiting for

        Assert.Single(load.Invocations);
        Assert.Equal("true", cut.Find("[data-testid=theme-toggle]").GetAttribute("aria-pressed"));
        var remembered = module.Invocations["rememberTheme"].Select(i => (bool)i.Arguments[0]!).ToList();
        Assert.NotEmpty(remembered);
        Assert.True(remembered[^1], $"The cookie was last written as light: {string.Join(", ", remembered)}");
    }

    [Fact]
    public void StoredDark_NoToggle_TheLayoutTurnsDarkAndTellsTheServer()
    {
        JSInterop.Setup<string?>("localStorage.getItem", ThemePreference.StorageKey).SetResult(ThemePreference.Dark);
        var module = JSInterop.SetupModule("./Components/Layout/ThemeToggle.razor.js");
        module.SetupVoid("rememberTheme", _ => true).SetVoidResult();

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=theme-toggle]").GetAttribute("aria-pressed")));
        Assert.Equal([true], module.Invocations["rememberTheme"].Select(i => (bool)i.Arguments[0]!));
    }
}
