using System.Security.Claims;
using BillingPortal.Core.Identity;

namespace BillingPortal.Security;

/// <summary>Names shared by the organizer API key scheme, its policy and the endpoints that read its claims.</summary>
public static class OrganizerApiKeyDefaults
{
    /// <summary>The authentication scheme. Never the default scheme: only the organizer API's policy names it.</summary>
    public const string Scheme = "OrganizerApiKey";

    /// <summary>The authorization policy of the <c>/api/v1</c> organizer endpoints.</summary>
    public const string Policy = "OrganizerApi";

    /// <summary>Claim with the key's organizer id (the only source of the organizer for the API).</summary>
    public const string OrganizerIdClaim = "organizer_id";

    /// <summary>Claim with the key's id.</summary>
    public const string KeyIdClaim = "api_key_id";

    /// <summary>Claim with the key's public prefix (<c>bp_live_xxxxxxxx</c>).</summary>
    public const string PrefixClaim = "api_key_prefix";

    /// <summary>OAuth-style scope claim.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>The only scope an organizer key has: reading its own organizer's figures.</summary>
    public const string ReadScope = "organizer:read";

    /// <summary>The header that may carry the key instead of <c>Authorization: Bearer</c>.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>
    /// The authorised scope of a request authenticated by an organizer key: its organizer, as a viewer, with no user
    /// (so Core refuses every mutation), audited as <c>api-key:&lt;prefix&gt;</c>. Null for any other principal.
    /// </summary>
    public static OrganizerAccess? ToOrganizerAccess(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identity = principal.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == Scheme);
        if (identity is null) return null;
        var organizer = identity.FindFirst(OrganizerIdClaim)?.Value;
        var prefix = identity.FindFirst(PrefixClaim)?.Value;
        if (prefix is null || !int.TryParse(organizer, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var organizerId))
            return null;
        return new OrganizerAccess(organizerId, OrganizerRole.Viewer, null, "api-key:" + prefix);
    }
}
