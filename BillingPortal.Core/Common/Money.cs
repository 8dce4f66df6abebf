namespace BillingPortal.Core.Common;

/// <summary>
/// The one place where money is rounded and converted (../shared/domain.md, "Money").
/// Amounts are PEN <see cref="decimal"/> in code and integer céntimos in the database.
/// </summary>
public static class Money
{
    /// <summary>IGV (16% IGV + 2% IPM) as a multiplier on a taxable base.</summary>
    public const decimal IgvRate = 0.18m;

    /// <summary>The divisor that takes an IGV-inclusive amount back to its base.</summary>
    public const decimal IgvInclusiveDivisor = 1.18m;

    /// <summary>The default and only summed currency.</summary>
    public const string Pen = "PEN";

    /// <summary>Rounds to 2 decimals, half away from zero: every rounding in the product goes through here.</summary>
    public static decimal Round2(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>Converts an amount to integer céntimos (rounding first, so nothing below a céntimo is kept).</summary>
    public static long ToCents(decimal amount) => (long)(Round2(amount) * 100m);

    /// <summary>Converts integer céntimos back to an amount.</summary>
    public static decimal FromCents(long cents) => cents / 100m;

    /// <summary>Splits an IGV-inclusive amount into (base, igv) with base = round2(amount / 1.18) and IGV the rest.</summary>
    public static (decimal Base, decimal Igv) SplitIgvInclusive(decimal amountIncludingIgv)
    {
        var @base = Round2(amountIncludingIgv / IgvInclusiveDivisor);
        return (@base, amountIncludingIgv - @base);
    }

    /// <summary>Formats as the UI shows money in Peru: <c>S/ 1,234.56</c> (negative: <c>-S/ 1,234.56</c>).</summary>
    /// <remarks>The amount is rounded first (<see cref="Round2"/>), so an amount that rounds to zero never shows a sign.</remarks>
    public static string Format(decimal amount)
    {
        var rounded = Round2(amount);
        var abs = Math.Abs(rounded).ToString("#,##0.00", CultureInfo.InvariantCulture);
        return rounded < 0 ? $"-S/ {abs}" : $"S/ {abs}";
    }
}
