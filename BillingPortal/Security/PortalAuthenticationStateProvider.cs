using BillingPortal.Core.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Security;

/// <summary>
/// The circuit's authentication state, checked again every few minutes: a user deleted from the portal loses the open
/// circuit too (the page then sends them to sign in). Memberships and roles need no revalidation: pages read them from
/// the database on every use.
/// </summary>
public sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IDbContextFactory<BillingDbContext> factory,
    PortalAuthenticationOptions options) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(5);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var user = PortalPrincipal.ToIdentity(authenticationState.User, options);
        if (user is null) return false;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(u => u.Id == user.UserId, cancellationToken);
    }
}
