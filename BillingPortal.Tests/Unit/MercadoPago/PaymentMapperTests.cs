using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;

namespace BillingPortal.Tests.Unit.MercadoPago;

public sealed class PaymentMapperTests
{
    private static readonly DateTimeOffset SyncedAt = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);

    private static Purchase PurchaseFor(string reference, int tickets = 2) => new()
    {
        Id = 5521,
        ExternalId = reference,
        OrganizerId = 3,
        EventId = 778,
        BuyerEmail = "comprador@example.com",
        Tickets = tickets,
        Amount = 150.00m,
    };

    [Fact]
    public void ToEntity_ApprovedFixture_AggregatesFeesAndMapsEveryField()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);

        var payment = PaymentMapper.ToEntity(source, organizerId: 3, PurchaseFor("ord_5521"), SyncedAt);

        Assert.Equal((91234567890L, 3, 241983636L), (payment.Id, payment.OrganizerId, payment.CollectorId));
        Assert.Equal((5521L, 778, 2), (payment.PurchaseId!.Value, payment.EventId!.Value, payment.Tickets));
        Assert.Equal((PaymentStatus.Approved, "accredited", "PEN"), (payment.Status, payment.StatusDetail, payment.CurrencyId));
        Assert.Equal((150.00m, 0m, 135.42m, 150.00m), (payment.TransactionAmount, payment.TransactionAmountRefunded, payment.NetReceivedAmount, payment.TotalPaidAmount));
        Assert.Equal((7.08m, 7.50m, 0m, 0m), (payment.MercadoPagoFee, payment.ApplicationFee, payment.OtherCollectorFees, payment.PayerFees));
        Assert.Equal(2, payment.Fees.Count);
        Assert.All(payment.Fees, f => Assert.Equal(FeePayer.Collector, f.FeePayer));
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 23, 2, 13, TimeSpan.Zero), payment.DateApproved);
        Assert.Equal(TimeSpan.Zero, payment.DateApproved!.Value.Offset);
        Assert.Equal(TimeSpan.Zero, payment.DateCreated.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 2, 13, TimeSpan.Zero), payment.MoneyReleaseDate);
        Assert.Equal(MoneyReleaseStatus.Pending, payment.MoneyReleaseStatus);
        Assert.Equal(("visa", "credit_card", 1), (payment.PaymentMethodId, payment.PaymentTypeId, payment.Installments));
        Assert.Equal(("comprador@example.com", "DNI", "12345678"), (payment.PayerEmail, payment.PayerIdentificationType, payment.PayerIdentificationNumber));
        Assert.Equal("Entrada General - Concierto X", payment.Description);
        Assert.True(payment.LiveMode);
        Assert.Equal(SyncedAt, payment.SyncedAt);
        var observed = Assert.Single(payment.StatusHistory);
        Assert.Equal((PaymentStatus.Approved, "accredited", payment.DateLastUpdated, SyncedAt), (observed.Status, observed.StatusDetail, observed.ChangedAt, observed.RecordedAt));
    }

    [Fact]
    public void ToEntity_ApprovedFixture_LedgerSaleNetsToNetReceived()
    {
        var payment = PaymentMapper.ToEntity(MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved), 3, PurchaseFor("ord_5521"), SyncedAt);

        var sale = Assert.Single(LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima));

        Assert.Equal(payment.NetReceivedAmount, sale.Net);
        Assert.Equal((-6.36m, -1.14m), (sale.CommissionBase, sale.CommissionIgv));
        Assert.Equal(new DateOnly(2026, 3, 14), sale.LocalDate);
    }

    [Fact]
    public void ToEntity_RefundedFixture_MapsTheRefundAndReversesTheSale()
    {
        // §3.7 is a partial document: the dates it leaves out are those of §3.6, the same payment before the refund.
        var approved = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);
        var refunded = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Refunded) with { DateCreated = approved.DateCreated, DateApproved = approved.DateApproved };

        var payment = PaymentMapper.ToEntity(refunded, 3, PurchaseFor("ord_5521"), SyncedAt);

        var refund = Assert.Single(payment.Refunds);
        Assert.Equal((PaymentStatus.Refunded, 150.00m), (payment.Status, payment.TransactionAmountRefunded));
        Assert.Equal((1032332129L, 91234567890L, 150.00m, "approved", "collector"), (refund.Id, refund.PaymentId, refund.Amount, refund.Status, refund.SourceType));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 14, 15, 40, 312, TimeSpan.Zero), refund.DateCreated);
        Assert.Equal(TimeSpan.Zero, refund.DateCreated.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 14, 15, 42, TimeSpan.Zero), payment.DateLastUpdated);
        var entries = LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima);
        Assert.Equal([LedgerEntryKind.Sale, LedgerEntryKind.Refund], entries.Select(e => e.Kind));
        Assert.Equal(0m, entries.Sum(e => e.Net));
    }

    [Fact]
    public void ToEntity_PayerFinancingFee_IsShownButNotDeducted()
    {
        var payment = PaymentMapper.ToEntity(MercadoPagoFixtures.Payment(MercadoPagoFixtures.PartiallyRefunded), 3, PurchaseFor("ord_7781", tickets: 3), SyncedAt);

        Assert.Equal((36.44m, 44.65m, 0m, 81.73m), (payment.MercadoPagoFee, payment.ApplicationFee, payment.OtherCollectorFees, payment.PayerFees));
        Assert.Equal((PaymentStatus.Approved, "partially_refunded", 320.50m), (payment.Status, payment.StatusDetail, payment.TransactionAmountRefunded));
        Assert.Equal((6, 1043.23m), (payment.Installments, payment.TotalPaidAmount));
        Assert.Equal(MoneyReleaseStatus.Released, payment.MoneyReleaseStatus);
        Assert.Equal(3, payment.Fees.Count);
        Assert.Equal(FeePayer.Payer, payment.Fees.Single(f => f.Type == "financing_fee").FeePayer);
        var sale = LedgerEngine.Compute(payment, LedgerPolicy.Default, AccountingCalendar.Lima)[0];
        Assert.Equal(payment.NetReceivedAmount, sale.Net);
    }

    [Fact]
    public void ToEntity_UnknownCollectorFeeType_CountsAsOtherCollectorFees()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved) with
        {
            FeeDetails =
            [
                new MpFeeDetail { Type = "mercadopago_fee", Amount = 7.08m, FeePayer = "collector" },
                new MpFeeDetail { Type = "brand_new_fee", Amount = 1.25m, FeePayer = "COLLECTOR" },
                new MpFeeDetail { Type = "shipping_fee", Amount = 3.00m, FeePayer = "collector" },
            ],
        };

        var payment = PaymentMapper.ToEntity(source, 3, null, SyncedAt);

        Assert.Equal((7.08m, 0m, 4.25m), (payment.MercadoPagoFee, payment.ApplicationFee, payment.OtherCollectorFees));
    }

    [Fact]
    public void ToEntity_UnknownStatus_ThrowsNamingTheField()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved) with { Status = "on_hold" };

        var error = Assert.Throws<MercadoPagoMappingException>(() => PaymentMapper.ToEntity(source, 3, null, SyncedAt));

        Assert.Equal(("status", 91234567890L), (error.Field, error.PaymentId!.Value));
        Assert.Contains("on_hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEntity_UnknownFeePayer_Throws()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved) with
        {
            FeeDetails = [new MpFeeDetail { Type = "mercadopago_fee", Amount = 7.08m, FeePayer = "platform" }],
        };

        var error = Assert.Throws<MercadoPagoMappingException>(() => PaymentMapper.ToEntity(source, 3, null, SyncedAt));

        Assert.Equal("fee_details[0].fee_payer", error.Field);
    }

    [Fact]
    public void ToEntity_MissingCollector_Throws()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved) with { CollectorId = null };

        Assert.Equal("collector_id", Assert.Throws<MercadoPagoMappingException>(() => PaymentMapper.ToEntity(source, 3, null, SyncedAt)).Field);
    }

    [Fact]
    public void ToEntity_MissingDateCreated_Throws()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Refunded);

        Assert.Equal("date_created", Assert.Throws<MercadoPagoMappingException>(() => PaymentMapper.ToEntity(source, 3, null, SyncedAt)).Field);
    }

    [Theory]
    [InlineData("released", MoneyReleaseStatus.Released)]
    [InlineData("pending", MoneyReleaseStatus.Pending)]
    [InlineData("something_new", MoneyReleaseStatus.Pending)]
    [InlineData(null, null)]
    public void ToEntity_ReleaseStatus_MapsWithPendingFallback(string? wire, MoneyReleaseStatus? expected)
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved) with { MoneyReleaseStatus = wire };

        Assert.Equal(expected, PaymentMapper.ToEntity(source, 3, null, SyncedAt).MoneyReleaseStatus);
    }

    [Theory]
    [InlineData("charged_back", PaymentStatus.ChargedBack)]
    [InlineData("in_mediation", PaymentStatus.InMediation)]
    [InlineData("IN_PROCESS", PaymentStatus.InProcess)]
    [InlineData("cancelled", PaymentStatus.Cancelled)]
    public void ToEntity_Statuses_MapToTheEnum(string wire, PaymentStatus expected)
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved) with { Status = wire };

        Assert.Equal(expected, PaymentMapper.ToEntity(source, 3, null, SyncedAt).Status);
        Assert.Equal(wire.ToLowerInvariant(), MercadoPagoStatuses.ToWire(expected));
    }

    [Fact]
    public void ToEntity_NoMatchedPurchase_LeavesPurchaseEventAndTicketsEmpty()
    {
        var payment = PaymentMapper.ToEntity(MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved), 3, null, SyncedAt);

        Assert.Equal((null, null, 0), (payment.PurchaseId, payment.EventId, payment.Tickets));
        Assert.Equal("ord_5521", payment.ExternalReference);
    }

    [Fact]
    public void ToEntity_PurchaseOfAnotherReference_IsRejected()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);

        Assert.Throws<ArgumentException>(() => PaymentMapper.ToEntity(source, 3, PurchaseFor("ord_9999"), SyncedAt));
    }

    [Fact]
    public void ToEntity_LongDescription_IsCutToTheColumn()
    {
        var source = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved) with { Description = new string('x', 400) };

        Assert.Equal(PaymentMapper.DescriptionMaxLength, PaymentMapper.ToEntity(source, 3, null, SyncedAt).Description!.Length);
    }
}
