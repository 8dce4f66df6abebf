using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The emulator standalone on its own loopback port (tests; a separate process for manual runs), with an empty path
/// prefix so that it looks like Mercado Pago's own hosts: <see cref="BaseAddress"/> is both the API base and the auth host.
/// </summary>
public sealed class MercadoPagoSandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MercadoPagoSandboxServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public MercadoPagoSandboxOptions Options => Services.GetRequiredService<IOptions<MercadoPagoSandboxOptions>>().Value;

    public SandboxClock Clock => Services.GetRequiredService<SandboxClock>();

    public SandboxAccounts Accounts => Services.GetRequiredService<SandboxAccounts>();

    public MercadoPagoSandboxStore Store => Services.GetRequiredService<MercadoPagoSandboxStore>();

    /// <summary>The consent page on this server.</summary>
    public Uri AuthorizationEndpoint => new(BaseAddress, "authorization");

    /// <summary>Starts on 127.0.0.1 and a free port; the store lives in <paramref name="dataDirectory"/>.</summary>
    public static async Task<MercadoPagoSandboxServer> StartAsync(
        string dataDirectory,
        Action<MercadoPagoSandboxOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new MercadoPagoSandboxStore(Path.Combine(dataDirectory, MercadoPagoSandboxStore.FileName)));
        builder.Services.AddMercadoPagoSandbox(builder.Configuration, o =>
        {
            o.PathPrefix = "";
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapMercadoPagoSandbox("");
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MercadoPagoSandboxServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
