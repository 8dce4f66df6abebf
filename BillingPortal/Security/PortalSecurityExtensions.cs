using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace BillingPortal.Security;

/// <summary>
/// Sign-in (OpenID Connect, authorization code + PKCE), the session cookie, authorization policies, tenancy for pages and
/// the security headers. <see cref="AddPortalSecurity"/> registers; <see cref="UsePortalSecurityHeaders"/> and
/// <see cref="UsePortalAuthentication"/> take their places in the pipeline.
/// </summary>
public static class PortalSecurityExtensions
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    public static WebApplicationBuilder AddPortalSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = LoadOptions(builder.Configuration);
        var demo = builder.Configuration.GetValue<bool>("Demo:Enabled");
        var useSandbox = options.Oidc.UseSandbox ?? (string.IsNullOrWhiteSpace(options.Oidc.Authority) && (builder.Environment.IsDevelopment() || demo));
        var mode = new PortalSignInMode(
            Enabled: useSandbox || !string.IsNullOrWhiteSpace(options.Oidc.Authority),
            UsesSandbox: useSandbox,
            AuthorityOrigin: useSandbox ? null : Origin(options.Oidc.Authority));

        // Options
        services.AddSingleton(options);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(mode);

        // Session cookie; challenges go to /cuenta/ingresar, which hands over to the provider
        var cookies = new SessionCookieManager(options);
        services.AddSingleton(cookies);
        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieScheme;
            o.DefaultChallengeScheme = CookieScheme;
        });
        authentication.AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = options.CookieName;
            cookie.Cookie.Path = "/";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.IsEssential = true;
            cookie.CookieManager = cookies;
            cookie.ExpireTimeSpan = options.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = AccountPaths.SignIn;
            cookie.LogoutPath = AccountPaths.SignOut;
            cookie.AccessDeniedPath = AccountPaths.AccessDenied;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnRedirectToLogin = context => RedirectToLoginAsync(context, cookies);
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                // APIs get a 403 ProblemDetails, pages the Spanish access-denied page with status 403 (re-executed).
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        if (mode.Enabled)
        {
            authentication.AddOpenIdConnect(OidcScheme, _ => { });
            services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IServiceProvider>((oidc, provider) => ConfigureOidc(oidc, options, mode, provider));
        }

        if (useSandbox) InProcessSandbox.AddInProcessSandboxProvider(services, builder.Configuration);

        // Authorization
        PortalPolicies.Add(services.AddAuthorizationBuilder(), options);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();

        // Tenancy for pages
        services.AddScoped<PortalSessionAccessor>();
        services.AddScoped<TenantAccessor>();
        return builder;
    }

    /// <summary>HSTS and HTTPS redirection (outside Development and Testing) and the security headers, early in the pipeline.</summary>
    public static WebApplication UsePortalSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment() && !app.Environment.IsEnvironment("Testing"))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }

    /// <summary>Authentication and authorization (after routing, before antiforgery and the endpoints).</summary>
    public static WebApplication UsePortalAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var mode = app.Services.GetRequiredService<PortalSignInMode>();
        if (!mode.Enabled)
        {
            app.Logger.LogWarning("Sign-in is off: set Authentication:Oidc:Authority (or run in Development or demo mode for the sandbox provider)");
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static void ConfigureOidc(OpenIdConnectOptions oidc, PortalAuthenticationOptions options, PortalSignInMode mode, IServiceProvider provider)
    {
        var settings = options.Oidc;
        oidc.SignInScheme = CookieScheme;
        oidc.SignOutScheme = CookieScheme;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret;
        oidc.Authority = settings.Authority;
        oidc.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        if (mode.UsesSandbox) InProcessSandbox.ConfigureInProcessSandbox(oidc, provider);

        // Authorization code flow with PKCE; the code comes back in the query string (a top-level GET), so the
        // correlation and nonce cookies can be SameSite=Lax like the session.
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        foreach (var scope in mode.UsesSandbox ? settings.EffectiveScopes.Append("roles").Distinct(StringComparer.Ordinal) : settings.EffectiveScopes)
        {
            oidc.Scope.Add(scope);
        }

        oidc.CallbackPath = AccountPaths.CallbackPath;
        oidc.SignedOutCallbackPath = AccountPaths.SignedOutCallbackPath;
        oidc.SignedOutRedirectUri = AccountPaths.SignedOut;
        oidc.AccessDeniedPath = AccountPaths.AccessDenied;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

        // Claims as the provider names them; the portal keeps only its own few (see PortalPrincipal).
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.TokenValidationParameters.NameClaimType = PortalPrincipal.NameClaim;
        oidc.TokenValidationParameters.RoleClaimType = settings.RoleClaimType;
        oidc.SaveTokens = true;
        oidc.Events.OnTokenValidated = OidcSignInEvents.OnTokenValidatedAsync;
        oidc.Events.OnTicketReceived = OidcSignInEvents.OnTicketReceivedAsync;
        oidc.Events.OnRemoteFailure = OidcSignInEvents.OnRemoteFailureAsync;
    }

    /// <summary>
    /// Unauthenticated page requests go to the sign-in endpoint, or to the expired-session page when they still carry a
    /// session cookie that no longer works (expired or unreadable); APIs get a 401.
    /// </summary>
    private static Task RedirectToLoginAsync(RedirectContext<CookieAuthenticationOptions> context, SessionCookieManager cookies)
    {
        var http = context.HttpContext;
        if (RequestOrigin.IsApi(http))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        var returnUrl = RequestOrigin.ReturnUrl(http);
        var target = http.Request.Cookies.ContainsKey(cookies.NameFor(http))
            ? AccountPaths.SessionExpired + "?returnUrl=" + Uri.EscapeDataString(returnUrl)
            : AccountPaths.SignInLink(returnUrl);
        http.Response.Redirect(http.Request.PathBase + target);
        return Task.CompletedTask;
    }

    private static PortalAuthenticationOptions LoadOptions(ConfigurationManager configuration)
    {
        var options = configuration.GetSection(PortalAuthenticationOptions.SectionName).Get<PortalAuthenticationOptions>() ?? new PortalAuthenticationOptions();
        var failures = new List<string>();
        if (!options.CookieName.StartsWith("__Host-", StringComparison.Ordinal) && !options.CookieName.StartsWith("__Secure-", StringComparison.Ordinal))
            failures.Add("Authentication:CookieName must start with __Host- (or __Secure-): it is the cookie used over HTTPS.");
        if (options.InsecureCookieName.StartsWith("__", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(options.InsecureCookieName))
            failures.Add("Authentication:InsecureCookieName must not be empty nor start with __ (browsers drop __Host-/__Secure- cookies over plain HTTP).");
        if (options.SessionLifetime < TimeSpan.FromMinutes(5) || options.SessionLifetime > TimeSpan.FromDays(30))
            failures.Add("Authentication:SessionLifetime must be from 00:05:00 to 30.00:00:00.");
        if (!string.IsNullOrWhiteSpace(options.Oidc.Authority) && Origin(options.Oidc.Authority) is null)
            failures.Add("Authentication:Oidc:Authority must be an absolute http(s) URL.");
        if (string.IsNullOrWhiteSpace(options.Oidc.ClientId))
            failures.Add("Authentication:Oidc:ClientId must not be empty.");
        if (string.IsNullOrWhiteSpace(options.Oidc.RoleClaimType) || string.IsNullOrWhiteSpace(options.Oidc.AdminRole))
            failures.Add("Authentication:Oidc:RoleClaimType and AdminRole must not be empty.");
        if (failures.Count > 0) throw new OptionsValidationException(PortalAuthenticationOptions.SectionName, typeof(PortalAuthenticationOptions), failures);
        return options;
    }

    private static string? Origin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
