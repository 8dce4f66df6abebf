using System.Net;
using System.Security.Cryptography;
using System.Text;
using BillingPortal.Core.MercadoPago;
using OpenTelemetry.Metrics;

namespace BillingPortal.Observability;

/// <summary>
/// Section <c>Metrics</c>: the Prometheus scrape endpoint <c>/metrics</c> (OpenTelemetry). Without a sign-in it answers
/// only requests from this machine (loopback, not relayed by a proxy) or carrying <c>Authorization: Bearer {ScrapeToken}</c>.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Export metrics at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A secret the scraper sends as a bearer token (environment <c>Metrics__ScrapeToken</c> or user-secrets, never
    /// appsettings); empty: only loopback may scrape.
    /// </summary>
    public string? ScrapeToken { get; set; }
}

/// <summary>Why a scrape was let in or not.</summary>
public enum MetricsAccess
{
    /// <summary>From loopback, not relayed by a proxy.</summary>
    Loopback,

    /// <summary>The configured bearer token.</summary>
    Token,

    /// <summary>A token is configured and the request has none or another one (401).</summary>
    BadToken,

    /// <summary>Not from loopback and no token configured (403).</summary>
    NotLocal,
}

/// <summary>
/// OpenTelemetry metrics for the host (issue #5 §6): the Mercado Pago instruments (<see cref="MercadoPagoMetrics.MeterName"/>)
/// plus the meters .NET itself publishes (ASP.NET Core hosting and Kestrel, HttpClient, the runtime), exported in the
/// Prometheus text format at <see cref="Path"/>.
/// </summary>
public static class PortalMetrics
{
    public const string Path = "/metrics";

    /// <summary>The meters .NET publishes without extra packages (.NET 8+: ASP.NET Core and HttpClient; .NET 9+: the runtime).</summary>
    public static IReadOnlyList<string> BuiltInMeters { get; } =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
    ];

    /// <summary>Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever its socket address says.</summary>
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    public static WebApplicationBuilder AddPortalMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        if (!options.Enabled) return builder;

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MercadoPagoMetrics.MeterName)
            .AddMeter([.. BuiltInMeters])
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Maps <see cref="Path"/> (anonymous, guarded by <see cref="Check(HttpContext, string?)"/>) when metrics are enabled.</summary>
    public static WebApplication MapPortalMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<MeterProvider>() is null) return app;
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(GuardAsync), optionsName: null)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The scrape policy: the configured bearer token (compared in constant time) always works; without it, only a
    /// request from loopback that no proxy relayed.
    /// </summary>
    public static MetricsAccess Check(IPAddress? remoteAddress, bool relayedByProxy, string? authorization, string? scrapeToken)
    {
        var tokenConfigured = !string.IsNullOrEmpty(scrapeToken);
        if (tokenConfigured && BearerMatches(authorization, scrapeToken!)) return MetricsAccess.Token;
        if (remoteAddress is { IsIPv4MappedToIPv6: true }) remoteAddress = remoteAddress.MapToIPv4();
        if (remoteAddress is not null && IPAddress.IsLoopback(remoteAddress) && !relayedByProxy) return MetricsAccess.Loopback;
        return tokenConfigured ? MetricsAccess.BadToken : MetricsAccess.NotLocal;
    }

    /// <summary><see cref="Check(IPAddress?, bool, string?, string?)"/> for a request.</summary>
    public static MetricsAccess Check(HttpContext context, string? scrapeToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var relayed = ProxyHeaders.Any(h => context.Request.Headers.ContainsKey(h));
        return Check(context.Connection.RemoteIpAddress, relayed, context.Request.Headers.Authorization.ToString(), scrapeToken);
    }

    private static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var token = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<MetricsOptions>>().CurrentValue.ScrapeToken;
        switch (Check(context, token))
        {
            case MetricsAccess.Loopback:
            case MetricsAccess.Token:
                await next(context);
                return;
            case MetricsAccess.BadToken:
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Metrics need the scrape token.\n", context.RequestAborted);
                return;
            case MetricsAccess.NotLocal:
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Metrics are served to this machine only (configure Metrics:ScrapeToken to scrape from elsewhere).\n", context.RequestAborted);
                return;
        }
    }

    private static bool BearerMatches(string? authorization, string token)
    {
        const string scheme = "Bearer ";
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        var expected = Encoding.UTF8.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), SHA256.HashData(expected));
    }
}
