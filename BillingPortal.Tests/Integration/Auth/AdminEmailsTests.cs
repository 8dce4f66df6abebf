using System.Net;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>A portal that names its platform admins by email (Authentication:Oidc:AdminEmails) besides the role claim.</summary>
public sealed class AdminEmailsPortalFactory : SignedInPortalFactory
{
    public const string AdminEmail = "Jefa.Plataforma@Example.pe";

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings!["Authentication:Oidc:AdminEmails:0"] = AdminEmail;
    }
}

public sealed class AdminEmailsTests(AdminEmailsPortalFactory portal) : IClassFixture<AdminEmailsPortalFactory>
{
    [Fact]
    public async Task AdminArea_ConfiguredAdminEmail_IsAPlatformAdminWithoutTheRoleClaim()
    {
        using var browser = await portal.SignInWithEmailAsync("jefa.plataforma@example.pe");

        var (status, body) = await browser.GetPageAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Registro de auditoría", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminArea_AnotherEmail_Is403()
    {
        using var browser = await portal.SignInWithEmailAsync("jefa.plataforma@example.com");

        var (status, _) = await browser.GetPageAsync("/admin");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task AdminArea_TheProvidersAdminRole_StillWorks()
    {
        using var browser = await portal.SignInAsAccountAsync("demo-admin");

        var (status, _) = await browser.GetPageAsync("/admin/organizadores");

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
