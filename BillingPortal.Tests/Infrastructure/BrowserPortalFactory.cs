using BillingPortal.Tests.Integration.Auth;
using Microsoft.AspNetCore.Hosting;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// <see cref="SignedInPortalFactory"/> (the portal plus the sandbox OpenID Connect provider on its own port) that also
/// serves the static web assets a browser needs: <c>blazor.web.js</c>, MudBlazor's CSS and JS, the scoped CSS bundle.
/// Outside Development, ASP.NET Core reads them only from a published wwwroot, which a test run does not have; this
/// points it at the build's static web assets manifest instead. Browser tests use this factory
/// (<c>IClassFixture&lt;BrowserPortalFactory&gt;</c>); without it the page never becomes interactive.
/// </summary>
public class BrowserPortalFactory : SignedInPortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseStaticWebAssets();
    }
}
