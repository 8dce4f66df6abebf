using BillingPortal.Components.Layout;
using BillingPortal.Components.Pages.MercadoPago.Components;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.MercadoPago;

/// <summary>The layout's banner (owners, a link that needs them) and the menu's «Mercado Pago» entry.</summary>
public sealed class MercadoPagoLinkBannerTests : MudTestContext
{
    private Organizer _organizer = null!;

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task SeedAsync(OrganizerRole role, MercadoPagoLinkStatus? status)
    {
        _organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer);
        var (user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, role, "yo@example.pe", Ct);
        SignIn(user);
        if (status is not { } value) return;
        await using var db = Database.CreateContext();
        db.MercadoPagoLinks.Add(new MercadoPagoLink
        {
            OrganizerId = _organizer.Id,
            Status = value,
            MercadoPagoUserId = 555000111,
            LinkedAt = Now.AddDays(-10),
            StatusChangedAt = Now.AddDays(-1),
        });
        await db.SaveChangesAsync(Ct);
    }

    private IRenderedComponent<MercadoPagoLinkBanner> RenderOn(string page)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"{page}?org={_organizer.Id}");
        return Render<MercadoPagoLinkBanner>();
    }

    [Theory]
    [InlineData(MercadoPagoLinkStatus.RequiresReauthorization, "requiere reautorización", "mud-alert-text-warning")]
    [InlineData(MercadoPagoLinkStatus.Revoked, "se revocó desde Mercado Pago", "mud-alert-text-error")]
    public async Task Banner_OwnerWhoseLinkNeedsThem_ShowsItWithALinkToTheConnectionPage(MercadoPagoLinkStatus status, string text, string alertClass)
    {
        await SeedAsync(OrganizerRole.Owner, status);

        var cut = RenderOn("resumen");

        var banner = cut.WaitForElement("[data-testid=mercadopago-banner]");
        Assert.Contains(text, banner.TextContent, StringComparison.Ordinal);
        Assert.Contains(_organizer.LegalName, banner.TextContent, StringComparison.Ordinal);
        Assert.Contains(alertClass, banner.ClassName, StringComparison.Ordinal);
        Assert.Equal(status.ToString(), banner.GetAttribute("data-status"));
        Assert.EndsWith($"mercadopago?org={_organizer.Id}", cut.Find("[data-testid=mercadopago-banner-link]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OrganizerRole.Viewer, MercadoPagoLinkStatus.Revoked)]
    [InlineData(OrganizerRole.Owner, MercadoPagoLinkStatus.Active)]
    [InlineData(OrganizerRole.Owner, MercadoPagoLinkStatus.Disconnected)]
    [InlineData(OrganizerRole.Owner, null)]
    public async Task Banner_NothingForTheOwnerToDo_ShowsNothing(OrganizerRole role, MercadoPagoLinkStatus? status)
    {
        await SeedAsync(role, status);

        var cut = RenderOn("resumen");

        cut.WaitForState(() => cut.Instance is not null);
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-banner]"));
    }

    [Fact]
    public async Task Banner_OnTheConnectionPageItself_IsNotRepeated()
    {
        await SeedAsync(OrganizerRole.Owner, MercadoPagoLinkStatus.Revoked);

        var cut = RenderOn("mercadopago");

        Assert.Empty(cut.FindAll("[data-testid=mercadopago-banner]"));
        Services.GetRequiredService<NavigationManager>().NavigateTo($"resumen?org={_organizer.Id}");
        cut.Render();
        cut.WaitForElement("[data-testid=mercadopago-banner]");
    }

    [Fact]
    public async Task NavMenu_SignedIn_LinksToTheConnectionPageOfTheCurrentOrganizer()
    {
        await SeedAsync(OrganizerRole.Viewer, null);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"resumen?org={_organizer.Id}");
        await Services.GetRequiredService<BillingPortal.Security.TenantAccessor>().ResolveAsync(_organizer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);

        var cut = Render<NavMenu>();

        var item = cut.Find("a[data-testid=nav-mercadopago]");
        Assert.Equal("Mercado Pago", item.TextContent.Trim());
        Assert.EndsWith($"mercadopago?org={_organizer.Id}", item.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Null(item.GetAttribute("aria-disabled"));
    }
}
