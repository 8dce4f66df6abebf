using BillingPortal.Core.Common;

namespace BillingPortal.Core.Billing.Commissions;

/// <summary>The commission a plan expects for a sale (../shared/domain.md, "Expected commission and mismatches").</summary>
public static class CommissionCalculator
{
    /// <summary>The tolerance above which an actual commission is a mismatch.</summary>
    public const decimal Tolerance = 0.01m;

    /// <summary><c>base = round2(gross × rate + fixed × tickets)</c>, <c>igv = round2(base × 0.18)</c>, total = base + igv.</summary>
    public static ExpectedCommission Expected(CommissionPlan plan, decimal gross, int tickets)
    {
        var @base = Money.Round2(gross * plan.Rate + plan.FixedPerTicket * tickets);
        var igv = Money.Round2(@base * Money.IgvRate);
        return new ExpectedCommission(@base, igv, @base + igv);
    }

    /// <summary>Whether an actual application_fee differs from the expected one by more than S/ 0.01.</summary>
    public static bool IsMismatch(ExpectedCommission expected, decimal actualApplicationFee) =>
        Math.Abs(expected.Total - actualApplicationFee) > Tolerance;
}

/// <summary>An expected commission: base, its IGV and the total the application_fee should equal.</summary>
public sealed record ExpectedCommission(decimal Base, decimal Igv, decimal Total);
