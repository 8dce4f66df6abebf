using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// Puts the provider under its path prefix. OpenIddict's ASP.NET Core host takes the base URI (the issuer, unless one
/// is configured) from <c>scheme://host{PathBase}</c>, and resolves relative endpoint URIs against it. Running right
/// after that step, this handler appends <see cref="SandboxIdentityOptions.PathPrefix"/>, so the issuer becomes
/// <c>{portal}/sandbox/oidc/</c>, every endpoint (discovery and JWKS included) matches only under the prefix, and
/// nothing answers at the portal's root, whatever host name or port the request used.
/// </summary>
internal sealed class SandboxIdentityBaseUriHandler(IOptions<SandboxIdentityOptions> options) : IOpenIddictServerHandler<ProcessRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .UseSingletonHandler<SandboxIdentityBaseUriHandler>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ResolveRequestUri.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.BaseUri is { IsAbsoluteUri: true } baseUri)
        {
            context.BaseUri = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + options.Value.PathPrefix + "/", UriKind.Absolute);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Adds what OpenIddict's userinfo endpoint does not return by itself: <c>name</c> (scope <c>profile</c>),
/// <c>email_verified</c> (scope <c>email</c>) and <c>role</c> as an array (scope <c>roles</c>), read from the access token.
/// </summary>
internal sealed class SandboxIdentityUserInfoHandler : IOpenIddictServerHandler<HandleUserInfoRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleUserInfoRequestContext>()
            .UseSingletonHandler<SandboxIdentityUserInfoHandler>()
            .SetOrder(OpenIddictServerHandlers.UserInfo.AttachClaims.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleUserInfoRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.AccessTokenPrincipal;
        if (principal is null)
        {
            return ValueTask.CompletedTask;
        }

        if (principal.HasScope(Scopes.Profile) && principal.GetClaim(Claims.Name) is { } name)
        {
            context.Claims[Claims.Name] = name;
        }

        if (principal.HasScope(Scopes.Email))
        {
            context.Email = principal.GetClaim(Claims.Email);
            context.EmailVerified = string.Equals(principal.GetClaim(Claims.EmailVerified), "true", StringComparison.OrdinalIgnoreCase);
        }

        if (principal.HasScope(Scopes.Roles))
        {
            context.Claims[Claims.Role] = new OpenIddictParameter([.. principal.GetClaims(Claims.Role)]);
        }

        return ValueTask.CompletedTask;
    }
}
