using System.Globalization;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace BillingPortal.MercadoPago;

/// <summary>
/// Where Mercado Pago is when its emulator runs inside the portal: resolved on every call, because the server's address
/// is known only once it listens (as <c>SandboxIdentityAddresses.InProcessIssuer</c> does for OpenID Connect).
/// <list type="bullet">
/// <item>The API base (server to server) is the first address the server listens on, http preferred, wildcard hosts read
/// as <c>localhost</c>, plus the prefix.</item>
/// <item>The consent page (opened by the browser) is on the origin of the request being served when there is one (the
/// owner's own «Conectar» request, so a browser that reached the portal by another name or through a proxy can open it,
/// and the emulator sees the redirect URI on its own origin), else on that listening address.</item>
/// <item>The application is the emulator's: its client id and its secret (random per process unless configured).</item>
/// </list>
/// </summary>
public sealed class InProcessMercadoPagoEndpoints(
    IServer server,
    IHttpContextAccessor http,
    IOptions<MercadoPagoSandboxOptions> sandbox,
    MercadoPagoMode mode) : IMercadoPagoEndpoints
{
    public Uri ApiBase => new(ServerBaseUrl(server) + mode.SandboxPrefix.TrimEnd('/') + "/", UriKind.Absolute);

    public Uri AuthorizationEndpoint
    {
        get
        {
            var origin = http.HttpContext?.Request is { Host.HasValue: true } request
                ? $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}"
                : ServerBaseUrl(server);
            return new Uri(origin + mode.SandboxPrefix.TrimEnd('/') + "/authorization", UriKind.Absolute);
        }
    }

    public (string ClientId, string ClientSecret) Application =>
        (sandbox.Value.ClientId, sandbox.Value.ClientSecret ?? throw new InvalidOperationException("The Mercado Pago sandbox has no client secret."));

    /// <summary>The portal's own base URL from the addresses the server bound (no trailing slash), http first.</summary>
    /// <exception cref="InvalidOperationException">The server does not listen yet.</exception>
    public static string ServerBaseUrl(IServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var addresses = (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(Normalize)
            .OfType<string>()
            .ToList();
        return addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The in-process Mercado Pago sandbox has no address yet: the server is not listening.");
    }

    /// <summary>Reads a server address (<c>http://[::]:8080</c>, <c>http://+:80</c>) as a URL this machine can open.</summary>
    internal static string? Normalize(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal),
                UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        if (uri.HostNameType == UriHostNameType.IPv6 && host != "localhost") host = "[" + uri.Host.Trim('[', ']') + "]";
        return $"{uri.Scheme}://{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }
}
