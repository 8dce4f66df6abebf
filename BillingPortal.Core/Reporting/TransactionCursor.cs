using System.Text;

namespace BillingPortal.Core.Reporting;

/// <summary>
/// An opaque keyset position in the transactions list: the sort it belongs to, whether it reads the rows after or
/// before it, and the (sort key, payment id) of the row it stands on. On the wire it is base64url of
/// <c>t1|sort|a or b|key|id</c> (key = UTC ticks for the date sorts, céntimos for the amount sorts). Clients must treat
/// it as opaque; it is validated on every use (<see cref="TryParse"/>), so a forged or truncated one is an error, never
/// a scan.
/// </summary>
public sealed record TransactionCursor(TransactionSort Sort, bool Before, long Key, long Id)
{
    private const string Version = "t1";

    /// <summary>The cursor as text (base64url, no padding).</summary>
    public string Encode()
    {
        var text = string.Join('|', Version, ((int)Sort).ToString(CultureInfo.InvariantCulture), Before ? "b" : "a",
            Key.ToString(CultureInfo.InvariantCulture), Id.ToString(CultureInfo.InvariantCulture));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// Reads a cursor and checks it belongs to <paramref name="sort"/>. Returns null when valid, otherwise the
    /// reason (Spanish, for people): malformed, or made for another order.
    /// </summary>
    public static string? TryParse(string? text, TransactionSort sort, out TransactionCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 120) return Malformed;
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        string decoded;
        try
        {
            decoded = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return Malformed;
        }

        var parts = decoded.Split('|');
        if (parts.Length != 5 || parts[0] != Version
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sortValue)
            || !Enum.IsDefined((TransactionSort)sortValue)
            || parts[2] is not ("a" or "b")
            || !long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Malformed;
        }

        var parsedSort = (TransactionSort)sortValue;
        if (IsDate(parsedSort) && (key < DateTimeOffset.MinValue.UtcTicks || key > DateTimeOffset.MaxValue.UtcTicks)) return Malformed;
        if (parsedSort != sort) return "El cursor corresponde a otro orden; vuelva a la primera página.";
        cursor = new TransactionCursor(parsedSort, parts[2] == "b", key, id);
        return null;
    }

    /// <summary>Whether the sort is by date (key = UTC ticks) rather than by amount (key = céntimos).</summary>
    public static bool IsDate(TransactionSort sort) => sort is TransactionSort.DateDescending or TransactionSort.DateAscending;

    /// <summary>Whether the sort is descending.</summary>
    public static bool IsDescending(TransactionSort sort) => sort is TransactionSort.DateDescending or TransactionSort.AmountDescending;

    private const string Malformed = "El cursor no es válido: use el valor de «next_cursor» tal como se recibió.";
}

/// <summary>A cursor that is malformed or belongs to another order.</summary>
public sealed class InvalidTransactionCursorException(string message) : ArgumentException(message, "cursor");
