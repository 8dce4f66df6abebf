using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Tests.Integration.MercadoPago.Payments;

/// <summary><c>POST</c>/<c>GET /v1/payments/{id}/refunds</c> on the emulator over HTTP (§4.1, §6.3).</summary>
public sealed class PaymentRefundTests : IAsyncLifetime
{
    private SandboxPaymentsKit _mp = null!;
    private MpPayment _sale = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _mp = await SandboxPaymentsKit.StartAsync(null, Ct);
        _sale = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 150m, TimeSpan.FromDays(2), Ct, "ord_r");
    }

    public async ValueTask DisposeAsync() => await _mp.DisposeAsync();

    [Fact]
    public async Task Refund_WithoutIdempotencyKey_400Code4292AndNothingChanges()
    {
        using var response = await _mp.RefundAsync(_sale.Id, _mp.TokenA, null, """{"amount": 10}""", Ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("4292", json["cause"]![0]!["code"]!.ToString());
        Assert.Equal("Header X-Idempotency-Key can't be null", json["message"]!.GetValue<string>());
        Assert.Empty((await PaymentAsync()).Refunds!);
    }

    [Fact]
    public async Task Refund_Partial_201WithTheRefundObjectAndThePaymentUpdated()
    {
        _mp.Server.Clock.Advance(TimeSpan.FromHours(3));

        using var response = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-1", """{"amount": 50}""", Ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var payment = await PaymentAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(_sale.Id, json["payment_id"]!.GetValue<long>());
        Assert.Equal(50m, json["amount"]!.GetValue<decimal>());
        Assert.Equal("approved", json["status"]!.GetValue<string>());
        Assert.Equal("standard", json["refund_mode"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Object, json["source"]!.GetValueKind());
        Assert.Equal(SandboxPaymentsKit.SellerA.ToString(CultureInfo.InvariantCulture), json["source"]!["id"]!.GetValue<string>());
        Assert.Equal("collector", json["source"]!["type"]!.GetValue<string>());
        Assert.Empty(json["labels"]!.AsArray());
        Assert.Equal(50m, json["amount_refunded_to_payer"]!.GetValue<decimal>());
        Assert.Equal("approved", payment.Status);
        Assert.Equal("partially_refunded", payment.StatusDetail);
        Assert.Equal(50m, payment.TransactionAmountRefunded);
        Assert.Equal(json["id"]!.GetValue<long>(), Assert.Single(payment.Refunds!).Id);
        Assert.True(payment.DateLastUpdated > _sale.DateLastUpdated!.Value.AddHours(2));
    }

    [Fact]
    public async Task Refund_SameKeyTwice_TheSameRefundAndNoDuplicate()
    {
        using var first = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-same", """{"amount": 20}""", Ct);
        using var again = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-same", """{"amount": 20}""", Ct);
        using var otherAmount = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-same", """{"amount": 30}""", Ct);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Conflict, otherAmount.StatusCode);
        var payment = await PaymentAsync();
        Assert.Single(payment.Refunds!);
        Assert.Equal(20m, payment.TransactionAmountRefunded);
    }

    [Fact]
    public async Task Refund_PartialThenFull_TheRestIsRefundedAndThePaymentIsRefunded()
    {
        using var partial = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-a", """{"amount": 40.50}""", Ct);
        using var full = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-b", "{}", Ct);
        using var list = await _mp.GetAsync($"v1/payments/{_sale.Id}/refunds", _mp.TokenA, Ct);
        var refunds = JsonSerializer.Deserialize(await list.Content.ReadAsStringAsync(Ct), MercadoPagoJsonContext.Default.IReadOnlyListMpRefund)!;
        var payment = await PaymentAsync();

        Assert.Equal(HttpStatusCode.Created, full.StatusCode);
        Assert.Equal(109.50m, JsonNode.Parse(await full.Content.ReadAsStringAsync(Ct))!["amount"]!.GetValue<decimal>());
        Assert.Equal("refunded", payment.Status);
        Assert.Equal("refunded", payment.StatusDetail);
        Assert.Equal(150m, payment.TransactionAmountRefunded);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal([40.50m, 109.50m], refunds.Select(r => r.Amount));
    }

    [Fact]
    public async Task Refund_EmptyBody_RefundsTheWhole()
    {
        using var response = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-empty", null, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("refunded", (await PaymentAsync()).Status);
    }

    [Fact]
    public async Task Refund_MoreThanRemains_400Code2063()
    {
        using var partial = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-1", """{"amount": 100}""", Ct);
        using var over = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-2", """{"amount": 50.01}""", Ct);
        var json = JsonNode.Parse(await over.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal("2063", json["cause"]![0]!["code"]!.ToString());
        Assert.Equal(100m, (await PaymentAsync()).TransactionAmountRefunded);
    }

    [Fact]
    public async Task Refund_PendingOrRefundedPayment_400Code2063()
    {
        var pending = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 70m, TimeSpan.FromHours(1), Ct, status: "pending");
        using var full = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-full", null, Ct);

        using var ofPending = await _mp.RefundAsync(pending.Id, _mp.TokenA, "key-p", null, Ct);
        using var ofRefunded = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-again", """{"amount": 1}""", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, ofPending.StatusCode);
        Assert.Equal("2063", JsonNode.Parse(await ofPending.Content.ReadAsStringAsync(Ct))!["cause"]![0]!["code"]!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, ofRefunded.StatusCode);
    }

    [Fact]
    public async Task Refund_AnotherSellersPayment_404AndNothingChanges()
    {
        using var response = await _mp.RefundAsync(_sale.Id, _mp.TokenB, "key-b", null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("2000", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["cause"]![0]!["code"]!.ToString());
        Assert.Equal(0m, (await PaymentAsync()).TransactionAmountRefunded);
    }

    [Fact]
    public async Task Refund_QueuesPaymentUpdated()
    {
        using var response = await _mp.RefundAsync(_sale.Id, _mp.TokenA, "key-n", """{"amount": 5}""", Ct);

        var notifications = await _mp.NotificationsAsync(Ct);
        Assert.Contains(notifications, n => n!["action"]!.GetValue<string>() == "payment.created" && n["data_id"]!.GetValue<string>() == _sale.Id.ToString(CultureInfo.InvariantCulture));
        var updated = Assert.Single(notifications, n => n!["action"]!.GetValue<string>() == "payment.updated");
        Assert.Equal(_sale.Id.ToString(CultureInfo.InvariantCulture), updated!["data_id"]!.GetValue<string>());
        Assert.Equal(SandboxPaymentsKit.SellerA, updated["user_id"]!.GetValue<long>());
        Assert.Equal("pending", updated["state"]!.GetValue<string>());
    }

    private async Task<MpPayment> PaymentAsync() =>
        JsonSerializer.Deserialize(await _mp.Http.GetStringAsync($"_admin/payments/{_sale.Id}", Ct), MercadoPagoJsonContext.Default.MpPayment)!;
}
