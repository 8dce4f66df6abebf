using BillingPortal.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BillingPortal.Tests.Components.Layout;

/// <summary>The app bar's light/dark toggle and the browser-side memory of the choice.</summary>
public sealed class ThemeToggleTests : MudTestContext
{
    [Fact]
    public void Toggle_Click_SwitchesToDarkAndRemembersIt()
    {
        var dark = false;
        var cut = Render<ThemeToggle>(p => p
            .Add(t => t.DarkMode, dark)
            .Add(t => t.DarkModeChanged, EventCallback.Factory.Create<bool>(this, value => dark = value)));
        var button = cut.Find("button[data-testid=theme-toggle]");
        Assert.Equal("Tema oscuro", button.GetAttribute("aria-label"));
        Assert.Equal("false", button.GetAttribute("aria-pressed"));

        button.Click();

        Assert.True(dark);
        Assert.Equal([ThemePreference.StorageKey, ThemePreference.Dark], JSInterop.VerifyInvoke("localStorage.setItem").Arguments);
        cut.Render(p => p.Add(t => t.DarkMode, dark));
        Assert.Equal("true", cut.Find("button[data-testid=theme-toggle]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Toggle_FromDark_SwitchesToLightAndRemembersIt()
    {
        bool? changed = null;
        var cut = Render<ThemeToggle>(p => p
            .Add(t => t.DarkMode, true)
            .Add(t => t.DarkModeChanged, EventCallback.Factory.Create<bool>(this, value => changed = value)));
        Assert.Equal("true", cut.Find("button[data-testid=theme-toggle]").GetAttribute("aria-pressed"));

        cut.Find("button[data-testid=theme-toggle]").Click();

        Assert.False(changed);
        Assert.Equal([ThemePreference.StorageKey, ThemePreference.Light], JSInterop.VerifyInvoke("localStorage.setItem").Arguments);
    }

    [Theory]
    [InlineData("dark", true)]
    [InlineData("light", false)]
    [InlineData(null, null)]
    [InlineData("purple", null)]
    public async Task Preference_Load_ReadsOnlyKnownValues(string? stored, bool? expected)
    {
        JSInterop.Setup<string?>("localStorage.getItem", ThemePreference.StorageKey).SetResult(stored);

        Assert.Equal(expected, await ThemePreference.LoadAsync(JSInterop.JSRuntime));
    }
}
