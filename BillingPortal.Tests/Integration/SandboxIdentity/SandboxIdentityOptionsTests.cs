using System.Net;
using BillingPortal.Sandbox.Identity;
using BillingPortal.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.SandboxIdentity;

public sealed class SandboxIdentityOptionsTests
{
    private const string Section = SandboxIdentityOptions.SectionName;

    private readonly CancellationToken _cancellationToken = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_InvalidPortalBaseUrl_FailsNamingTheKey()
    {
        var settings = new Dictionary<string, string?> { [$"{Section}:Client:PortalBaseUrls:1"] = "portal sin esquema" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SandboxIdentityHost.StartAsync(settings, _cancellationToken));

        Assert.Contains("Sandbox:Identity:Client:PortalBaseUrls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidPathPrefix_Fails()
    {
        var settings = new Dictionary<string, string?> { [$"{Section}:PathPrefix"] = "sandbox/oidc/" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SandboxIdentityHost.StartAsync(settings, _cancellationToken));

        Assert.Contains("PathPrefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ConfiguredAccountsSecretAndPrefix_ReplaceTheDefaults()
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{Section}:PathPrefix"] = "/idp",
            [$"{Section}:AllowAnyEmail"] = "false",
            [$"{Section}:Client:ClientId"] = "portal-pruebas",
            [$"{Section}:Client:ClientSecret"] = "secreto-de-prueba-configurado",
            [$"{Section}:Accounts:0:Subject"] = "auditor-1",
            [$"{Section}:Accounts:0:Email"] = "auditora@billingportal.pe",
            [$"{Section}:Accounts:0:Name"] = "Auditora",
            [$"{Section}:Accounts:0:Roles:0"] = "auditor",
            [$"{Section}:Accounts:0:Roles:1"] = "platform-admin",
        };
        await using var host = await SandboxIdentityHost.StartAsync(settings, _cancellationToken);
        using var browser = host.CreateBrowser();
        var request = new AuthorizationRequest(host);

        using var authorize = await browser.GetAsync(request.Uri, _cancellationToken);
        var loginUri = new Uri(host.BaseAddress, authorize.Headers.Location!);
        var html = await browser.GetStringAsync(loginUri, _cancellationToken);
        var form = SandboxIdentityFlow.ReadLoginForm(new Uri(host.BaseAddress, loginUri.AbsolutePath), html);
        using var anyEmail = await browser.PostAsync(form.Action, form.Content(("email", "otra@correo.example")), _cancellationToken);
        var code = SandboxIdentityFlow.ReadCode(await SandboxIdentityFlow.SignInAsync(browser, request, _cancellationToken, ("account", "auditor-1")), request);
        using var tokenResponse = await SandboxIdentityFlow.RedeemCodeAsync(host, request, code, _cancellationToken);

        Assert.Equal("http://" + authorize.RequestMessage!.RequestUri!.Authority + "/idp/", host.Issuer.AbsoluteUri);
        Assert.Equal("/idp/account/login", loginUri.AbsolutePath);
        Assert.Contains("auditora@billingportal.pe", html, StringComparison.Ordinal);
        Assert.DoesNotContain("admin@billingportal.pe", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"email\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, anyEmail.StatusCode);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var tokens = await SandboxIdentityFlow.ReadJsonAsync(tokenResponse, _cancellationToken);
        var idToken = SandboxIdentityFlow.ReadJwtPayload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("portal-pruebas", idToken.GetProperty("aud").GetString());
        Assert.Equal(["auditor", "platform-admin"], idToken.GetProperty("role").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task SignIn_ConcurrentBrowsers_AllGetTheirOwnTokens()
    {
        await using var host = await SandboxIdentityHost.StartAsync(cancellationToken: _cancellationToken);
        var subjects = SandboxIdentityDefaults.DemoAccounts.Select(a => a.Subject).ToArray();

        var issued = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var browser = host.CreateBrowser();
            var request = new AuthorizationRequest(host);
            var subject = subjects[i % subjects.Length];
            var code = SandboxIdentityFlow.ReadCode(await SandboxIdentityFlow.SignInAsAccountAsync(browser, request, subject, _cancellationToken), request);
            using var response = await SandboxIdentityFlow.RedeemCodeAsync(host, request, code, _cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var tokens = await SandboxIdentityFlow.ReadJsonAsync(response, _cancellationToken);
            return (Expected: subject, Actual: SandboxIdentityFlow.ReadJwtPayload(tokens.GetProperty("id_token").GetString()!).GetProperty("sub").GetString());
        }));

        Assert.All(issued, pair => Assert.Equal(pair.Expected, pair.Actual));
    }
}
