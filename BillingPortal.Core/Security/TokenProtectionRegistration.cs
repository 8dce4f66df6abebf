using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.Security;

/// <summary>Registers <see cref="ITokenProtector"/> (AES-256-GCM, <see cref="AesGcmTokenProtector"/>) and <see cref="TokenKeyRotation"/>.</summary>
public static class TokenProtectionRegistration
{
    /// <summary>
    /// Binds section <c>TokenProtection</c>, completes it (a generated local key where allowed, see
    /// <see cref="TokenProtectionOptions"/>) and validates it when the host starts: no key, a key that is not base64 of
    /// 32 bytes, or an active id naming no key stop the start with a message that says which setting is wrong.
    /// </summary>
    public static IServiceCollection AddTokenProtection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Options
        services.AddOptions<TokenProtectionOptions>().Bind(configuration.GetSection(TokenProtectionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TokenProtectionOptions>, TokenProtectionOptionsSetup>(sp => new TokenProtectionOptionsSetup(sp, configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenProtectionOptions>, TokenProtectionOptionsSetup>(sp => new TokenProtectionOptionsSetup(sp, configuration)));

        // Protection and rotation
        services.TryAddSingleton<ITokenProtector, AesGcmTokenProtector>();
        services.TryAddTransient<TokenKeyRotation>();
        return services;
    }
}
