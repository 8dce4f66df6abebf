using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// The sandbox provider's keys: generated in memory once per process, never stored, gone at shutdown (so tokens do not
/// survive a restart). One RSA-2048 key signs (RS256, the algorithm every OpenID Connect client accepts) and is
/// published in the JWKS; one random 256-bit symmetric key encrypts what only the provider reads back (authorization
/// codes, refresh tokens). Once per process rather than per host because RSA key generation costs 0.1–3 s on our
/// shared 2-core machines, and test runs start several hosts.
/// </summary>
internal static class SandboxIdentityKeys
{
    private static readonly Lazy<RsaSecurityKey> LazySigningKey = new(CreateSigningKey, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<SymmetricSecurityKey> LazyEncryptionKey = new(
        () => new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static RsaSecurityKey SigningKey => LazySigningKey.Value;

    public static SymmetricSecurityKey EncryptionKey => LazyEncryptionKey.Value;

    private static RsaSecurityKey CreateSigningKey()
    {
        var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false); // generates the key now, not on the first request
        var keyId = Convert.ToHexStringLower(SHA256.HashData(parameters.Modulus!))[..16];
        return new RsaSecurityKey(rsa) { KeyId = keyId };
    }
}
