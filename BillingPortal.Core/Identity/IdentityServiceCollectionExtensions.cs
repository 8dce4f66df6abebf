using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingPortal.Core.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Sign-in bookkeeping, tenancy, members and the admin area's reads (API keys register themselves separately).</summary>
    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Options (bound by hand: Core does not take the configuration binder package)
        var lifetime = configuration[$"{MembershipOptions.SectionName}:{nameof(MembershipOptions.InvitationLifetime)}"];
        services.AddOptions<MembershipOptions>()
            .Configure(options =>
            {
                if (lifetime is not null)
                {
                    options.InvitationLifetime = TimeSpan.TryParse(lifetime, CultureInfo.InvariantCulture, out var parsed) ? parsed : TimeSpan.Zero;
                }
            })
            .Validate(o => o.InvitationLifetime >= MembershipOptions.MinInvitationLifetime && o.InvitationLifetime <= MembershipOptions.MaxInvitationLifetime,
                "Membership:InvitationLifetime must be a duration (d.hh:mm:ss) from 01:00:00 to 365.00:00:00.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // Services
        services.AddSingleton<SignInService>();
        services.AddSingleton<OrganizerAccessService>();
        services.AddSingleton<MemberService>();
        services.AddSingleton<PlatformAdminQueries>();
        return services;
    }
}
