using System.Security.Cryptography;
using System.Text;

namespace BillingPortal.Core.Identity;

/// <summary>A freshly generated organizer API key: the plain key (shown once), its stored prefix and its stored hash.</summary>
public sealed record ApiKeyMaterial(string Key, string Prefix, string Hash)
{
    /// <summary>Keeps the secret out of logs and debugger views that print the record.</summary>
    public override string ToString() => $"ApiKeyMaterial {{ Prefix = {Prefix} }}";
}

/// <summary>
/// The organizer API key format: <c>bp_live_</c> + an 8-character public id + <c>_</c> + a 32-character secret, both
/// base62 drawn from <see cref="RandomNumberGenerator"/> (e.g. <c>bp_live_4fK9aZq2_Xy…</c>, 49 characters).
/// </summary>
/// <remarks>
/// The first 16 characters (<c>bp_live_</c> + id) are the <see cref="OrganizerApiKey.Prefix"/>: not secret, shown in
/// lists and audit entries, and the unique index a presented key is looked up by. The secret carries 32 × log2(62) ≈ 190
/// bits of entropy, so a plain SHA-256 of the whole key is enough to store it (a slow password hash defends low-entropy
/// secrets, which these are not) and verification stays cheap on every request. The visible <c>bp_live_</c> marker lets
/// secret scanners and people recognise a leaked key.
/// </remarks>
public static class ApiKeyFormat
{
    /// <summary>The fixed start of every key.</summary>
    public const string Marker = "bp_live_";

    /// <summary>Length of the public id after <see cref="Marker"/>.</summary>
    public const int IdLength = 8;

    /// <summary>Length of the secret part of generated keys.</summary>
    public const int SecretLength = 32;

    /// <summary>The longest secret accepted when parsing (room for longer keys later; anything longer is not a key).</summary>
    public const int MaxSecretLength = 64;

    /// <summary>Length of the stored prefix: <see cref="Marker"/> + the id (16, the column's maximum).</summary>
    public const int PrefixLength = 16;

    /// <summary>Length of a generated key.</summary>
    public const int KeyLength = PrefixLength + 1 + SecretLength;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Generates a new key with its prefix and hash; the caller stores only the prefix and the hash.</summary>
    public static ApiKeyMaterial Generate()
    {
        // GetString draws each character uniformly from the alphabet (no modulo bias).
        var id = RandomNumberGenerator.GetString(Base62, IdLength);
        var secret = RandomNumberGenerator.GetString(Base62, SecretLength);
        var key = string.Concat(Marker, id, "_", secret);
        return new ApiKeyMaterial(key, key[..PrefixLength], Hash(key));
    }

    /// <summary>
    /// The stored prefix of a presented key, or null when the text does not have the key's shape (wrong marker, wrong
    /// lengths, a character outside base62). Parsing looks at no secret material beyond the shape.
    /// </summary>
    public static string? TryGetPrefix(string? presented)
    {
        if (presented is null || presented.Length < KeyLength || presented.Length > PrefixLength + 1 + MaxSecretLength) return null;
        if (!presented.StartsWith(Marker, StringComparison.Ordinal) || presented[PrefixLength] != '_') return null;
        var id = presented.AsSpan(Marker.Length, IdLength);
        var secret = presented.AsSpan(PrefixLength + 1);
        if (!IsBase62(id) || !IsBase62(secret)) return null;
        return presented[..PrefixLength];
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 key (64 characters), as stored in <see cref="OrganizerApiKey.Hash"/>.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>
    /// Whether <paramref name="presented"/> hashes to <paramref name="storedHash"/>, compared with
    /// <see cref="CryptographicOperations.FixedTimeEquals"/> so the time taken says nothing about how many bytes matched.
    /// </summary>
    public static bool Matches(string presented, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(storedHash);
        if (storedHash.Length != SHA256.HashSizeInBytes * 2) return false;
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        if (Convert.FromHexString(storedHash, stored, out _, out var written) != System.Buffers.OperationStatus.Done || written != stored.Length)
            return false;
        Span<byte> computed = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), computed);
        return CryptographicOperations.FixedTimeEquals(computed, stored);
    }

    private static bool IsBase62(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        }

        return true;
    }
}
