using System.Text.RegularExpressions;
using BillingPortal.Core.Common;

namespace BillingPortal.Core.Ingestion;

/// <summary>
/// Field checks for one row: each method reports at most one error per field (the first rule broken) and returns
/// the normalised value, or null/default when the field is invalid. <see cref="IsValid"/> says whether every check passed.
/// </summary>
internal sealed partial class RowChecker(IngestionErrorCollector errors, int row, string? id)
{
    public bool IsValid { get; private set; } = true;

    public int Row => row;

    public string? Id => id;

    public void Fail(string field, string rule, string message)
    {
        IsValid = false;
        errors.Add(row, id, field, rule, message);
    }

    /// <summary>A required text: not blank, at most <paramref name="maxLength"/> characters.</summary>
    public string? RequiredText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(field, IngestionRules.Required, $"{field} es obligatorio.");
            return null;
        }

        return CheckLength(value, field, maxLength);
    }

    /// <summary>An optional text: blank becomes null; otherwise at most <paramref name="maxLength"/> characters.</summary>
    public string? OptionalText(string? value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? null : CheckLength(value, field, maxLength);

    /// <summary>A required value from a fixed list (exact spelling).</summary>
    public T? OneOf<T>(string? value, string field, IReadOnlyDictionary<string, T> allowed)
        where T : struct
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(field, IngestionRules.Required, $"{field} es obligatorio.");
            return null;
        }

        if (allowed.TryGetValue(value, out var parsed)) return parsed;
        Fail(field, IngestionRules.OneOf, $"{field} debe ser uno de: {string.Join(", ", allowed.Keys)}.");
        return null;
    }

    /// <summary>A required e-mail address (≤ 254 characters, one @, a dotted domain, no spaces).</summary>
    public string? Email(string? value, string field)
    {
        var text = RequiredText(value, field, 254);
        if (text is null) return null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at is < 1 or > 64 || !EmailShape().IsMatch(text) || text.Contains("..", StringComparison.Ordinal) || text[at - 1] == '.' || text[0] == '.')
        {
            Fail(field, IngestionRules.Email, $"{field} no es un correo electrónico válido.");
            return null;
        }

        return text;
    }

    /// <summary>
    /// An ISO-8601 date and time WITH an offset (<c>Z</c> or <c>±hh:mm</c>), returned in UTC. A value without an
    /// offset is ambiguous (which clock?) and is rejected with <see cref="IngestionRules.OffsetRequired"/>.
    /// </summary>
    public DateTimeOffset? Instant(string? value, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Fail(field, IngestionRules.Required, $"{field} es obligatorio.");
            return null;
        }

        var match = IsoDateTime().Match(value);
        if (!match.Success || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            Fail(field, IngestionRules.DateFormat, $"{field} debe ser una fecha y hora ISO-8601 con desfase horario, p. ej. 2026-03-01T20:00:00-05:00.");
            return null;
        }

        if (!match.Groups["offset"].Success)
        {
            Fail(field, IngestionRules.OffsetRequired, $"{field} debe indicar el desfase horario (p. ej. -05:00 o Z); sin él la hora es ambigua.");
            return null;
        }

        return parsed.ToUniversalTime();
    }

    /// <summary>An amount in soles: ≥ 0, at most 2 decimals, at most <paramref name="max"/> when given.</summary>
    public decimal? Amount(decimal? value, string field, bool required, decimal? max = null)
    {
        if (value is not { } amount)
        {
            if (required) Fail(field, IngestionRules.Required, $"{field} es obligatorio.");
            return null;
        }

        if (amount < 0)
        {
            Fail(field, IngestionRules.NonNegative, $"{field} no puede ser negativo.");
            return null;
        }

        if (Money.Round2(amount) != amount)
        {
            Fail(field, IngestionRules.MaxDecimals, $"{field} admite como máximo 2 decimales.");
            return null;
        }

        if (amount > max)
        {
            Fail(field, IngestionRules.MaxAmount, $"{field} no puede superar {Money.Format(max.Value)}.");
            return null;
        }

        return amount;
    }

    /// <summary>An optional rate in 0..1 with at most 4 decimals (0.0525 = 5.25%).</summary>
    public decimal? Rate(decimal? value, string field)
    {
        if (value is not { } rate) return null;
        if (rate is < 0m or > 1m)
        {
            Fail(field, IngestionRules.Range, $"{field} debe estar entre 0 y 1 (0.05 = 5%).");
            return null;
        }

        if (Math.Round(rate, 4, MidpointRounding.AwayFromZero) != rate)
        {
            Fail(field, IngestionRules.MaxDecimals, $"{field} admite como máximo 4 decimales.");
            return null;
        }

        return rate;
    }

    /// <summary>A required whole number in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public int? Whole(int? value, string field, int min, int max)
    {
        if (value is not { } number)
        {
            Fail(field, IngestionRules.Required, $"{field} es obligatorio.");
            return null;
        }

        if (number < min || number > max)
        {
            var (rule, message) = min == 1 && max == int.MaxValue
                ? (IngestionRules.Positive, $"{field} debe ser mayor que 0.")
                : (IngestionRules.Range, string.Create(CultureInfo.InvariantCulture, $"{field} debe estar entre {min} y {max}."));
            Fail(field, rule, message);
            return null;
        }

        return number;
    }

    /// <summary>An optional IANA time zone id that exists on this machine (e.g. America/Lima); Windows ids are refused.</summary>
    public string? TimeZone(string? value, string field)
    {
        var text = OptionalText(value, field, 64);
        if (text is null) return null;
        var isIana = text.Contains('/', StringComparison.Ordinal) || TimeZoneInfo.TryConvertIanaIdToWindowsId(text, out _);
        if (isIana && TimeZoneInfo.TryFindSystemTimeZoneById(text, out _)) return text;
        Fail(field, IngestionRules.TimeZone, $"{field} debe ser una zona horaria IANA existente, p. ej. America/Lima.");
        return null;
    }

    private string? CheckLength(string value, string field, int maxLength)
    {
        if (value.Length <= maxLength) return value;
        Fail(field, IngestionRules.MaxLength, string.Create(CultureInfo.InvariantCulture, $"{field} admite como máximo {maxLength} caracteres."));
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?<offset>Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
