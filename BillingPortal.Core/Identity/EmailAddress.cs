using System.Net.Mail;

namespace BillingPortal.Core.Identity;

/// <summary>
/// Email addresses as the portal compares them: trimmed and lower-cased (invariant), at most 254 characters
/// (RFC 5321), a single plain address (no display name, no list) with a dot in the domain.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>The normalized address, or null when <paramref name="value"/> is not one valid address.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim().ToLowerInvariant();
        if (trimmed.Length > MaxLength) return null;
        if (!MailAddress.TryCreate(trimmed, out var address)) return null;
        if (!string.Equals(address.Address, trimmed, StringComparison.Ordinal)) return null;
        var at = trimmed.LastIndexOf('@');
        var domain = trimmed[(at + 1)..];
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.') ? trimmed : null;
    }
}
