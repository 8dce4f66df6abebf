using System.Net;
using BillingPortal.Sandbox.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// The sandbox OpenID Connect provider alone, on a real Kestrel server at 127.0.0.1 on a free port, hosted exactly as
/// the portal hosts it (<c>AddSandboxIdentityProvider</c>, <c>UseAuthentication</c>, <c>MapSandboxIdentityProvider</c>).
/// The client registered is the portal at <see cref="PortalBaseUrl"/>, which never has to exist: tests stop at the
/// redirect and read its Location.
/// </summary>
public sealed class SandboxIdentityHost : IAsyncDisposable
{
    /// <summary>The (fictitious) portal registered as the client: redirect URIs are under it.</summary>
    public const string PortalBaseUrl = "https://portal.example";

    private readonly WebApplication _app;

    private SandboxIdentityHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = app.Services.GetRequiredService<IOptions<SandboxIdentityOptions>>().Value;
        Issuer = new Uri(baseAddress, Options.PathPrefix.TrimStart('/') + "/");
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The issuer, <c>{BaseAddress}sandbox/oidc/</c>.</summary>
    public Uri Issuer { get; }

    /// <summary>The provider's resolved options (the generated client secret included).</summary>
    public SandboxIdentityOptions Options { get; }

    public string ClientId => Options.Client.ClientId;

    public string ClientSecret => Options.Client.ClientSecret!;

    public Uri RedirectUri => new(PortalBaseUrl + Options.Client.CallbackPath);

    public Uri PostLogoutRedirectUri => new(PortalBaseUrl + Options.Client.SignedOutCallbackPath);

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a provider; <paramref name="settings"/> are extra configuration keys (e.g. <c>Sandbox:Identity:AllowAnyEmail</c>).</summary>
    public static async Task<SandboxIdentityHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SandboxIdentityOptions.SectionName}:Client:PortalBaseUrls:0"] = PortalBaseUrl,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddSandboxIdentityProvider(builder.Configuration);

        var app = builder.Build();
        app.UseAuthentication();
        app.MapSandboxIdentityProvider();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SandboxIdentityHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client that keeps cookies (the provider session, antiforgery) and never follows redirects.</summary>
    public HttpClient CreateBrowser() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = BaseAddress,
        };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
