using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// Creates the provider's in-memory store before anything starts, then registers the portal as its client once the
/// server listens (so the redirect URIs can follow the addresses the server really bound, port 0 included; see
/// <see cref="SandboxIdentityAddresses.PortalBaseUrls"/>).
/// </summary>
internal sealed partial class SandboxIdentityInitializer(
    SandboxIdentityDatabase database,
    IServiceScopeFactory scopeFactory,
    IServiceProvider services,
    IOptions<SandboxIdentityOptions> options,
    ILogger<SandboxIdentityInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        database.KeepAlive();
        await using var scope = scopeFactory.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<SandboxIdentityDbContext>();
        await context.Database.EnsureCreatedAsync(cancellationToken);
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var client = options.Value.Client;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = client.DisplayName,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Scopes.Roles,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };

        var portalBaseUrls = SandboxIdentityAddresses.PortalBaseUrls(options.Value, services.GetService<IServer>());
        foreach (var uri in portalBaseUrls.Select(b => Combine(b, client.CallbackPath)).Concat(client.RedirectUris))
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        foreach (var uri in portalBaseUrls.Select(b => Combine(b, client.SignedOutCallbackPath)).Concat(client.PostLogoutRedirectUris))
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await manager.FindByClientIdAsync(client.ClientId, cancellationToken) is { } existing)
        {
            await manager.UpdateAsync(existing, descriptor, cancellationToken);
        }
        else
        {
            await manager.CreateAsync(descriptor, cancellationToken);
        }

        LogClientRegistered(logger, client.ClientId, descriptor.RedirectUris.Count, client.ClientSecretGenerated);
        if (descriptor.RedirectUris.Count == 0)
        {
            LogNoRedirectUri(logger, client.ClientId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        database.Dispose();
        return Task.CompletedTask;
    }

    private static string Combine(string baseUrl, string path) => baseUrl.TrimEnd('/') + path;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Sandbox OpenID Connect provider: client {ClientId} registered with {RedirectUriCount} redirect URI(s); secret generated at start-up: {SecretGenerated}")]
    private static partial void LogClientRegistered(ILogger logger, string clientId, int redirectUriCount, bool secretGenerated);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Sandbox OpenID Connect provider: client {ClientId} has no redirect URI (no server address and no Sandbox:Identity:Client:PortalBaseUrls); every sign-in will be rejected")]
    private static partial void LogNoRedirectUri(ILogger logger, string clientId);
}
