using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Tests.Unit.MercadoPago;

public sealed class MercadoPagoJsonContextTests
{
    private static readonly TimeSpan MinusFour = TimeSpan.FromHours(-4);

    [Fact]
    public void Deserialize_ApprovedFixture_ReadsEveryBillingField()
    {
        var payment = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);

        Assert.Equal(91234567890, payment.Id);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 19, 2, 11, MinusFour), payment.DateCreated);
        Assert.Equal(MinusFour, payment.DateApproved!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 2, 13, TimeSpan.Zero), payment.MoneyReleaseDate!.Value.ToUniversalTime());
        Assert.Equal("pending", payment.MoneyReleaseStatus);
        Assert.Null(payment.MoneyReleaseSchema);
        Assert.Equal("regular_payment", payment.OperationType);
        Assert.Equal(("visa", "credit_card", "1"), (payment.PaymentMethodId, payment.PaymentTypeId, payment.IssuerId));
        Assert.Equal(("approved", "accredited", "PEN"), (payment.Status, payment.StatusDetail, payment.CurrencyId));
        Assert.Equal(241983636, payment.CollectorId);
        Assert.Equal(112233445, payment.MarketplaceOwner);
        Assert.Equal("comprador@example.com", payment.Payer!.Email);
        Assert.Equal(("DNI", "12345678"), (payment.Payer.Identification!.Type, payment.Payer.Identification.Number));
        Assert.Equal("ord_5521", payment.Metadata!["order_id"]!.GetValue<string>());
        Assert.Equal((2, 75.0m), (payment.AdditionalInfo!.Items![0].Quantity!.Value, payment.AdditionalInfo.Items[0].UnitPrice!.Value));
        Assert.Equal(("15512612126", "mercadopago"), (payment.Order!.Id, payment.Order.Type));
        Assert.Equal("ord_5521", payment.ExternalReference);
        Assert.Equal((150.00m, 0m, 1), (payment.TransactionAmount, payment.TransactionAmountRefunded!.Value, payment.Installments!.Value));
        Assert.Equal(135.42m, payment.TransactionDetails!.NetReceivedAmount);
        Assert.Equal(150.00m, payment.TransactionDetails.TotalPaidAmount);
        Assert.Equal(
            [("mercadopago_fee", 7.08m, "collector"), ("application_fee", 7.50m, "collector")],
            payment.FeeDetails!.Select(f => (f.Type, f.Amount, f.FeePayer)).ToArray());
        Assert.Empty(payment.ChargesDetails!);
        Assert.True(payment.Captured);
        Assert.False(payment.BinaryMode);
        Assert.Equal(("411111", "1111", 11, 2030), (payment.Card!.FirstSixDigits, payment.Card.LastFourDigits, payment.Card.ExpirationMonth!.Value, payment.Card.ExpirationYear!.Value));
        Assert.Equal("JUAN PEREZ", payment.Card.Cardholder!.Name);
        Assert.Empty(payment.Refunds!);
        Assert.Equal("aggregator", payment.ProcessingMode);
        Assert.Equal("checkout_pro", payment.PointOfInteraction!.BusinessInfo!.SubUnit);
        Assert.Null(payment.AdditionalProperties);
    }

    [Fact]
    public void Serialize_ApprovedFixture_ReproducesTheDocumentedJson()
    {
        var original = MercadoPagoFixtures.Text(MercadoPagoFixtures.Approved);
        var payment = JsonSerializer.Deserialize(original, MercadoPagoJsonContext.Default.MpPayment)!;

        var written = JsonSerializer.Serialize(payment, MercadoPagoJsonContext.Default.MpPayment);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), JsonNode.Parse(written)), written);
    }

    [Fact]
    public void Serialize_Dates_WriteMillisecondsAndTheValuesOwnOffset()
    {
        var payment = new MpPayment
        {
            Id = 1,
            DateCreated = new DateTimeOffset(2026, 3, 14, 19, 2, 13, MinusFour),
            DateApproved = new DateTimeOffset(2026, 3, 14, 23, 2, 13, 7, TimeSpan.Zero),
            Status = "approved",
        };

        var json = JsonSerializer.Serialize(payment, MercadoPagoJsonContext.Default.MpPayment);

        Assert.Contains("\"date_created\":\"2026-03-14T19:02:13.000-04:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"date_approved\":\"2026-03-14T23:02:13.007+00:00\"", json, StringComparison.Ordinal);
        Console.WriteLine(json);
        Assert.Contains("\"date_last_updated\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_RefundedFixture_ReadsTheRefund()
    {
        var payment = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Refunded);

        var refund = Assert.Single(payment.Refunds!);
        Assert.Equal(("refunded", "refunded", 150.00m), (payment.Status, payment.StatusDetail, payment.TransactionAmountRefunded!.Value));
        Assert.Equal((1032332129L, 91234567890L, 150.00m), (refund.Id, refund.PaymentId, refund.Amount));
        Assert.Equal(("241983636", "Organizer SAC", "collector"), (refund.Source!.Id, refund.Source.Name, refund.Source.Type));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 15, 40, 312, MinusFour), refund.DateCreated);
        Assert.Equal(("standard", "approved", 150.00m), (refund.RefundMode, refund.Status, refund.AmountRefundedToPayer!.Value));
        Assert.Empty(refund.Labels!);
        Assert.Null(payment.Card);
        Assert.Null(payment.AdditionalProperties);
    }

    [Fact]
    public void Deserialize_TolerantVariants_AreAccepted()
    {
        var payment = MercadoPagoFixtures.Payment(MercadoPagoFixtures.PartiallyRefunded);

        Assert.Equal("2", payment.IssuerId);
        Assert.Equal("1537275505", payment.Payer!.Id);
        Assert.Equal("15512612999", payment.Order!.Id);
        Assert.Equal((3, 320.5m), (payment.AdditionalInfo!.Items![0].Quantity!.Value, payment.AdditionalInfo.Items[0].UnitPrice!.Value));
        Assert.Equal(new DateTimeOffset(2026, 5, 3, 1, 40, 5, TimeSpan.Zero), payment.Card!.DateCreated);
        var refund = Assert.Single(payment.Refunds!);
        Assert.Equal(("241983636", "collector"), (refund.Source!.Id, refund.Source.Type));
        Assert.Empty(refund.Label!);
        Assert.Null(refund.Labels);
    }

    [Fact]
    public void Deserialize_UnknownField_IsKeptAndWrittenBack()
    {
        var payment = MercadoPagoFixtures.Payment(MercadoPagoFixtures.PartiallyRefunded);

        var written = JsonNode.Parse(JsonSerializer.Serialize(payment, MercadoPagoJsonContext.Default.MpPayment))!;

        Assert.True(payment.AdditionalProperties!.ContainsKey("some_future_field"));
        Assert.Equal(3, written["some_future_field"]!["nested"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("2026-03-14T19:02:13.000")]
    [InlineData("2026-03-14")]
    [InlineData("not a date")]
    public void Deserialize_DateWithoutOffset_IsRejected(string value)
    {
        var json = $$"""{"id":1,"date_created":"{{value}}","status":"approved"}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpPayment));

        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SearchEnvelope_RoundTrips()
    {
        var json = $$"""{"paging":{"total":17493,"limit":30,"offset":60},"results":[{{MercadoPagoFixtures.Text(MercadoPagoFixtures.Approved)}}]}""";

        var page = JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpPaymentSearchResponse)!;
        var written = JsonSerializer.Serialize(page, MercadoPagoJsonContext.Default.MpPaymentSearchResponse);

        Assert.Equal((17493L, 30, 60), (page.Paging.Total, page.Paging.Limit, page.Paging.Offset));
        Assert.Equal(91234567890, Assert.Single(page.Results).Id);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)));
    }

    [Fact]
    public void ErrorBody_NumericCauseCode_IsRead()
    {
        const string json = """{"message":"Payment not found","error":"not_found","status":404,"cause":[{"code":2000,"description":"Payment not found","data":"30-01-2026T12:28:24UTC;849024d3"}]}""";

        var error = JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpErrorResponse)!;

        Assert.Equal(("not_found", 404), (error.Error, error.Status!.Value));
        Assert.Equal("2000", Assert.Single(error.Cause!).Code);
    }

    [Theory]
    [InlineData(MercadoPagoFixtures.Approved)]
    [InlineData(MercadoPagoFixtures.Refunded)]
    [InlineData(MercadoPagoFixtures.PartiallyRefunded)]
    public void FastWriter_Fixture_WritesTheSameBytesAsTheContext(string fixture)
    {
        var payment = MercadoPagoFixtures.Payment(fixture);

        var expected = JsonSerializer.SerializeToUtf8Bytes(payment, MercadoPagoJsonContext.Default.MpPayment);
        var actual = MpPaymentJsonWriter.ToUtf8Bytes(payment);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
    }
}
