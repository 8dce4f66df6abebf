using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using BillingPortal.Sandbox.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.SandboxIdentity;

/// <summary>
/// The provider hosted in-process beside a portal-like app that signs in with the real ASP.NET Core OpenID Connect
/// handler (code + PKCE, form_post), configured the way the portal is meant to be: proof that the two sets of schemes
/// coexist and that the handler accepts what the sandbox issues.
/// </summary>
public sealed partial class SandboxIdentityInProcessTests : IAsyncLifetime
{
    private readonly CancellationToken _cancellationToken = TestContext.Current.CancellationToken;
    private WebApplication? _app;
    private Uri? _baseAddress;

    private Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());

        // The provider, with no client URLs configured: it registers the server's own addresses.
        builder.Services.AddSandboxIdentityProvider(builder.Configuration);

        // The portal's side.
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.ResponseType = "code";
                o.UsePkce = true;
                o.RequireHttpsMetadata = false;
                o.MapInboundClaims = false;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.Scope.Clear();
                foreach (var scope in SandboxIdentityDefaults.Scopes)
                {
                    o.Scope.Add(scope);
                }

                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = "role";
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<SandboxIdentityOptions>, IServer>((oidc, sandbox, server) =>
            {
                oidc.Authority = SandboxIdentityAddresses.InProcessIssuer(sandbox.Value, server).AbsoluteUri;
                oidc.ClientId = sandbox.Value.Client.ClientId;
                oidc.ClientSecret = sandbox.Value.Client.ClientSecret;
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSandboxIdentityProvider();
        app.MapGet("/protected", (ClaimsPrincipal user) => Results.Json(new
        {
            sub = user.FindFirstValue("sub"),
            name = user.Identity?.Name,
            email = user.FindFirstValue("email"),
            isPlatformAdmin = user.IsInRole(SandboxIdentityDefaults.PlatformAdminRole),
        })).RequireAuthorization();
        app.MapGet("/logout", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/bye" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/bye", () => "bye");
        await app.StartAsync(_cancellationToken);

        _app = app;
        _baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task AuthenticationSchemes_WithPortalDefaults_KeepThePortalDefaults()
    {
        var schemes = _app!.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.Equal(CookieAuthenticationDefaults.AuthenticationScheme, (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
        Assert.Equal(OpenIdConnectDefaults.AuthenticationScheme, (await schemes.GetDefaultChallengeSchemeAsync())?.Name);
        Assert.Equal(CookieAuthenticationDefaults.AuthenticationScheme, (await schemes.GetDefaultSignInSchemeAsync())?.Name);
    }

    [Fact]
    public async Task OpenIdConnectHandler_SignInAndOut_RoundTripsThroughTheSandbox()
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = BaseAddress,
        };

        var (loginUri, loginPage) = await FollowAsync(browser, new Uri(BaseAddress, "protected"));
        Assert.Equal("/sandbox/oidc/account/login", loginUri.AbsolutePath);
        var form = SandboxIdentityFlow.ReadLoginForm(new Uri(BaseAddress, loginUri.AbsolutePath), loginPage);
        using var login = await browser.PostAsync(form.Action, form.Content(("account", "demo-admin")), _cancellationToken);
        var (_, formPost) = await FollowAsync(browser, new Uri(BaseAddress, login.Headers.Location!));
        var (callback, fields) = ReadFormPost(formPost);
        Assert.Equal(new Uri(BaseAddress, "signin-oidc"), callback);
        using var signedIn = await browser.PostAsync(callback, new FormUrlEncodedContent(fields), _cancellationToken);
        var (protectedUri, json) = await FollowAsync(browser, new Uri(BaseAddress, signedIn.Headers.Location!));

        Assert.Equal("/protected", protectedUri.AbsolutePath);
        using (var document = JsonDocument.Parse(json))
        {
            var user = document.RootElement;
            Assert.Equal("demo-admin", user.GetProperty("sub").GetString());
            Assert.Equal("Ana Administradora", user.GetProperty("name").GetString());
            Assert.Equal("admin@billingportal.pe", user.GetProperty("email").GetString());
            Assert.True(user.GetProperty("isPlatformAdmin").GetBoolean());
        }

        var (afterLogout, bye) = await FollowAsync(browser, new Uri(BaseAddress, "logout"));
        var (again, _) = await FollowAsync(browser, new Uri(BaseAddress, "protected"));

        Assert.Equal("/bye", afterLogout.AbsolutePath);
        Assert.Equal("bye", bye);
        Assert.Equal("/sandbox/oidc/account/login", again.AbsolutePath);
    }

    /// <summary>Follows GET redirects (at most 10) and returns the last URI and its body.</summary>
    private async Task<(Uri Uri, string Body)> FollowAsync(HttpClient browser, Uri uri)
    {
        for (var hop = 0; hop < 10; hop++)
        {
            using var response = await browser.GetAsync(uri, _cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
            {
                Assert.True(response.IsSuccessStatusCode, $"{uri} answered {(int)response.StatusCode}");
                return (uri, await response.Content.ReadAsStringAsync(_cancellationToken));
            }

            uri = new Uri(uri, response.Headers.Location!);
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    /// <summary>The auto-submitting form of response_mode=form_post, read as a browser would submit it.</summary>
    private static (Uri Action, List<KeyValuePair<string, string>> Fields) ReadFormPost(string html)
    {
        var action = FormAction().Match(html);
        Assert.True(action.Success, "the authorization response is a form_post page");
        var fields = HiddenInput().Matches(html)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .ToList();
        return (new Uri(WebUtility.HtmlDecode(action.Groups["action"].Value)), fields);
    }

    [GeneratedRegex("""<form[^>]*action="(?<action>[^"]+)"[^>]*>""")]
    private static partial Regex FormAction();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInput();
}
