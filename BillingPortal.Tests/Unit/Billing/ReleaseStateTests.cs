using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>Pending vs credited (acreditado): money_release_status, else the release date while approved; held in mediation.</summary>
public sealed class ReleaseStateTests
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly DateTimeOffset ReleaseAt = new(2026, 3, 28, 18, 2, 13, Lima);

    [Theory]
    [InlineData(PaymentStatus.Approved, MoneyReleaseStatus.Released, true, ReleaseState.Released)]
    [InlineData(PaymentStatus.Approved, MoneyReleaseStatus.Pending, true, ReleaseState.Pending)]
    [InlineData(PaymentStatus.Approved, null, true, ReleaseState.ReleasesOnDate)]
    [InlineData(PaymentStatus.Approved, null, false, ReleaseState.Pending)]
    [InlineData(PaymentStatus.Refunded, MoneyReleaseStatus.Released, true, ReleaseState.Released)]
    [InlineData(PaymentStatus.Refunded, null, true, ReleaseState.Pending)]
    [InlineData(PaymentStatus.ChargedBack, null, true, ReleaseState.Pending)]
    [InlineData(PaymentStatus.InMediation, MoneyReleaseStatus.Released, true, ReleaseState.Held)]
    [InlineData(PaymentStatus.InMediation, null, true, ReleaseState.Held)]
    public void ReleaseStateOf_StatusAndRelease_GivesState(PaymentStatus status, MoneyReleaseStatus? releaseStatus, bool hasDate, ReleaseState expected)
    {
        var payment = new PaymentBuilder().WithStatus(status).WithRelease(hasDate ? ReleaseAt : null, releaseStatus).Build();

        Assert.Equal(expected, LedgerEngine.ReleaseStateOf(payment));
    }

    [Fact]
    public void IsCredited_Released_CreditedWhateverTheDate()
    {
        var payment = new PaymentBuilder().WithRelease(ReleaseAt, MoneyReleaseStatus.Released).Build();
        var sale = Assert.Single(LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima));

        Assert.True(LedgerEngine.IsCredited(sale, ReleaseAt.AddDays(-10)));
        Assert.True(LedgerEngine.IsCredited(sale, ReleaseAt.AddDays(10)));
    }

    [Fact]
    public void IsCredited_PendingStatus_NotCreditedEvenAfterTheDate()
    {
        var payment = new PaymentBuilder().WithRelease(ReleaseAt, MoneyReleaseStatus.Pending).Build();
        var sale = Assert.Single(LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima));

        Assert.False(LedgerEngine.IsCredited(sale, ReleaseAt.AddDays(10)));
    }

    [Fact]
    public void IsCredited_AbsentStatusApproved_CreditedFromTheReleaseInstant()
    {
        var payment = new PaymentBuilder().WithRelease(ReleaseAt, null).Build();
        var sale = Assert.Single(LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima));

        Assert.Equal(ReleaseState.ReleasesOnDate, sale.ReleaseState);
        Assert.False(LedgerEngine.IsCredited(sale, ReleaseAt.AddTicks(-1)));
        Assert.True(LedgerEngine.IsCredited(sale, ReleaseAt));
        Assert.True(LedgerEngine.IsCredited(sale, ReleaseAt.AddDays(1)));
    }

    [Fact]
    public void IsCredited_AbsentStatusNoLongerApproved_NotCreditedAfterTheDate()
    {
        // Release date passed, but the payment was fully refunded: "credited once the date has passed and the payment is
        // still approved" — it is not approved any more, so neither the sale nor the refund line is credited.
        var payment = new PaymentBuilder().WithRelease(ReleaseAt, null)
            .WithRefund(150.00m, ReleaseAt.AddDays(-3)).WithStatus(PaymentStatus.Refunded, "refunded").Build();

        var entries = LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima);

        Assert.All(entries, e => Assert.Equal(ReleaseState.Pending, e.ReleaseState));
        Assert.All(entries, e => Assert.False(LedgerEngine.IsCredited(e, ReleaseAt.AddDays(30))));
    }

    [Fact]
    public void IsCredited_InMediation_NeverCredited()
    {
        var payment = new PaymentBuilder().WithStatus(PaymentStatus.InMediation, "in_process").WithRelease(ReleaseAt, null).Build();
        var sale = Assert.Single(LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima));

        Assert.Equal(ReleaseState.Held, sale.ReleaseState);
        Assert.False(LedgerEngine.IsCredited(sale, ReleaseAt.AddYears(1)));
    }
}
