using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>A search parameter Mercado Pago refuses, with the error it answers (§3.2: 1000, 1001, 1003, 1004, 9062).</summary>
public sealed record SandboxSearchError(string Code, string Message);

/// <summary>
/// Reads <c>GET /v1/payments/search</c>'s query string (§3.2) into a <see cref="SandboxPaymentQuery"/>: sort
/// (<c>date_approved</c>, <c>date_created</c>, <c>date_last_updated</c>, <c>id</c>, <c>money_release_date</c>), criteria
/// (<c>asc</c>/<c>desc</c>), range, begin_date/end_date (<c>NOW</c>, <c>NOW-XDAYS</c>, <c>NOW-XMONTHS</c> or ISO-8601 with
/// an offset or <c>Z</c>; defaults <c>NOW-3MONTHS</c> and <c>NOW</c>; the window must be under 365 days),
/// external_reference, status, limit (default 30, capped at the configured maximum) and offset (offset + limit over the
/// row limit: 1000). Only the last 12 months are searched.
/// </summary>
public static partial class SandboxSearchParameters
{
    public const int DefaultLimit = 30;

    public const string InvalidDateMessage = "Invalid date parameter. Use: yyyy-MM-dd'T'HH:mm:ss.SSSZ, NOW-XDAYS or NOW-XMONTHS";

    public static SandboxSearchError? TryParse(IQueryCollection query, long collectorId, DateTimeOffset now, MercadoPagoSandboxOptions options, out SandboxPaymentQuery result)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        result = new SandboxPaymentQuery();

        var sortText = Value(query, "sort");
        var sort = sortText is null ? SandboxPaymentField.DateCreated : Field(sortText, allowId: true);
        if (sort is null) return new SandboxSearchError("1003", "Invalid sort parameter. Accepted values: date_approved, date_created, date_last_updated, id, money_release_date");

        var criteria = Value(query, "criteria")?.ToLowerInvariant();
        if (criteria is not (null or "asc" or "desc")) return new SandboxSearchError("1004", "Invalid criteria parameter. Accepted values: asc, desc");

        var rangeText = Value(query, "range");
        var range = rangeText is null ? SandboxPaymentField.DateCreated : Field(rangeText, allowId: false);
        if (range is null) return new SandboxSearchError("1001", "Invalid range parameter. Accepted values: date_created, date_last_updated, date_approved, money_release_date");

        if (!TryParseDate(Value(query, "begin_date") ?? "NOW-3MONTHS", now, out var begin)) return new SandboxSearchError("1001", InvalidDateMessage);
        if (!TryParseDate(Value(query, "end_date") ?? "NOW", now, out var end)) return new SandboxSearchError("1001", InvalidDateMessage);
        if (end - begin >= TimeSpan.FromDays(365)) return new SandboxSearchError("9062", "Invalid range interval - Must be less than 365 days");

        var limit = DefaultLimit;
        if (Value(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit <= 0))
        {
            return new SandboxSearchError("1000", "Invalid limit parameter. It must be a positive number");
        }

        limit = Math.Min(limit, options.SearchMaxLimit);
        var offset = 0;
        if (Value(query, "offset") is { } offsetText
            && !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return new SandboxSearchError("1000", "Invalid offset parameter. It must be zero or a positive number");
        }

        if ((long)offset + limit > options.SearchRowLimit) return new SandboxSearchError("1000", "Number of rows exceeded the limits");

        result = new SandboxPaymentQuery
        {
            CollectorId = collectorId,
            Status = Value(query, "status"),
            ExternalReference = Value(query, "external_reference"),
            Range = range.Value,
            Begin = begin,
            End = end,
            CreatedFrom = now.AddMonths(-12),
            Sort = sort.Value,
            Descending = criteria == "desc",
            Limit = limit,
            Offset = offset,
        };
        return null;
    }

    /// <summary><c>NOW</c>, <c>NOW-XDAYS</c>, <c>NOW-XMONTHS</c> (singular accepted, case-insensitive), or an ISO-8601 instant with an offset or <c>Z</c>.</summary>
    public static bool TryParseDate(string text, DateTimeOffset now, out DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(text);
        instant = default;

        // A '+' of an unencoded offset arrives as a space.
        var value = text.Trim().Replace(' ', '+');
        var relative = RelativeDate().Match(value);
        if (relative.Success)
        {
            if (!relative.Groups["n"].Success)
            {
                instant = now;
                return true;
            }

            if (!int.TryParse(relative.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000) return false;
            instant = relative.Groups["unit"].Value.StartsWith("DAY", StringComparison.OrdinalIgnoreCase) ? now.AddDays(-n) : now.AddMonths(-n);
            return true;
        }

        if (!IsoWithOffset().IsMatch(value)) return false;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && !string.IsNullOrWhiteSpace(values.ToString()) ? values.ToString().Trim() : null;

    private static SandboxPaymentField? Field(string value, bool allowId) => value switch
    {
        "date_created" => SandboxPaymentField.DateCreated,
        "date_last_updated" => SandboxPaymentField.DateLastUpdated,
        "date_approved" => SandboxPaymentField.DateApproved,
        "money_release_date" => SandboxPaymentField.MoneyReleaseDate,
        "id" when allowId => SandboxPaymentField.Id,
        _ => null,
    };

    [GeneratedRegex(@"^NOW(-(?<n>\d{1,6})(?<unit>DAYS?|MONTHS?))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RelativeDate();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();
}
