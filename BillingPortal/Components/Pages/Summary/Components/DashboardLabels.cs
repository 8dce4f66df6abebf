using System.Globalization;
using BillingPortal.Core.Reporting;
using BillingPortal.Localization;
using BillingPortal.Resources;
using Microsoft.Extensions.Localization;

namespace BillingPortal.Components.Pages.Summary.Components;

/// <summary>Names the dashboard shows for payment methods, events and chart buckets.</summary>
public static class DashboardLabels
{
    /// <summary>How many events the "by event" chart names; the rest are summed as «Otros».</summary>
    public const int TopEvents = 8;

    private static readonly Dictionary<string, string> Brands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["visa"] = "Visa",
        ["debvisa"] = "Visa",
        ["master"] = "Mastercard",
        ["debmaster"] = "Mastercard",
        ["amex"] = "American Express",
        ["diners"] = "Diners Club",
        ["yape"] = "Yape",
        ["pagoefectivo_atm"] = "PagoEfectivo",
    };

    /// <summary>
    /// A payment method for people: <c>visa/credit_card</c> → «Visa (crédito)», <c>yape</c> → «Yape»,
    /// <c>pagoefectivo_atm</c> → «PagoEfectivo»; an unknown method shows its id.
    /// </summary>
    public static string PaymentMethod(string key, IStringLocalizer<SharedResource> l)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(l);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var method = slash < 0 ? key : key[..slash];
        var type = slash < 0 ? "" : key[(slash + 1)..];
        if (method.Length == 0) return l["Dashboard.Method.None"];
        if (method.Equals("account_money", StringComparison.OrdinalIgnoreCase)) return l["Dashboard.Method.AccountMoney"];
        var brand = Brands.TryGetValue(method, out var b) ? b : method;
        var kind = type.ToLowerInvariant() switch
        {
            "credit_card" => l["Dashboard.Method.Credit"].Value,
            "debit_card" => l["Dashboard.Method.Debit"].Value,
            "prepaid_card" => l["Dashboard.Method.Prepaid"].Value,
            _ => null,
        };
        return kind is null ? brand : $"{brand} ({kind})";
    }

    /// <summary>An event's name in the chart (the sales without an event are «Sin evento»).</summary>
    public static string Event(BreakdownRow row, IStringLocalizer<SharedResource> l)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(l);
        return string.IsNullOrEmpty(row.Label) ? l["Dashboard.NoEvent"] : row.Label;
    }

    /// <summary>The top <see cref="TopEvents"/> rows by gross sales and one «Otros» row summing the rest (if any).</summary>
    public static IReadOnlyList<BreakdownRow> TopWithOthers(IReadOnlyList<BreakdownRow> rows, string othersLabel)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count <= TopEvents + 1) return rows;
        var top = rows.Take(TopEvents).ToList();
        var rest = rows.Skip(TopEvents).ToList();
        top.Add(new BreakdownRow("others", othersLabel, rest.Sum(r => r.Sales), rest.Sum(r => r.TicketsSold), rest.Sum(r => r.GrossSales),
            rest.Sum(r => r.Refunds), rest.Sum(r => r.Chargebacks), rest.Sum(r => r.MercadoPagoFees), rest.Sum(r => r.Commission), rest.Sum(r => r.Net)));
        return top;
    }

    /// <summary>A bucket's label: the day (dd/MM/yyyy) or the month ("mar. 2026").</summary>
    public static string Bucket(DateOnly start, SeriesGranularity granularity) => granularity == SeriesGranularity.Day
        ? PortalCultures.FormatDate(start)
        : start.ToString("MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>A short axis label: "dd/MM" (or "MM-dd" in English) for days, "MMM yy" for months.</summary>
    public static string Axis(DateOnly start, SeriesGranularity granularity) => granularity == SeriesGranularity.Day
        ? start.ToString(PortalCultures.IsEnglish ? "MM-dd" : "dd/MM", CultureInfo.InvariantCulture)
        : start.ToString("MMM yy", CultureInfo.CurrentCulture);
}
