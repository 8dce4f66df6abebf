using System.Globalization;
using BillingPortal.Core.Common;

namespace BillingPortal.Tests.Unit.Common;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("1.005", "1.01")]     // half away from zero (banker's rounding would give 1.00)
    [InlineData("2.675", "2.68")]     // exact in decimal (a double would round this down)
    [InlineData("0.125", "0.13")]
    [InlineData("0.025", "0.03")]
    [InlineData("-0.025", "-0.03")]   // negative midpoints go away from zero too
    [InlineData("-2.675", "-2.68")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("1.0049", "1.00")]
    [InlineData("-1.0049", "-1.00")]
    [InlineData("135.42", "135.42")]
    [InlineData("0", "0.00")]
    [InlineData("19999.995", "20000.00")]
    public void Round2_Amount_RoundsHalfAwayFromZero(string amount, string expected) =>
        Assert.Equal(D(expected), Money.Round2(D(amount)));

    [Theory]
    [InlineData("135.42", 13542L)]
    [InlineData("0.01", 1L)]
    [InlineData("0.005", 1L)]
    [InlineData("0.004", 0L)]
    [InlineData("-0.005", -1L)]
    [InlineData("-135.42", -13542L)]
    [InlineData("20000.00", 2000000L)]
    [InlineData("92233720368547758.07", long.MaxValue)]
    public void ToCents_Amount_RoundsThenScales(string amount, long cents) => Assert.Equal(cents, Money.ToCents(D(amount)));

    [Theory]
    [InlineData(13542L, "135.42")]
    [InlineData(1L, "0.01")]
    [InlineData(-1L, "-0.01")]
    [InlineData(0L, "0")]
    public void FromCents_Cents_GivesAmount(long cents, string amount) => Assert.Equal(D(amount), Money.FromCents(cents));

    [Theory]
    [InlineData("0.00")]
    [InlineData("0.01")]
    [InlineData("-0.01")]
    [InlineData("135.42")]
    [InlineData("-9999999.99")]
    public void ToCentsFromCents_RoundTrip(string amount) => Assert.Equal(D(amount), Money.FromCents(Money.ToCents(D(amount))));

    [Theory]
    // fee incl. IGV → base = round2(fee / 1.18), IGV = fee − base
    [InlineData("7.50", "6.36", "1.14")]    // 6.3559… → 6.36
    [InlineData("1.18", "1.00", "0.18")]
    [InlineData("11.80", "10.00", "1.80")]
    [InlineData("100.00", "84.75", "15.25")] // 84.7457… → 84.75
    [InlineData("5.00", "4.24", "0.76")]    // 4.2372… → 4.24
    [InlineData("7.07", "5.99", "1.08")]    // 5.9915… → 5.99
    [InlineData("0.06", "0.05", "0.01")]    // 0.0508… → 0.05
    [InlineData("0.01", "0.01", "0.00")]    // 0.0084… → 0.01: a céntimo of commission is all base
    [InlineData("0.00", "0.00", "0.00")]
    [InlineData("-7.50", "-6.36", "-1.14")] // symmetric for reversals
    public void SplitIgvInclusive_Fee_SplitsBaseAndIgv(string fee, string expectedBase, string expectedIgv)
    {
        var (@base, igv) = Money.SplitIgvInclusive(D(fee));

        Assert.Equal((D(expectedBase), D(expectedIgv)), (@base, igv));
        Assert.Equal(D(fee), @base + igv);
    }

    [Theory]
    [InlineData("1234.56", "S/ 1,234.56")]
    [InlineData("-1234.56", "-S/ 1,234.56")]
    [InlineData("0", "S/ 0.00")]
    [InlineData("0.5", "S/ 0.50")]
    [InlineData("1000000", "S/ 1,000,000.00")]
    [InlineData("-0.01", "-S/ 0.01")]
    [InlineData("0.005", "S/ 0.01")]
    [InlineData("-0.004", "S/ 0.00")]   // rounds to zero: no sign
    [InlineData("-0.005", "-S/ 0.01")]
    [InlineData("999.995", "S/ 1,000.00")]
    public void Format_Amount_ShowsSolesWithGrouping(string amount, string expected) => Assert.Equal(expected, Money.Format(D(amount)));

    [Fact]
    public void Format_UnderAnotherCurrentCulture_StillPeruvianStyle()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

            Assert.Equal("S/ 1,234.56", Money.Format(1234.56m));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static decimal D(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
