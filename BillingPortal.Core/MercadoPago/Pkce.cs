using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// PKCE (RFC 7636), as Mercado Pago asks once "Enable PKCE verification" is on (§2.1): a random verifier kept by the
/// portal, and its S256 challenge sent in the consent URL; the verifier goes to <c>POST /oauth/token</c>.
/// </summary>
public static class Pkce
{
    /// <summary>Shortest verifier RFC 7636 §4.1 allows.</summary>
    public const int MinVerifierLength = 43;

    /// <summary>Longest verifier RFC 7636 §4.1 allows.</summary>
    public const int MaxVerifierLength = 128;

    /// <summary>
    /// A new verifier: 32 random bytes, base64url without padding = 43 characters, all from the unreserved set
    /// (<c>[A-Z] [a-z] [0-9] - _</c>), the length and entropy RFC 7636 §4.1 recommends.
    /// </summary>
    public static string CreateVerifier() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary><c>BASE64URL(SHA256(ASCII(verifier)))</c> without padding (RFC 7636 §4.2): always 43 characters.</summary>
    /// <exception cref="ArgumentException">The verifier is not 43–128 unreserved characters.</exception>
    public static string ChallengeS256(string verifier)
    {
        if (!IsValidVerifier(verifier)) throw new ArgumentException("A PKCE verifier is 43 to 128 characters from [A-Za-z0-9-._~].", nameof(verifier));
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }

    /// <summary>Whether the value has a verifier's (or a plain challenge's) syntax: 43–128 characters of <c>[A-Za-z0-9-._~]</c>.</summary>
    public static bool IsValidVerifier(string? value) =>
        value is { Length: >= MinVerifierLength and <= MaxVerifierLength } && value.All(IsUnreserved);

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
