using BillingPortal.Components;
using BillingPortal.Core;
using BillingPortal.Core.Data;
using BillingPortal.Demo;
using BillingPortal.Endpoints;
using BillingPortal.Health;
using BillingPortal.Jobs;
using BillingPortal.Localization;
using BillingPortal.MercadoPago;
using BillingPortal.Observability;
using BillingPortal.Sandbox;
using BillingPortal.Security;
using Microsoft.AspNetCore.Diagnostics;
using MudBlazor.Services;
using Serilog;

namespace BillingPortal;

/// <summary>The host's composition: <see cref="AddBillingPortal"/> registers services, <see cref="UseBillingPortal"/> maps the pipeline.</summary>
public static class HostingExtensions
{
    /// <summary>Core services (data, ledger, ingestion, demo) and logging: what every command needs.</summary>
    public static WebApplicationBuilder AddBillingPortalCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext(),
            preserveStaticLogger: true);

        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddBillingPortalCore(builder.Configuration, database, builder.Environment.ContentRootPath);
        builder.Services.AddSandbox(builder.Configuration);
        return builder;
    }

    /// <summary>Everything the web host serves: Core plus UI, endpoints and health.</summary>
    public static WebApplicationBuilder AddBillingPortal(this WebApplicationBuilder builder)
    {
        builder.AddBillingPortalCore();

        // UI
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddPortalLocalization();

        // API
        builder.Services.AddProblemDetails();
        builder.Services.AddOrganizerApi();

        // Rate limits on statement generation and downloads (per user and per organizer) and on the API (per key and per organizer)
        builder.Services.AddPortalRateLimits(builder.Configuration);

        // Sign-in, session, authorization, tenancy for pages, security headers (BillingPortal/Security)
        builder.AddPortalSecurity();

        // Mercado Pago: linking endpoints, webhook receiver, the in-process sandbox when no real one is configured
        builder.AddPortalMercadoPago();

        // Health
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        // Metrics: OpenTelemetry, Prometheus text at /metrics (loopback or Metrics:ScrapeToken)
        builder.AddPortalMetrics();

        // Start-up: migrations and, in demo mode, the first seeding
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<StartupTasks>();

        // Demo mode: invite the sandbox's demo accounts to the first two organizers (after the seeding above)
        builder.Services.AddHostedService<DemoMemberships>();

        // Demo mode with the in-process emulator: link the demo organizers (all but the first) and make live sales
        builder.AddPortalDemoMercadoPago();

        // Background jobs: Mercado Pago token renewal, token key rotation (BillingPortal/Jobs)
        builder.AddPortalJobs();

        // Mercado Pago webhook inbox processor (BillingPortal/Jobs/WebhookProcessorService.cs)
        builder.AddWebhookProcessing();
        return builder;
    }

    /// <summary>The request pipeline: errors, security headers, logging, culture, sign-in, antiforgery, then the endpoints.</summary>
    public static WebApplication UseBillingPortal(this WebApplication app)
    {
        app.UseErrorPages();
        app.UsePortalSecurityHeaders();

        app.UseSerilogRequestLogging();
        app.UsePortalLocalization();
        app.UsePortalAuthentication();
        app.UseAntiforgery();
        app.UsePortalRateLimits();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapPortalMetrics();

        app.MapIngestionEndpoints();
        app.MapAccountEndpoints();
        app.MapInProcessSandbox();
        app.MapPortalMercadoPago();
        app.MapOrganizerApi();
        app.MapStatementEndpoints();

        app.MapStaticAssets();
        // The security headers middleware already sends frame-ancestors 'none'; Blazor's own 'self' header is not needed.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    /// <summary>
    /// APIs answer errors as ProblemDetails; pages get the Spanish error, access-denied (403) and not-found (404) pages.
    /// The pages' re-execution sits on the main pipeline (inside a UseWhen branch it could not route again) and is
    /// switched off for API requests and for the in-process Mercado Pago sandbox (its JSON and pages are its own).
    /// </summary>
    private static void UseErrorPages(this WebApplication app)
    {
        var mercadoPago = app.Services.GetRequiredService<MercadoPagoMode>();
        bool IsApi(PathString path) => path.StartsWithSegments("/api") || mercadoPago.IsSandboxPath(path);

        app.UseWhen(c => IsApi(c.Request.Path), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(c => !IsApi(c.Request.Path) && !app.Environment.IsDevelopment(), ui => ui.UseExceptionHandler("/Error", createScopeForErrors: true));
        app.UseStatusCodePagesWithReExecute("/estado/{0}", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (IsApi(context.Request.Path) && context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            return next(context);
        });
    }
}
