using BillingPortal.Components.Layout;
using BillingPortal.Core.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BillingPortal.Tests.Components.Layout;

public sealed class LayoutTests : MudTestContext
{
    // The menu follows the tenancy service, which reads memberships from the database.
    protected override bool UsesDatabase => true;

    [Fact]
    public void NavMenu_Sections_LinkToTheirPages()
    {
        var cut = Render<NavMenu>();

        Assert.Equal("Resumen", cut.Find("[data-testid=nav-summary]").TextContent.Trim());
        Assert.EndsWith("resumen", cut.Find("a[data-testid=nav-summary]").GetAttribute("href"), StringComparison.Ordinal);
        foreach (var (id, page, name) in new[] { ("events", "eventos", "Eventos"), ("transactions", "transacciones", "Transacciones"), ("statements", "estados-de-cuenta", "Estados de cuenta") })
        {
            Assert.Equal(name, cut.Find($"[data-testid=nav-{id}]").TextContent.Trim());
            Assert.EndsWith(page, cut.Find($"a[data-testid=nav-{id}]").GetAttribute("href"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NavMenu_NobodySignedIn_ShowsNeitherMembersNorAdmin()
    {
        var cut = Render<NavMenu>();

        Assert.Empty(cut.FindAll("[data-testid=nav-members]"));
        Assert.Empty(cut.FindAll("[data-testid=nav-admin]"));
    }

    [Fact]
    public void NavMenu_SignedInMember_ShowsMembersButNotAdmin()
    {
        SignIn(new PortalUser { Id = 7, Issuer = "https://issuer.example/", Subject = "s", Email = "ana@example.pe" });

        var cut = Render<NavMenu>();

        Assert.EndsWith("miembros", cut.Find("a[data-testid=nav-members]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=nav-admin]"));
    }

    [Fact]
    public void NavMenu_PlatformAdmin_ShowsTheAdminArea()
    {
        SignIn(new PortalUser { Id = 8, Issuer = "https://issuer.example/", Subject = "a", Email = "admin@example.pe" }, platformAdmin: true);

        var cut = Render<NavMenu>();

        Assert.Contains("Administración", cut.Find("[data-testid=nav-admin]").TextContent, StringComparison.Ordinal);
        Assert.EndsWith("admin", cut.Find("a[data-testid=nav-admin-audit]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.EndsWith("admin/organizadores", cut.Find("a[data-testid=nav-admin-organizers]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void NavMenu_English_TranslatesSections()
    {
        UseCulture("en-US");

        var cut = Render<NavMenu>();

        Assert.Equal("Summary", cut.Find("[data-testid=nav-summary]").TextContent.Trim());
        Assert.Equal("Statements", cut.Find("[data-testid=nav-statements]").TextContent.Trim());
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

        await cut.InvokeAsync(() => cut.Find(".mud-menu-activator .mud-button-root").Click());
        var choice = popovers.WaitForElement($"[data-testid={item}]");
        await popovers.InvokeAsync(() => choice.Click());

        var back = Uri.EscapeDataString("~/resumen?org=1&desde=2026-03-01&hasta=2026-03-31");
        Assert.Equal($"http://localhost/culture?culture={culture}&redirectUri={back}", navigation.Uri);
    }
}
