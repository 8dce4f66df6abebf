using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BillingPortal.Sandbox.Identity;

/// <summary>Where the portal and the in-process provider are reachable, from the configuration or the server's addresses.</summary>
public static class SandboxIdentityAddresses
{
    /// <summary>
    /// The portal's base URLs: <see cref="SandboxIdentityClientOptions.PortalBaseUrls"/> when configured, otherwise the
    /// addresses the server bound (after start), wildcard hosts (<c>+</c>, <c>*</c>, <c>[::]</c>, <c>0.0.0.0</c>) read as
    /// <c>localhost</c>. No trailing slash.
    /// </summary>
    public static IReadOnlyList<string> PortalBaseUrls(SandboxIdentityOptions options, IServer? server)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Client.PortalBaseUrls.Count > 0)
        {
            return [.. options.Client.PortalBaseUrls.Select(u => u.TrimEnd('/'))];
        }

        var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return [.. addresses.Select(NormalizeAddress).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// The issuer of the provider hosted in-process, <c>{first portal base URL}{PathPrefix}/</c>: the portal's
    /// <c>OpenIdConnectOptions.Authority</c>. Call it once the server listens (e.g. when the handler's options are built).
    /// </summary>
    public static Uri InProcessIssuer(SandboxIdentityOptions options, IServer? server)
    {
        var baseUrls = PortalBaseUrls(options, server);
        var baseUrl = baseUrls.Count > 0
            ? baseUrls[0]
            : throw new InvalidOperationException(
                "The sandbox OpenID Connect provider has no address yet: configure Sandbox:Identity:Client:PortalBaseUrls or resolve the issuer after the server has started.");
        return new Uri(baseUrl + options.PathPrefix + "/", UriKind.Absolute);
    }

    /// <summary>Reads a server address (<c>http://[::]:8080</c>) as a URL a browser on the same machine can open.</summary>
    internal static string? NormalizeAddress(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return null;
        }

        var scheme = address[..schemeEnd];
        var rest = address[(schemeEnd + 3)..].TrimEnd('/');
        var portStart = rest.LastIndexOf(':');
        var hasPort = portStart > 0 && !rest.EndsWith(']');
        var host = hasPort ? rest[..portStart] : rest;
        var port = hasPort ? rest[portStart..] : "";
        host = host is "+" or "*" or "[::]" or "0.0.0.0" ? "localhost" : host;
        var normalized = $"{scheme}://{host}{port}";
        return Uri.TryCreate(normalized, UriKind.Absolute, out _) ? normalized : null;
    }
}
