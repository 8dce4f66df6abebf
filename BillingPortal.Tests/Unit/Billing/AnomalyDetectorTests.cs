using System.Globalization;
using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>The per-payment checks: net vs fees, commission vs plan, foreign currency.</summary>
public sealed class AnomalyDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Fixed S/ 3.18 per ticket: 2 tickets → base 6.36, IGV round2(1.1448) = 1.14, expected fee 7.50 (the builder's).</summary>
    private static readonly CommissionPlan MatchingPlan = new() { Name = "Fijo 3.18", Rate = 0m, FixedPerTicket = 3.18m };

    [Fact]
    public void Check_ConsistentPayment_NoAnomaly()
    {
        var payment = new PaymentBuilder().Build();

        Assert.Empty(AnomalyDetector.Check(payment, MatchingPlan, Now));
    }

    [Theory]
    // 150.00 − 7.08 − 7.50 = 135.42 expected; net_received_amount as reported:
    [InlineData("135.42", false)]
    [InlineData("135.41", false)] // exactly S/ 0.01 off: tolerated
    [InlineData("135.43", false)]
    [InlineData("135.40", true)]  // S/ 0.02 off: anomaly
    [InlineData("135.44", true)]
    [InlineData("150.00", true)]
    public void Check_NetReceived_MismatchBeyondOneCentimo(string reported, bool anomaly)
    {
        var netReceived = decimal.Parse(reported, CultureInfo.InvariantCulture);
        var payment = new PaymentBuilder().WithNetReceived(netReceived).Build();

        var found = AnomalyDetector.Check(payment, MatchingPlan, Now);

        var mismatch = found.SingleOrDefault(a => a.Kind == AnomalyKind.NetMismatch);
        Assert.Equal(anomaly, mismatch is not null);
        if (mismatch is not null)
        {
            Assert.Equal(135.42m, mismatch.Expected);
            Assert.Equal(netReceived, mismatch.Actual);
            Assert.Equal(payment.Id, mismatch.PaymentId);
            Assert.Equal(payment.OrganizerId, mismatch.OrganizerId);
            Assert.Equal(Now, mismatch.DetectedAt);
            Assert.Null(mismatch.ResolvedAt);
            Assert.False(string.IsNullOrWhiteSpace(mismatch.Detail));
        }
    }

    [Fact]
    public void Check_NetWithOtherCollectorFees_CountsThem()
    {
        // 100.00 − 4.99 − 7.07 − 1.01 = 86.93
        var payment = new PaymentBuilder().WithAmounts(100.00m, 4.99m, 7.07m, 1.01m).WithNetReceived(86.93m).Build();

        Assert.DoesNotContain(AnomalyDetector.Check(payment, null, Now), a => a.Kind == AnomalyKind.NetMismatch);
    }

    [Fact]
    public void Check_PayerFees_NotPartOfTheNet()
    {
        var payment = new PaymentBuilder().WithPayerFees(4.50m).Build();

        Assert.Empty(AnomalyDetector.Check(payment, MatchingPlan, Now));
    }

    [Fact]
    public void Check_CommissionOffPlan_ReportsBothFigures()
    {
        // Plan 5% of 150.00 = 7.50 + IGV 1.35 = 8.85 expected; Mercado Pago withheld 7.50.
        var plan = new CommissionPlan { Name = "Estándar 5%", Rate = 0.05m };
        var payment = new PaymentBuilder().Build();

        var anomaly = Assert.Single(AnomalyDetector.Check(payment, plan, Now));

        Assert.Equal(AnomalyKind.CommissionMismatch, anomaly.Kind);
        Assert.Equal(8.85m, anomaly.Expected);
        Assert.Equal(7.50m, anomaly.Actual);
        Assert.Contains("Estándar 5%", anomaly.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7.49", false)]
    [InlineData("7.51", false)]
    [InlineData("7.48", true)]
    [InlineData("7.52", true)]
    public void Check_CommissionWithinOneCentimo_Tolerated(string applicationFee, bool anomaly)
    {
        var fee = decimal.Parse(applicationFee, CultureInfo.InvariantCulture);
        var payment = new PaymentBuilder().WithAmounts(150.00m, 7.08m, fee).Build();

        var found = AnomalyDetector.Check(payment, MatchingPlan, Now);

        Assert.Equal(anomaly, found.Any(a => a.Kind == AnomalyKind.CommissionMismatch));
    }

    [Fact]
    public void Check_NoPlan_NoCommissionCheck()
    {
        var payment = new PaymentBuilder().WithAmounts(150.00m, 7.08m, 99.00m).Build();

        Assert.Empty(AnomalyDetector.Check(payment, null, Now));
    }

    [Fact]
    public void Check_ForeignCurrency_Flagged()
    {
        var payment = new PaymentBuilder().WithCurrency("USD").Build();

        var anomaly = Assert.Single(AnomalyDetector.Check(payment, MatchingPlan, Now));

        Assert.Equal(AnomalyKind.ForeignCurrency, anomaly.Kind);
        Assert.Contains("USD", anomaly.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ForeignCurrencyNeverApproved_StillFlagged()
    {
        var payment = new PaymentBuilder().WithCurrency("USD").WithStatus(PaymentStatus.Rejected, "cc_rejected_other_reason").Build();

        Assert.Equal(AnomalyKind.ForeignCurrency, Assert.Single(AnomalyDetector.Check(payment, MatchingPlan, Now)).Kind);
    }

    [Theory]
    [InlineData(PaymentStatus.Pending)]
    [InlineData(PaymentStatus.Rejected)]
    [InlineData(PaymentStatus.Cancelled)]
    public void Check_NeverApproved_NoNetOrCommissionChecks(PaymentStatus status)
    {
        var payment = new PaymentBuilder().WithStatus(status).WithNetReceived(0m).Build();

        Assert.Empty(AnomalyDetector.Check(payment, new CommissionPlan { Name = "5%", Rate = 0.05m }, Now));
    }
}
