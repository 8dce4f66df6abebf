using System.Net;
using BillingPortal.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>A signed-in portal whose clock the test moves (the session cookie's expiry follows it).</summary>
public sealed class ClockedPortalFactory : SignedInPortalFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
    }
}

/// <summary>The session: 8 hours without a request ends it (sliding), and the user is told so in Spanish.</summary>
public sealed class SessionTests(ClockedPortalFactory portal) : IClassFixture<ClockedPortalFactory>
{
    private async Task<(PortalBrowser Browser, int OrganizerId)> SignInAsync(string email)
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Viewer);
        return (await portal.SignInWithEmailAsync(email), organizer.Id);
    }

    [Fact]
    public async Task Session_IdleLongerThanItsLifetime_SendsThePageToTheExpiredSessionPage()
    {
        var (browser, organizerId) = await SignInAsync("inactiva@example.pe");
        using (browser)
        {
            portal.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

            using var page = await browser.GetAsync($"/resumen?org={organizerId}");

            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal($"/sesion-expirada?returnUrl={Uri.EscapeDataString($"/resumen?org={organizerId}")}", page.Headers.Location!.OriginalString);
            var (status, body) = await browser.GetPageAsync(page.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("Tu sesión expiró", body, StringComparison.Ordinal);
            Assert.Contains($"/cuenta/ingresar?returnUrl={Uri.EscapeDataString($"/resumen?org={organizerId}")}", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Session_UsedWithinItsLifetime_SlidesForward()
    {
        var (browser, organizerId) = await SignInAsync("activa@example.pe");
        using (browser)
        {
            portal.Clock.Advance(TimeSpan.FromHours(5));
            using var renewed = await browser.GetAsync($"/resumen?org={organizerId}");
            Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
            Assert.Contains(renewed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bp.session=", StringComparison.Ordinal) && !c.Contains("1970", StringComparison.Ordinal));

            portal.Clock.Advance(TimeSpan.FromHours(5));
            using var later = await browser.GetAsync($"/resumen?org={organizerId}");

            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }
    }
}
