using System.Globalization;
using BillingPortal.Core.Billing.Commissions;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>Expected commission: base = round2(gross × rate + fixed × tickets), IGV = round2(base × 0.18) on top.</summary>
public sealed class CommissionCalculatorTests
{
    [Theory]
    // gross, rate, fixed per ticket, tickets → base, IGV, total
    [InlineData("150.00", "0.05", "0", 2, "7.50", "1.35", "8.85")]          // 150 × 5% = 7.50; 7.50 × 0.18 = 1.35
    [InlineData("99.99", "0.045", "1.50", 3, "9.00", "1.62", "10.62")]     // 4.49955 + 4.50 = 8.99955 → 9.00; 1.62
    [InlineData("10.10", "0.05", "0", 1, "0.51", "0.09", "0.60")]          // 0.505 → 0.51 (half away from zero); 0.0918 → 0.09
    [InlineData("45.00", "0.05", "0", 1, "2.25", "0.41", "2.66")]          // 2.25 × 0.18 = 0.405 → 0.41 (half away from zero)
    [InlineData("150.00", "0", "3.18", 2, "6.36", "1.14", "7.50")]         // fixed only: 6.36; 1.1448 → 1.14
    [InlineData("0.01", "0.05", "0", 1, "0.00", "0.00", "0.00")]           // 0.0005 → 0.00
    [InlineData("20000.00", "0.10", "2.50", 10, "2025.00", "364.50", "2389.50")]
    [InlineData("0", "0.05", "1.00", 0, "0.00", "0.00", "0.00")]
    public void Expected_PlanAndSale_RoundsBaseThenIgv(string gross, string rate, string fixedPerTicket, int tickets,
        string expectedBase, string expectedIgv, string expectedTotal)
    {
        var plan = new CommissionPlan { Name = "Plan", Rate = D(rate), FixedPerTicket = D(fixedPerTicket) };

        var expected = CommissionCalculator.Expected(plan, D(gross), tickets);

        Assert.Equal(new ExpectedCommission(D(expectedBase), D(expectedIgv), D(expectedTotal)), expected);
        Assert.Equal(expected.Base + expected.Igv, expected.Total);
    }

    [Theory]
    // expected 8.85: within S/ 0.01 is not a mismatch, beyond it is.
    [InlineData("8.85", false)]
    [InlineData("8.86", false)]
    [InlineData("8.84", false)]
    [InlineData("8.87", true)]
    [InlineData("8.83", true)]
    [InlineData("7.50", true)]
    [InlineData("0", true)]
    public void IsMismatch_DifferenceAgainstTolerance(string actual, bool mismatch)
    {
        var expected = new ExpectedCommission(7.50m, 1.35m, 8.85m);

        Assert.Equal(mismatch, CommissionCalculator.IsMismatch(expected, D(actual)));
    }

    private static decimal D(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
