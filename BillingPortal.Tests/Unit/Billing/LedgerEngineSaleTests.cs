using System.Globalization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>The sale entry: amounts, the commission's base/IGV split, dates in Lima, and which statuses sell.</summary>
public sealed class LedgerEngineSaleTests
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    private static List<LedgerEntry> Compute(Payment payment, LedgerPolicy? policy = null) =>
        LedgerEngine.Compute(payment, policy ?? LedgerPolicy.Default, AccountingCalendar.Lima);

    [Fact]
    public void Compute_ApprovedSale_NetEqualsNetReceivedAndCommissionSplitsBaseAndIgv()
    {
        // S/ 150.00 sale, Mercado Pago fee 7.08, application_fee 7.50 (commission incl. IGV).
        //   commission base = round2(7.50 / 1.18) = round2(6.355932…) = 6.36; IGV = 7.50 − 6.36 = 1.14
        //   net = 150.00 − 7.08 − 6.36 − 1.14 = 135.42 = net_received_amount
        var payment = new PaymentBuilder().Build();

        var entries = Compute(payment);

        var sale = Assert.Single(entries);
        Assert.Equal(LedgerEntryKind.Sale, sale.Kind);
        LedgerAssert.Columns(sale, gross: 150.00m, mercadoPagoFee: -7.08m, commissionBase: -6.36m, commissionIgv: -1.14m, otherFees: 0m, net: 135.42m);
        Assert.Equal(payment.NetReceivedAmount, sale.Net);
        Assert.Equal(2, sale.Tickets);
        Assert.Equal(payment.Id, sale.PaymentId);
        Assert.Null(sale.RefundId);
    }

    [Theory]
    // amount, MP fee, application_fee, other fees → base = round2(fee / 1.18), IGV = fee − base, net
    [InlineData("99.99", "4.72", "5.00", "0", "-4.24", "-0.76", "90.27")]      // 5.00/1.18 = 4.237… → 4.24; IGV 0.76; 99.99 − 4.72 − 5.00 = 90.27
    [InlineData("100.00", "4.99", "7.07", "1.01", "-5.99", "-1.08", "86.93")]  // 7.07/1.18 = 5.991… → 5.99; IGV 1.08; 100 − 4.99 − 7.07 − 1.01 = 86.93
    [InlineData("200.00", "0", "11.80", "0", "-10.00", "-1.80", "188.20")]     // 11.80/1.18 = 10.00 exactly
    [InlineData("1.00", "0.03", "0.06", "0", "-0.05", "-0.01", "0.91")]        // 0.06/1.18 = 0.0508… → 0.05; IGV 0.01
    [InlineData("1.00", "0", "0.01", "0", "-0.01", "0.00", "0.99")]            // 0.01/1.18 = 0.0084… → 0.01; IGV 0.00
    public void Compute_Sale_SplitsCommissionPerDomainFormula(string amount, string mpFee, string appFee, string other,
        string expectedBase, string expectedIgv, string expectedNet)
    {
        var payment = new PaymentBuilder().WithAmounts(D(amount), D(mpFee), D(appFee), D(other)).Build();

        var sale = Assert.Single(Compute(payment));

        LedgerAssert.Columns(sale, D(amount), -D(mpFee), D(expectedBase), D(expectedIgv), -D(other), D(expectedNet));
        Assert.Equal(payment.NetReceivedAmount, sale.Net);
    }

    [Fact]
    public void Compute_FeePaidByPayer_ShownOnPaymentNeverDeducted()
    {
        // The buyer paid S/ 4.50 of financing on top: total paid 154.50, but the organizer's gross stays 150.00
        // and the net stays 150.00 − 7.08 − 7.50 = 135.42. The 4.50 lives only in Payment.PayerFees.
        var payment = new PaymentBuilder().WithPayerFees(4.50m).Build();

        var sale = Assert.Single(Compute(payment));

        LedgerAssert.Columns(sale, 150.00m, -7.08m, -6.36m, -1.14m, 0m, 135.42m);
        Assert.Equal(4.50m, payment.PayerFees);
        Assert.Equal(154.50m, payment.TotalPaidAmount);
    }

    [Fact]
    public void Compute_ZeroApplicationFee_NoCommissionColumns()
    {
        // application_fee 0 → base round2(0/1.18) = 0.00, IGV 0.00; net = 150.00 − 7.08 = 142.92.
        var payment = new PaymentBuilder().WithAmounts(150.00m, 7.08m, 0m).Build();

        var sale = Assert.Single(Compute(payment));

        LedgerAssert.Columns(sale, 150.00m, -7.08m, 0m, 0m, 0m, 142.92m);
    }

    [Fact]
    public void Compute_OneCentimoSale_KeepsTheCentimo()
    {
        // S/ 0.01 with no fees: gross 0.01, net 0.01.
        var payment = new PaymentBuilder().WithAmounts(0.01m, 0m, 0m).WithTickets(1).Build();

        var sale = Assert.Single(Compute(payment));

        LedgerAssert.Columns(sale, 0.01m, 0m, 0m, 0m, 0m, 0.01m);
    }

    [Fact]
    public void Compute_AmountsWithMoreThanTwoDecimals_AreTakenToTheCentimo()
    {
        // Defensive: 150.005 → 150.01, 7.084 → 7.08, 7.495 → 7.50 (half away from zero), as the céntimo column stores them.
        var payment = new PaymentBuilder().WithAmounts(150.005m, 7.084m, 7.495m).Build();

        var sale = Assert.Single(Compute(payment));

        LedgerAssert.Columns(sale, 150.01m, -7.08m, -6.36m, -1.14m, 0m, 135.43m);
    }

    [Theory]
    [InlineData(PaymentStatus.Pending)]
    [InlineData(PaymentStatus.Rejected)]
    [InlineData(PaymentStatus.Cancelled)]
    [InlineData(PaymentStatus.Authorized)]
    [InlineData(PaymentStatus.InProcess)]
    public void Compute_NeverApproved_ProducesNoEntries(PaymentStatus status)
    {
        var payment = new PaymentBuilder().WithStatus(status, "pending_waiting_payment")
            .WithRefund(50m, new DateTimeOffset(2026, 3, 20, 10, 0, 0, Lima)).Build();

        var entries = Compute(payment);

        Assert.Empty(entries);
        Assert.False(LedgerEngine.IsSaleStatus(status));
    }

    [Theory]
    [InlineData(PaymentStatus.Approved)]
    [InlineData(PaymentStatus.Refunded)]
    [InlineData(PaymentStatus.ChargedBack)]
    [InlineData(PaymentStatus.InMediation)]
    public void IsSaleStatus_StatesThatStartedApproved_AreSales(PaymentStatus status) => Assert.True(LedgerEngine.IsSaleStatus(status));

    [Fact]
    public void Compute_InMediation_ProducesTheSaleButHeld()
    {
        var payment = new PaymentBuilder().WithStatus(PaymentStatus.InMediation, "in_process")
            .WithRelease(new DateTimeOffset(2026, 3, 1, 0, 0, 0, Lima), MoneyReleaseStatus.Released).Build();

        var sale = Assert.Single(Compute(payment));

        LedgerAssert.Columns(sale, 150.00m, -7.08m, -6.36m, -1.14m, 0m, 135.42m);
        Assert.Equal(ReleaseState.Held, sale.ReleaseState);
        Assert.False(LedgerEngine.IsCredited(sale, new DateTimeOffset(2027, 1, 1, 0, 0, 0, Lima)));
    }

    [Fact]
    public void Compute_NoDateApproved_DatedByDateCreated()
    {
        var created = new DateTimeOffset(2026, 2, 27, 21, 15, 0, TimeSpan.FromHours(-4));
        var payment = new PaymentBuilder().WithoutApprovalDate(created).Build();

        var sale = Assert.Single(Compute(payment));

        Assert.Equal(created.ToUniversalTime(), sale.OccurredAt);
        Assert.Equal(TimeSpan.Zero, sale.OccurredAt.Offset);
        Assert.Equal(new DateOnly(2026, 2, 27), sale.LocalDate); // 21:15 −04:00 = 20:15 Lima
    }

    [Theory]
    // Lima wall clock on a month boundary: 23:59:59 belongs to March, 00:00:00 to April.
    [InlineData("2026-03-31T23:59:59-05:00", "2026-03-31", 3)]
    [InlineData("2026-04-01T00:00:00-05:00", "2026-04-01", 4)]
    // Mercado Pago's −04:00 offsets are parsed, never assumed: 23:30 −04:00 = 03:30Z = 22:30 Lima on the 31st.
    [InlineData("2026-03-31T23:30:00.000-04:00", "2026-03-31", 3)]
    // 00:30 −04:00 on 1 April = 04:30Z = 23:30 Lima on 31 March: still March although the string says April.
    [InlineData("2026-04-01T00:30:00-04:00", "2026-03-31", 3)]
    // 01:00 −04:00 on 1 April = 05:00Z = 00:00 Lima: the first instant of April.
    [InlineData("2026-04-01T01:00:00.000-04:00", "2026-04-01", 4)]
    // 23:59:59.999 −05:00 on 31 December is still 2026.
    [InlineData("2026-12-31T23:59:59.999-05:00", "2026-12-31", 12)]
    public void Compute_SaleNearMidnight_FallsInTheLimaDaysMonth(string approvedAt, string expectedLocalDate, int expectedMonth)
    {
        var at = DateTimeOffset.Parse(approvedAt, CultureInfo.InvariantCulture);
        var payment = new PaymentBuilder().ApprovedAt(at).Build();
        var expectedDate = DateOnly.Parse(expectedLocalDate, CultureInfo.InvariantCulture);

        var sale = Assert.Single(Compute(payment));
        var month = DatePeriod.Month(2026, expectedMonth);
        var (startUtc, endUtc) = AccountingCalendar.Lima.Range(month);

        Assert.Equal(expectedDate, sale.LocalDate);
        Assert.True(month.Contains(sale.LocalDate));
        Assert.InRange(sale.OccurredAt, startUtc, endUtc.AddTicks(-1));
        var otherMonth = expectedMonth == 3 ? DatePeriod.Month(2026, 4) : DatePeriod.Month(2026, expectedMonth - 1);
        Assert.False(otherMonth.Contains(sale.LocalDate));
        var (otherStart, otherEnd) = AccountingCalendar.Lima.Range(otherMonth);
        Assert.False(sale.OccurredAt >= otherStart && sale.OccurredAt < otherEnd);
    }

    [Fact]
    public void Compute_Entries_CarryPaymentContext()
    {
        var release = new DateTimeOffset(2026, 3, 28, 23, 30, 0, Lima);
        var payment = new PaymentBuilder().ForOrganizer(7).WithEvent(42).WithRelease(release, MoneyReleaseStatus.Pending).Build();

        var sale = Assert.Single(Compute(payment));

        Assert.Equal(7, sale.OrganizerId);
        Assert.Equal(42, sale.EventId);
        Assert.Equal("PEN", sale.Currency);
        Assert.Equal("visa", sale.PaymentMethodId);
        Assert.Equal("credit_card", sale.PaymentTypeId);
        Assert.Equal(PaymentStatus.Approved, sale.PaymentStatus);
        Assert.Equal(release.ToUniversalTime(), sale.MoneyReleaseDate);
        Assert.Equal(new DateOnly(2026, 3, 28), sale.ReleaseLocalDate); // 04:30Z on the 29th is the 28th in Lima
        Assert.Equal(ReleaseState.Pending, sale.ReleaseState);
    }

    private static decimal D(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
