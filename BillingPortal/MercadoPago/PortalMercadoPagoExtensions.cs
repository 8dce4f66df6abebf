using BillingPortal.Core.MercadoPago;
using BillingPortal.Endpoints;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BillingPortal.MercadoPago;

/// <summary>
/// The portal's side of Mercado Pago: the mode (real service or in-process emulator), the connection endpoints, the
/// webhook receiver. With the emulator in use (<see cref="MercadoPagoMode.UsesSandbox"/>) it maps it under
/// its prefix, points <see cref="IMercadoPagoEndpoints"/> at it (<see cref="InProcessMercadoPagoEndpoints"/>), sends its
/// webhooks to the portal's own <c>/api/webhooks/mercadopago</c> and makes the portal trust the emulator's webhook secret.
/// With a real <c>MercadoPago:ClientId</c> (and no <c>UseSandbox=true</c>) nothing of the emulator is mapped.
/// </summary>
public static class PortalMercadoPagoExtensions
{
    public static WebApplicationBuilder AddPortalMercadoPago(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = builder.Configuration.GetSection(MercadoPagoOptions.SectionName).Get<MercadoPagoOptions>() ?? new MercadoPagoOptions();
        var demo = builder.Configuration.GetValue<bool>("Demo:Enabled");
        var useSandbox = options.UseSandbox ?? (string.IsNullOrWhiteSpace(options.ClientId) && (builder.Environment.IsDevelopment() || demo));
        var prefix = builder.Configuration[$"{MercadoPagoSandboxOptions.SectionName}:{nameof(MercadoPagoSandboxOptions.PathPrefix)}"] is { Length: > 0 } configuredPrefix
            ? "/" + configuredPrefix.Trim('/')
            : new MercadoPagoSandboxOptions().PathPrefix;
        var configured = useSandbox || !string.IsNullOrWhiteSpace(options.ClientId);
        var mode = new MercadoPagoMode(
            UsesSandbox: useSandbox,
            SandboxPrefix: prefix,
            AuthorizationOrigin: useSandbox || !configured ? null : Origin(options.AuthorizationUrl),
            Configured: configured);
        services.AddSingleton(mode);

        // Webhooks: the receiver writes every topic to the durable inbox; WebhookProcessor (Core) handles payment and mp-connect

        if (!useSandbox) return builder;

        // The emulator in-process: where it is, its application, its webhooks to us and their secret
        services.AddHttpContextAccessor();
        services.Replace(ServiceDescriptor.Singleton<IMercadoPagoEndpoints, InProcessMercadoPagoEndpoints>());
        services.AddOptions<MercadoPagoSandboxOptions>().Configure(o => o.PathPrefix = prefix);
        services.AddOptions<MercadoPagoSandboxOptions>().PostConfigure<IServer>((o, server) =>
        {
            if (string.IsNullOrWhiteSpace(o.Webhooks.Url) && TryServerBaseUrl(server) is { } baseUrl)
                o.Webhooks.Url = baseUrl + MercadoPagoWebhookEndpoints.Route;
        });
        services.AddOptions<MercadoPagoOptions>().PostConfigure<IOptions<MercadoPagoSandboxOptions>>((o, sandbox) =>
        {
            o.Webhooks.Secret = sandbox.Value.Webhooks.Secret;
            o.Webhooks.SecondarySecret = null;
        });
        return builder;
    }

    /// <summary>Maps the emulator (sandbox mode only), the connection endpoints and the webhook receiver.</summary>
    public static WebApplication MapPortalMercadoPago(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var mode = app.Services.GetRequiredService<MercadoPagoMode>();
        if (mode.UsesSandbox)
        {
            app.MapMercadoPagoSandbox(mode.SandboxPrefix);

            // The emulator's options may have been read before the server listened: give its webhooks our address now,
            // also to its outbox, which copied the (then empty) address when the hosted sender created it at start-up.
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var sandbox = app.Services.GetRequiredService<IOptions<MercadoPagoSandboxOptions>>().Value;
                if (string.IsNullOrWhiteSpace(sandbox.Webhooks.Url) && TryServerBaseUrl(app.Services.GetRequiredService<IServer>()) is { } baseUrl)
                    sandbox.Webhooks.Url = baseUrl + MercadoPagoWebhookEndpoints.Route;
                var outbox = app.Services.GetRequiredService<SandboxWebhookOutbox>();
                if (string.IsNullOrWhiteSpace(outbox.Url) && !string.IsNullOrWhiteSpace(sandbox.Webhooks.Url)) outbox.Url = sandbox.Webhooks.Url;
            });
            app.Logger.LogInformation("Mercado Pago: the sandbox emulator runs in-process under {PathPrefix} (no MercadoPago:ClientId configured)", mode.SandboxPrefix);
        }
        else if (!mode.Configured)
        {
            app.Logger.LogWarning("Mercado Pago is not configured: set MercadoPago:ClientId and ClientSecret (or run in Development or demo mode for the sandbox)");
        }

        app.MapMercadoPagoLinkEndpoints();
        app.MapMercadoPagoWebhookEndpoints();
        return app;
    }

    private static string? TryServerBaseUrl(IServer server)
    {
        try
        {
            // Before the server listens on a dynamic port its address still says port 0: not an address yet.
            var baseUrl = InProcessMercadoPagoEndpoints.ServerBaseUrl(server);
            return new Uri(baseUrl).Port == 0 ? null : baseUrl;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Origin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
