using System.Security.Cryptography;
using System.Text;
using BillingPortal.Core.Ingestion;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BillingPortal.Security;

/// <summary>The result of checking a request's platform API key.</summary>
public enum PlatformApiKeyStatus
{
    Accepted,

    /// <summary>Neither <c>X-Api-Key</c> nor <c>Authorization: Bearer</c> was sent.</summary>
    Missing,

    /// <summary>A key was sent and matches none of the configured keys.</summary>
    Invalid,

    /// <summary>No key is configured: the ingestion API refuses everything.</summary>
    Disabled,
}

/// <summary>
/// Checks the ticketing platform's API key, sent as <c>X-Api-Key: &lt;key&gt;</c> or <c>Authorization: Bearer &lt;key&gt;</c>,
/// against every key in <see cref="IngestionOptions.ApiKeys"/> (several, so keys can be rotated). Both sides are hashed
/// with SHA-256 and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, and every configured key is
/// compared, so the time taken says nothing about the key. Keys are never logged.
/// </summary>
public sealed class PlatformApiKeyAuthenticator(IOptionsMonitor<IngestionOptions> options)
{
    public const string HeaderName = "X-Api-Key";

    public PlatformApiKeyStatus Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var configured = options.CurrentValue.UsableApiKeys.ToList();
        if (configured.Count == 0) return PlatformApiKeyStatus.Disabled;
        var presented = PresentedKey(request);
        if (presented is null) return PlatformApiKeyStatus.Missing;
        return Matches(presented, configured) ? PlatformApiKeyStatus.Accepted : PlatformApiKeyStatus.Invalid;
    }

    /// <summary>Whether <paramref name="presented"/> equals one of <paramref name="configured"/>, in constant time per key.</summary>
    public static bool Matches(string presented, IEnumerable<string> configured)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(configured);
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> configuredHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        var matched = false;
        foreach (var key in configured)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(key), configuredHash);
            matched |= CryptographicOperations.FixedTimeEquals(presentedHash, configuredHash);
        }

        return matched;
    }

    /// <summary>The key from <c>X-Api-Key</c>, else from <c>Authorization: Bearer</c>; null when neither carries one.</summary>
    private static string? PresentedKey(HttpRequest request)
    {
        var apiKey = request.Headers[HeaderName];
        if (apiKey.Count > 1) return ""; // two X-Api-Key headers are not a key: refuse rather than guess
        if (apiKey.Count == 1 && !string.IsNullOrWhiteSpace(apiKey[0])) return apiKey[0]!.Trim();

        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[bearer.Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        return null;
    }
}
