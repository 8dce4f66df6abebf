using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.Security;

/// <summary>
/// <see cref="ITokenProtector"/> with AES-256-GCM. A ciphertext is <c>{keyId}.{base64url(version | nonce | ciphertext | tag)}</c>:
/// format version 1 (one byte), a random 12-byte nonce, the encrypted UTF-8 text and the 16-byte tag. The additional
/// authenticated data binds the format version, the key id and the purpose, so changing any of them (or one bit of the
/// payload) fails with a <see cref="CryptographicException"/>. Only the canonical base64url spelling is accepted, so no
/// character of a ciphertext can change without detection.
/// </summary>
public sealed class AesGcmTokenProtector : ITokenProtector
{
    public const byte FormatVersion = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private const char Separator = '.';
    private readonly TokenKeyRing _ring;

    public AesGcmTokenProtector(IOptions<TokenProtectionOptions> options)
        : this(TokenKeyRing.Create((options ?? throw new ArgumentNullException(nameof(options))).Value))
    {
    }

    public AesGcmTokenProtector(TokenKeyRing ring)
    {
        _ring = ring ?? throw new ArgumentNullException(nameof(ring));
    }

    public string ActiveKeyId => _ring.ActiveKeyId;

    public string Protect(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var keyId = _ring.ActiveKeyId;
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[1 + NonceSize + plain.Length + TagSize];
        payload[0] = FormatVersion;
        var nonce = payload.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_ring.ActiveKey, TagSize))
        {
            aes.Encrypt(nonce, plain, payload.AsSpan(1 + NonceSize, plain.Length), payload.AsSpan(1 + NonceSize + plain.Length, TagSize), AssociatedData(FormatVersion, keyId, purpose));
        }

        CryptographicOperations.ZeroMemory(plain);
        return keyId + Separator + Base64Url.EncodeToString(payload);
    }

    public string Unprotect(string ciphertext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var separator = ciphertext.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0) throw new CryptographicException("The protected value is malformed (no key id).");
        var keyId = ciphertext[..separator];
        if (!_ring.TryGetKey(keyId, out var key))
            throw new CryptographicException("The protected value names a key that is not configured (TokenProtection:Keys).");

        var encoded = ciphertext.AsSpan(separator + 1);
        var payload = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        // TryDecodeFromChars throws FormatException on characters outside the alphabet: check first.
        if (!Base64Url.IsValid(encoded)
            || !Base64Url.TryDecodeFromChars(encoded, payload, out var length)
            || length < 1 + NonceSize + TagSize
            || !encoded.SequenceEqual(Base64Url.EncodeToString(payload.AsSpan(0, length))))
        {
            throw new CryptographicException("The protected value is malformed.");
        }

        if (payload[0] != FormatVersion) throw new CryptographicException("The protected value has an unknown format version.");
        var cipherLength = length - 1 - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(payload.AsSpan(1, NonceSize), payload.AsSpan(1 + NonceSize, cipherLength), payload.AsSpan(1 + NonceSize + cipherLength, TagSize), plain, AssociatedData(payload[0], keyId, purpose));
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public bool NeedsReencryption(string ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        return !ciphertext.StartsWith(_ring.ActiveKeyId + Separator, StringComparison.Ordinal);
    }

    /// <summary>version | keyId | 0 | purpose (UTF-8): what the tag authenticates besides the text.</summary>
    private static byte[] AssociatedData(byte version, string keyId, string purpose)
    {
        var keyIdBytes = Encoding.UTF8.GetBytes(keyId);
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var data = new byte[1 + keyIdBytes.Length + 1 + purposeBytes.Length];
        data[0] = version;
        keyIdBytes.CopyTo(data, 1);
        data[1 + keyIdBytes.Length] = 0;
        purposeBytes.CopyTo(data, 2 + keyIdBytes.Length);
        return data;
    }
}
