namespace BillingPortal.Core.Security;

/// <summary>
/// Authenticated encryption of secrets at rest (Mercado Pago tokens, PKCE verifiers): AES-256-GCM under a versioned
/// key ring from configuration (<see cref="TokenProtectionOptions"/>). A ciphertext names its key
/// (<c>keyId.payload</c>), so rotating the active key keeps old ciphertexts readable until they are re-encrypted. The
/// <c>purpose</c> is authenticated too (additional data): a ciphertext copied to another row or field fails to open.
/// </summary>
public interface ITokenProtector
{
    /// <summary>Encrypts under the active key.</summary>
    string Protect(string plaintext, string purpose);

    /// <summary>Decrypts; <see cref="System.Security.Cryptography.CryptographicException"/> if tampered, of another purpose or of an unknown key.</summary>
    string Unprotect(string ciphertext, string purpose);

    /// <summary>Whether the ciphertext is under a key other than the active one (rotation pending).</summary>
    bool NeedsReencryption(string ciphertext);

    /// <summary>The active key's id.</summary>
    string ActiveKeyId { get; }
}

/// <summary>
/// Section <c>TokenProtection</c>: <c>Keys</c> maps key ids (letters, digits, '-') to base64 256-bit keys;
/// <c>ActiveKeyId</c> encrypts. Secrets come from the environment (<c>TokenProtection__Keys__2026-11=...</c>) or a
/// secret store, never from the repository. With no key in Development or demo mode a key is generated once into
/// the data folder (<c>token-protection-key.json</c>) with a warning; Production refuses to start without one.
/// </summary>
public sealed class TokenProtectionOptions
{
    public const string SectionName = "TokenProtection";

    public string? ActiveKeyId { get; set; }

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether a local key may be generated when none is configured (Development/demo; false in Production).</summary>
    public bool? AllowGeneratedKey { get; set; }
}
