using BillingPortal.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BillingPortal.Tests.Components.Layout;

public sealed class LayoutTests : MudTestContext
{
    [Fact]
    public void NavMenu_FutureSections_AreVisibleButDisabledWithComingSoonHint()
    {
        var cut = Render<NavMenu>();

        Assert.Equal("Resumen", cut.Find("[data-testid=nav-summary]").TextContent.Trim());
        Assert.EndsWith("resumen", cut.Find("a[data-testid=nav-summary]").GetAttribute("href"), StringComparison.Ordinal);
        foreach (var (id, name) in new[] { ("events", "Eventos"), ("transactions", "Transacciones"), ("statements", "Estados de cuenta"), ("mercadopago", "Mercado Pago"), ("admin", "Administración") })
        {
            var item = cut.Find($"[data-testid=nav-{id}]");
            Assert.Equal("true", item.GetAttribute("aria-disabled"));
            Assert.Equal($"{name}: disponible próximamente", item.GetAttribute("title"));
            Assert.Contains("Próximamente", item.TextContent, StringComparison.Ordinal);
            Assert.Null(item.GetAttribute("href"));
        }
    }

    [Fact]
    public void NavMenu_English_TranslatesSections()
    {
        UseCulture("en-US");

        var cut = Render<NavMenu>();

        Assert.Equal("Summary", cut.Find("[data-testid=nav-summary]").TextContent.Trim());
        Assert.Contains("Coming soon", cut.Find("[data-testid=nav-statements]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("language-en", "en-US")]
    [InlineData("language-es", "es-PE")]
    public async Task LanguageSwitch_Choice_GoesThroughCultureEndpointBackToThisPage(string item, string culture)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("resumen?org=1&desde=2026-03-01&hasta=2026-03-31");
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<LanguageSwitch>();

        await cut.InvokeAsync(() => cut.Find(".mud-menu-activator button").Click());
        var choice = popovers.WaitForElement($"[data-testid={item}]");
        await popovers.InvokeAsync(() => choice.Click());

        var back = Uri.EscapeDataString("~/resumen?org=1&desde=2026-03-01&hasta=2026-03-31");
        Assert.Equal($"http://localhost/culture?culture={culture}&redirectUri={back}", navigation.Uri);
    }
}
