using BillingPortal.Components;
using BillingPortal.Core;
using BillingPortal.Core.Data;
using BillingPortal.Endpoints;
using BillingPortal.Health;
using BillingPortal.Localization;
using BillingPortal.Sandbox;
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
        builder.Services.AddSandbox();
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

        // Health
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        // Start-up: migrations and, in demo mode, the first seeding
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<StartupTasks>();
        return builder;
    }

    public static WebApplication UseBillingPortal(this WebApplication app)
    {
        // APIs answer errors as ProblemDetails; pages get the Spanish error and not-found pages.
        app.UseWhen(c => IsApi(c.Request.Path), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(c => !IsApi(c.Request.Path), ui =>
        {
            if (!app.Environment.IsDevelopment()) ui.UseExceptionHandler("/Error", createScopeForErrors: true);
            ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        if (!app.Environment.IsDevelopment()) app.UseHsts();

        app.UseSerilogRequestLogging();
        app.UsePortalLocalization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });

        app.MapIngestionEndpoints();
        app.MapOrganizerApi();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool IsApi(PathString path) => path.StartsWithSegments("/api");
}
