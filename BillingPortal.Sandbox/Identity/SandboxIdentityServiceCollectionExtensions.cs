using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// The sandbox OpenID Connect provider (OpenIddict): authorization code + PKCE, refresh tokens, userinfo and
/// end-session, under <see cref="SandboxIdentityOptions.PathPrefix"/> of whatever host maps it. For the demo and the
/// tests only: production signs in through a real provider.
/// </summary>
public static class SandboxIdentityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider: options from <c>Sandbox:Identity</c>, its in-memory store, OpenIddict's server with
    /// ephemeral keys, and its own sign-in cookie scheme. It sets no default authentication scheme.
    /// </summary>
    public static IServiceCollection AddSandboxIdentityProvider(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Options
        services.AddOptions<SandboxIdentityOptions>()
            .Bind(configuration.GetSection(SandboxIdentityOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SandboxIdentityOptions>, SandboxIdentityOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxIdentityOptions>, SandboxIdentityOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Logging: OpenIddict logs whole requests and responses at Information (tokens redacted, but userinfo e-mails
        // are not). This filter covers Microsoft.Extensions.Logging hosts; a Serilog host needs the same override
        // ("OpenIddict": "Warning") in its own configuration, as Serilog does not apply these filters.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("OpenIddict", LogLevel.Warning));

        // Store
        services.TryAddSingleton<SandboxIdentityDatabase>();
        services.AddDbContext<SandboxIdentityDbContext>((provider, db) => db
            .UseSqlite(provider.GetRequiredService<SandboxIdentityDatabase>().ConnectionString)
            .UseOpenIddict());

        // The provider's own session: a cookie scheme of its own name, never a default scheme
        services.AddAntiforgery();
        services.AddAuthentication().AddCookie(SandboxIdentityDefaults.CookieScheme);
        services.AddOptions<CookieAuthenticationOptions>(SandboxIdentityDefaults.CookieScheme)
            .Configure<IOptions<SandboxIdentityOptions>>((cookie, sandbox) =>
            {
                cookie.Cookie.Name = ".BillingPortal.SandboxIdentity";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = sandbox.Value.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = sandbox.Value.PathPrefix + "/" + SandboxIdentityDefaults.LoginPath;
            });

        // OpenIddict
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<SandboxIdentityDbContext>())
            .AddServer(server =>
            {
                // Relative to the issuer ({host}{PathBase}{PathPrefix}/, see SandboxIdentityBaseUriHandler); discovery
                // (.well-known/openid-configuration) and JWKS (.well-known/jwks) keep OpenIddict's defaults.
                server.SetAuthorizationEndpointUris(SandboxIdentityDefaults.AuthorizationPath)
                    .SetTokenEndpointUris(SandboxIdentityDefaults.TokenPath)
                    .SetUserInfoEndpointUris(SandboxIdentityDefaults.UserInfoPath)
                    .SetEndSessionEndpointUris(SandboxIdentityDefaults.EndSessionPath);

                server.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .RequireProofKeyForCodeExchange();
                server.Configure(o =>
                {
                    // PKCE with S256 only: "plain" would let a stolen authorization request be replayed.
                    o.CodeChallengeMethods.Clear();
                    o.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                });

                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.Email, Claims.EmailVerified, Claims.Role);

                // Sandbox keys, in memory only (see SandboxIdentityKeys). Access tokens are signed but not encrypted,
                // so the portal (or a test) can read them.
                server.AddSigningKey(SandboxIdentityKeys.SigningKey)
                    .AddEncryptionKey(SandboxIdentityKeys.EncryptionKey)
                    .DisableAccessTokenEncryption();

                server.AddEventHandler(SandboxIdentityBaseUriHandler.Descriptor);
                server.AddEventHandler(SandboxIdentityUserInfoHandler.Descriptor);

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableErrorPassthrough()
                    // The demo and the tests run on plain HTTP (loopback, or behind a proxy that ends TLS).
                    .DisableTransportSecurityRequirement();
            });

        // Start-up: create the store, then register the client once the server listens
        services.AddHostedService<SandboxIdentityInitializer>();
        return services;
    }

    /// <summary>
    /// Maps the provider's pages and passthrough endpoints under <see cref="SandboxIdentityOptions.PathPrefix"/>
    /// (anonymous, hidden from API descriptions). The token, userinfo, discovery and JWKS endpoints are answered by
    /// OpenIddict inside the authentication middleware, so <c>UseAuthentication()</c> must run before these endpoints.
    /// </summary>
    public static RouteGroupBuilder MapSandboxIdentityProvider(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SandboxIdentityOptions>>().Value;
        var group = endpoints.MapGroup(options.PathPrefix)
            .AllowAnonymous()
            .ExcludeFromDescription();

        string[] getOrPost = [HttpMethods.Get, HttpMethods.Post];
        group.MapMethods("/" + SandboxIdentityDefaults.AuthorizationPath, getOrPost, SandboxIdentityEndpoints.AuthorizeAsync);
        group.MapGet("/" + SandboxIdentityDefaults.LoginPath, SandboxIdentityEndpoints.LoginPage);
        group.MapPost("/" + SandboxIdentityDefaults.LoginPath, SandboxIdentityEndpoints.LoginAsync);
        group.MapMethods("/" + SandboxIdentityDefaults.EndSessionPath, getOrPost, SandboxIdentityEndpoints.EndSessionAsync);
        group.MapGet("/" + SandboxIdentityDefaults.SignedOutPath, SandboxIdentityEndpoints.SignedOut);
        return group;
    }
}
