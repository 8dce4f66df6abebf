using System.Globalization;
using System.Text.RegularExpressions;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Security;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Browser.MercadoPago;

/// <summary>
/// The demo as an organizer lives it (demo mode: seeded data, the Mercado Pago emulator in-process): the demo owner of
/// the first organizer links its Mercado Pago account in Chromium, through the emulator's consent page, sees it
/// connected, then disconnects it.
/// </summary>
public sealed class MercadoPagoLinkingBrowserTests(BrowserFixture browser, DemoBrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<DemoBrowserPortalFactory>
{
    [Fact]
    public async Task DemoOwner_LinksTheSandboxAccountInTheBrowser_ThenDisconnectsIt()
    {
        int organizerId;
        long sellerId;
        await using (var db = portal.CreateDbContext())
        {
            var first = await db.Organizers.AsNoTracking().OrderBy(o => o.Id).Select(o => new { o.Id, o.MercadoPagoUserId }).FirstAsync(CancellationToken);
            (organizerId, sellerId) = (first.Id, first.MercadoPagoUserId!.Value);
        }

        var owner = new BrowserUser(DemoMemberships.Accounts[0].Email, organizerId, OrganizerRole.Owner);
        var page = await SignedInPageAsync(portal, owner, $"mercadopago?org={organizerId.ToString(CultureInfo.InvariantCulture)}");
        await Expect(page.GetByTestId("mercadopago-status")).ToHaveTextAsync("Sin conectar");
        await Expect(page.GetByTestId("nav-mercadopago")).ToBeVisibleAsync();

        await page.GetByTestId("mercadopago-connect").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(new Uri(portal.ServerAddress, "sandbox/mercadopago/authorization").AbsoluteUri)));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("quiere conectarse con tu cuenta de Mercado Pago");
        await page.GetByTestId("mp-consent-seller").SelectOptionAsync(sellerId.ToString(CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, "consent");
        await page.GetByTestId("mp-consent-allow").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/mercadopago\\?org={organizerId}&resultado=conectado$"));
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("mercadopago-outcome")).ToContainTextAsync("quedó conectada");
        await Expect(page.GetByTestId("mercadopago-status")).ToHaveTextAsync("Conectado");
        await Expect(page.GetByTestId("mercadopago-account-id")).ToHaveTextAsync(sellerId.ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("mercadopago-linked-by")).ToHaveTextAsync(new Regex("Carmen Flores|carmen\\.flores@"));
        var link = await LinkAsync(organizerId);
        Assert.Equal(MercadoPagoLinkStatus.Active, link.Status);
        await Expect(page.GetByTestId("mercadopago-account-nickname")).ToHaveTextAsync(link.AccountNickname!);
        await ScreenshotAsync(page, "connected");

        await page.GetByTestId("mercadopago-disconnect").ClickAsync();
        await Expect(page.GetByTestId("mercadopago-disconnect-confirmation")).ToContainTextAsync("¿Desconectar la cuenta");
        await page.GetByTestId("mercadopago-disconnect-confirm").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/mercadopago\\?org={organizerId}&resultado=desconectado$"));
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("mercadopago-status")).ToHaveTextAsync("Desconectado");
        await Expect(page.GetByTestId("mercadopago-outcome")).ToContainTextAsync("se desconectó");
        await Expect(page.GetByTestId("mercadopago-connect")).ToBeVisibleAsync();
        var after = await LinkAsync(organizerId);
        Assert.Equal(MercadoPagoLinkStatus.Disconnected, after.Status);
        Assert.Null(after.AccessTokenCiphertext);
        Assert.Null(after.RefreshTokenCiphertext);
    }

    private async Task<MercadoPagoLink> LinkAsync(int organizerId)
    {
        await using var db = portal.CreateDbContext();
        return await db.MercadoPagoLinks.AsNoTracking().SingleAsync(l => l.OrganizerId == organizerId, CancellationToken);
    }
}

/// <summary>
/// <see cref="BrowserPortalFactory"/> in demo mode: a small seeded data set (whose first organizer has its Mercado Pago
/// seller among the emulator's accounts), the demo invitations, and the Mercado Pago emulator in-process (demo mode and no
/// client id). Sign-in still goes through the sandbox OpenID Connect provider on its own port.
/// </summary>
public sealed class DemoBrowserPortalFactory : BrowserPortalFactory
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["Demo:Enabled"] = "true";
        settings["Demo:Scale"] = "300";
    }
}
