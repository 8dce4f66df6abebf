using System.Security.Cryptography;
using System.Text;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>Why a webhook signature was refused.</summary>
public enum WebhookSignatureFailure
{
    None,
    MissingHeader,
    MalformedHeader,
    Mismatch,
    Stale,
}

/// <summary>
/// Mercado Pago's webhook signature (mercadopago-api.md §5.3): header <c>x-signature: ts=…,v1=…</c>, manifest
/// <c>id:{data.id};request-id:{x-request-id};ts:{ts};</c> (a pair whose value is absent is dropped), lowercase hex
/// HMAC-SHA256 keyed with the UTF-8 secret, compared in constant time; <c>data.id</c> comes from the query string, as
/// received (if that fails and it has letters, its lowercase form is tried, §5.3 "data.id casing"); <c>ts</c> is Unix
/// seconds for the tolerance check and used verbatim in the manifest. The emulator signs with <see cref="Sign"/>, the
/// portal's receiver checks with <see cref="Verify"/>.
/// </summary>
public static class MercadoPagoWebhookSignature
{
    /// <summary>The manifest, exactly.</summary>
    public static string Manifest(string? dataId, string? requestId, string? ts)
    {
        var builder = new StringBuilder(128);
        if (!string.IsNullOrEmpty(dataId)) builder.Append("id:").Append(dataId).Append(';');
        if (!string.IsNullOrEmpty(requestId)) builder.Append("request-id:").Append(requestId).Append(';');
        if (!string.IsNullOrEmpty(ts)) builder.Append("ts:").Append(ts).Append(';');
        return builder.ToString();
    }

    /// <summary>Lowercase hex HMAC-SHA256 of the manifest.</summary>
    public static string Digest(string secret, string manifest)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(manifest);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(manifest)));
    }

    /// <summary>The <c>x-signature</c> header value the emulator sends: <c>ts={ts},v1={digest}</c>.</summary>
    public static string Sign(string secret, string? dataId, string? requestId, long unixSeconds)
    {
        var ts = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return $"ts={ts},v1={Digest(secret, Manifest(dataId, requestId, ts))}";
    }

    /// <summary>Splits <c>ts=…,v1=…</c> (keys trimmed and lowercased; unknown keys ignored).</summary>
    public static bool TryParseHeader(string? header, out string ts, out string v1)
    {
        ts = "";
        v1 = "";
        if (string.IsNullOrWhiteSpace(header)) return false;
        foreach (var part in header.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            var key = part[..equals].Trim().ToLowerInvariant();
            var value = part[(equals + 1)..].Trim();
            if (key == "ts") ts = value;
            else if (key == "v1") v1 = value;
        }

        return ts.Length > 0 && v1.Length > 0;
    }

    /// <summary>
    /// Verifies a request's signature against one or more secrets (a second one during rotation) and, when
    /// <paramref name="tolerance"/> is set, that <c>ts</c> (Unix seconds) is within it of <paramref name="now"/>.
    /// </summary>
    public static WebhookSignatureFailure Verify(
        string? signatureHeader, string? requestId, string? dataId, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan? tolerance)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrWhiteSpace(signatureHeader)) return WebhookSignatureFailure.MissingHeader;
        if (!TryParseHeader(signatureHeader, out var ts, out var v1)) return WebhookSignatureFailure.MalformedHeader;
        if (!IsLowerHex(v1, 64)) return WebhookSignatureFailure.MalformedHeader;
        var expected = Convert.FromHexString(v1);

        var ids = new List<string?> { dataId };
        if (dataId is not null && dataId.Any(char.IsUpper)) ids.Add(dataId.ToLowerInvariant());
        var matched = false;
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            foreach (var id in ids)
            {
                var actual = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Manifest(id, requestId, ts)));
                matched |= CryptographicOperations.FixedTimeEquals(actual, expected);
            }
        }

        if (!matched) return WebhookSignatureFailure.Mismatch;
        if (tolerance is { } window)
        {
            if (!long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return WebhookSignatureFailure.MalformedHeader;

            // Seconds per the 2026 SDK fixes; a millisecond value (13 digits) is read as such rather than rejected.
            var instant = seconds > 100_000_000_000L ? DateTimeOffset.FromUnixTimeMilliseconds(seconds) : DateTimeOffset.FromUnixTimeSeconds(seconds);
            if ((now - instant).Duration() > window) return WebhookSignatureFailure.Stale;
        }

        return WebhookSignatureFailure.None;
    }

    private static bool IsLowerHex(string value, int length) =>
        value.Length == length && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F');
}
