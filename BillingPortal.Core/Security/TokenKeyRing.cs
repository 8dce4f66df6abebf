using System.Collections.Frozen;

namespace BillingPortal.Core.Security;

/// <summary>
/// The validated key ring of <see cref="TokenProtectionOptions"/>: every key id (letters, digits, '-', at most
/// <see cref="MaxKeyIdLength"/> characters) maps to exactly 32 bytes, and the active id names one of them.
/// </summary>
public sealed class TokenKeyRing
{
    public const int KeySizeBytes = 32;
    public const int MaxKeyIdLength = 40;

    private readonly FrozenDictionary<string, byte[]> _keys;

    private TokenKeyRing(string activeKeyId, FrozenDictionary<string, byte[]> keys)
    {
        ActiveKeyId = activeKeyId;
        _keys = keys;
    }

    public string ActiveKeyId { get; }

    /// <summary>Every configured key id (the active one included).</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    internal byte[] ActiveKey => _keys[ActiveKeyId];

    internal bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>Builds the ring, or throws <see cref="InvalidOperationException"/> listing every problem.</summary>
    public static TokenKeyRing Create(TokenProtectionOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join(" ", errors));
        var keys = options.Keys.ToFrozenDictionary(k => k.Key, k => Convert.FromBase64String(k.Value.Trim()), StringComparer.Ordinal);
        return new TokenKeyRing(ResolveActiveKeyId(options)!, keys);
    }

    /// <summary>
    /// What is wrong with the configuration, in plain words naming the settings (never a key's value); empty when valid.
    /// With a single key and no <see cref="TokenProtectionOptions.ActiveKeyId"/>, that key is the active one.
    /// </summary>
    public static IReadOnlyList<string> Validate(TokenProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Keys.Count == 0)
        {
            errors.Add($"{TokenProtectionOptions.SectionName}: no key is configured. Set {TokenProtectionOptions.SectionName}__Keys__<id> to a base64 256-bit key " +
                       $"(e.g. `openssl rand -base64 32`) and {TokenProtectionOptions.SectionName}__ActiveKeyId to its id.");
            return errors;
        }

        foreach (var (id, value) in options.Keys)
        {
            if (!IsValidKeyId(id))
                errors.Add($"{TokenProtectionOptions.SectionName}:Keys: the key id '{Printable(id)}' is invalid (letters, digits and '-', 1 to {MaxKeyIdLength} characters).");
            if (!TryDecodeKey(value, out var length))
            {
                errors.Add($"{TokenProtectionOptions.SectionName}:Keys:{Printable(id)} is not valid base64.");
            }
            else if (length != KeySizeBytes)
            {
                errors.Add($"{TokenProtectionOptions.SectionName}:Keys:{Printable(id)} decodes to {length.ToString(CultureInfo.InvariantCulture)} bytes; a key must be exactly {KeySizeBytes.ToString(CultureInfo.InvariantCulture)} bytes (256 bits).");
            }
        }

        var active = ResolveActiveKeyId(options);
        if (active is null)
        {
            errors.Add($"{TokenProtectionOptions.SectionName}:ActiveKeyId is not set; with several keys it must name the one that encrypts ({string.Join(", ", options.Keys.Keys.Order(StringComparer.Ordinal))}).");
        }
        else if (!options.Keys.ContainsKey(active))
        {
            errors.Add($"{TokenProtectionOptions.SectionName}:ActiveKeyId '{Printable(active)}' names no configured key ({string.Join(", ", options.Keys.Keys.Order(StringComparer.Ordinal))}).");
        }

        return errors;
    }

    public static bool IsValidKeyId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxKeyIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string? ResolveActiveKeyId(TokenProtectionOptions options) =>
        !string.IsNullOrWhiteSpace(options.ActiveKeyId) ? options.ActiveKeyId.Trim()
        : options.Keys.Count == 1 ? options.Keys.Keys.Single()
        : null;

    private static bool TryDecodeKey(string? value, out int length)
    {
        length = 0;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out length)) return false;
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        return true;
    }

    private static string Printable(string? id) => id is null ? "" : id.Length <= MaxKeyIdLength ? id : id[..MaxKeyIdLength] + "…";
}
