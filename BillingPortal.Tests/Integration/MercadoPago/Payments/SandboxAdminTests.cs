using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Tests.Integration.MercadoPago.Payments;

/// <summary>The emulator's admin surface over HTTP: sales, approvals, chargebacks, releases, time, faults and the page.</summary>
public sealed class SandboxAdminTests : IAsyncLifetime
{
    private SandboxPaymentsKit _mp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _mp = await SandboxPaymentsKit.StartAsync(null, Ct);

    public async ValueTask DisposeAsync() => await _mp.DisposeAsync();

    [Fact]
    public async Task Sale_Approved_FeesNetAndReleaseLikeTheDemoData()
    {
        var sale = await _mp.CreateSaleAsync(new { seller_id = SandboxPaymentsKit.SellerA, amount = 200.00m, payment_method_id = "visa", external_reference = "ord_9", application_fee = 12.50m }, Ct);

        Assert.Equal("approved", sale.Status);
        Assert.Equal("accredited", sale.StatusDetail);
        Assert.Equal(SandboxPaymentsKit.SellerA, sale.CollectorId);
        Assert.Equal("ord_9", sale.ExternalReference);
        Assert.Equal("PEN", sale.CurrencyId);
        Assert.Equal("credit_card", sale.PaymentTypeId);
        Assert.Equal(TimeSpan.FromHours(-4), sale.DateCreated.Offset);
        var fees = sale.FeeDetails!.ToDictionary(f => f.Type!, f => f.Amount);
        Assert.Equal(7.58m, fees["mercadopago_fee"]);
        Assert.Equal(12.50m, fees["application_fee"]);
        Assert.All(sale.FeeDetails!, f => Assert.Equal("collector", f.FeePayer));
        Assert.Equal(200m - 7.58m - 12.50m, sale.TransactionDetails!.NetReceivedAmount);
        Assert.Equal(sale.DateApproved!.Value.AddDays(14), sale.MoneyReleaseDate);
        Assert.Equal("pending", sale.MoneyReleaseStatus);
        Assert.NotNull(sale.Payer!.Email);
        Assert.NotNull(sale.Card);
    }

    [Fact]
    public async Task Sale_DefaultCommission_IsTheSandboxPlanWithIgv()
    {
        var sale = await _mp.CreateSaleAsync(new { seller_id = SandboxPaymentsKit.SellerA, amount = 100m, payment_method_id = "yape", tickets = 2 }, Ct);

        // base = 100 × 5% + 2 × 1.00 = 7.00; IGV 1.26 → 8.26. Yape: 2.95% → 2.95; released 2 days after approval.
        Assert.Equal(8.26m, sale.FeeDetails!.Single(f => f.Type == "application_fee").Amount);
        Assert.Equal(2.95m, sale.FeeDetails!.Single(f => f.Type == "mercadopago_fee").Amount);
        Assert.Equal(sale.DateApproved!.Value.AddDays(2), sale.MoneyReleaseDate);
        Assert.Null(sale.Card);
    }

    [Fact]
    public async Task Sale_PendingThenApproved_GetsItsCommissionFeesAndBuyerOnApproval()
    {
        var pending = await _mp.CreateSaleAsync(new { seller_id = SandboxPaymentsKit.SellerB, amount = 80m, payment_method_id = "pagoefectivo_atm", status = "pending", application_fee = 4.72m }, Ct);
        _mp.Server.Clock.Advance(TimeSpan.FromHours(5));

        using var response = await _mp.AdminAsync($"_admin/payments/{pending.Id}/approve", new { }, Ct);
        var approved = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Ct), MercadoPagoJsonContext.Default.MpPayment)!;

        Assert.Equal("pending", pending.Status);
        Assert.Equal("pending_waiting_payment", pending.StatusDetail);
        Assert.Empty(pending.FeeDetails!);
        Assert.Null(pending.Payer!.Email);
        Assert.NotNull(pending.DateOfExpiration);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("approved", approved.Status);
        Assert.Equal(4.72m, approved.FeeDetails!.Single(f => f.Type == "application_fee").Amount);
        Assert.Equal(3.79m, approved.FeeDetails!.Single(f => f.Type == "mercadopago_fee").Amount);
        Assert.Equal(80m - 4.72m - 3.79m, approved.TransactionDetails!.NetReceivedAmount);
        Assert.NotNull(approved.Payer!.Email);
        Assert.True(approved.DateApproved > pending.DateCreated.AddHours(4));
        Assert.Equal(approved.DateApproved, approved.DateLastUpdated);
        Assert.Contains(await _mp.NotificationsAsync(Ct), n => n!["action"]!.GetValue<string>() == "payment.updated" && n["data_id"]!.GetValue<string>() == pending.Id.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Sale_BadRequests_MercadoPagoShapedErrors()
    {
        using var unknownSeller = await _mp.AdminAsync("_admin/sales", new { seller_id = 1, amount = 10m }, Ct);
        using var feeTooHigh = await _mp.AdminAsync("_admin/sales", new { seller_id = SandboxPaymentsKit.SellerA, amount = 10m, application_fee = 11m }, Ct);
        using var method = await _mp.AdminAsync("_admin/sales", new { seller_id = SandboxPaymentsKit.SellerA, amount = 10m, payment_method_id = "bitcoin" }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknownSeller.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, feeTooHigh.StatusCode);
        Assert.Equal("4038", JsonNode.Parse(await feeTooHigh.Content.ReadAsStringAsync(Ct))!["cause"]![0]!["code"]!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, method.StatusCode);
    }

    [Fact]
    public async Task Chargeback_InProcessThenReimbursed_StatusAndDetailChange()
    {
        var sale = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 90m, TimeSpan.FromDays(30), Ct);

        using var opened = await _mp.AdminAsync($"_admin/payments/{sale.Id}/chargeback", new { status_detail = "in_process" }, Ct);
        _mp.Server.Clock.Advance(TimeSpan.FromDays(20));
        using var resolved = await _mp.AdminAsync($"_admin/payments/{sale.Id}/chargeback", new { status_detail = "reimbursed" }, Ct);
        using var invalid = await _mp.AdminAsync($"_admin/payments/{sale.Id}/chargeback", new { status_detail = "lost" }, Ct);
        var first = JsonSerializer.Deserialize(await opened.Content.ReadAsStringAsync(Ct), MercadoPagoJsonContext.Default.MpPayment)!;
        var second = JsonSerializer.Deserialize(await resolved.Content.ReadAsStringAsync(Ct), MercadoPagoJsonContext.Default.MpPayment)!;

        Assert.Equal(("charged_back", "in_process"), (first.Status, first.StatusDetail));
        Assert.Equal(("charged_back", "reimbursed"), (second.Status, second.StatusDetail));
        Assert.True(second.DateLastUpdated > first.DateLastUpdated!.Value.AddDays(19));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Release_OnePaymentAndEveryDuePayment()
    {
        var one = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 50m, TimeSpan.FromDays(1), Ct);
        var due = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 60m, TimeSpan.FromDays(10), Ct);
        var notYet = await _mp.SaleAsync(SandboxPaymentsKit.SellerB, 70m, TimeSpan.FromDays(2), Ct);

        using var single = await _mp.AdminAsync($"_admin/payments/{one.Id}/release", new { }, Ct);
        _mp.Server.Clock.Advance(TimeSpan.FromDays(5));
        using var sweep = await _mp.AdminAsync("_admin/releases", new { }, Ct);
        using var again = await _mp.AdminAsync($"_admin/payments/{one.Id}/release", new { }, Ct);

        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal("released", (await StoredAsync(one.Id)).MoneyReleaseStatus);
        Assert.Equal(1, JsonNode.Parse(await sweep.Content.ReadAsStringAsync(Ct))!["released"]!.GetValue<int>());
        Assert.Equal("released", (await StoredAsync(due.Id)).MoneyReleaseStatus);
        Assert.Equal("pending", (await StoredAsync(notYet.Id)).MoneyReleaseStatus);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task Time_AdvanceAndReset_MoveTheEmulatorsClock()
    {
        var before = _mp.Server.Clock.GetUtcNow();

        using var advanced = await _mp.AdminAsync("_admin/time", new { advance_days = 3, advance_hours = 2 }, Ct);
        var offset = _mp.Server.Clock.Offset;
        using var set = await _mp.AdminAsync("_admin/time", new { offset = "10.00:00:00" }, Ct);
        var setOffset = _mp.Server.Clock.Offset;
        using var reset = await _mp.AdminAsync("_admin/time", new { reset = true }, Ct);

        Assert.Equal(TimeSpan.FromHours(74), offset);
        Assert.Equal("3.02:00:00", JsonNode.Parse(await advanced.Content.ReadAsStringAsync(Ct))!["offset"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromDays(10), setOffset);
        Assert.Equal(TimeSpan.Zero, _mp.Server.Clock.Offset);
        Assert.True(_mp.Server.Clock.GetUtcNow() - before < TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Faults_NeverOnTheAdminSurface_AndClearedOnRequest()
    {
        await _mp.FaultAsync(new { kind = "server_error", rate = 1.0 }, Ct);

        using var admin = await _mp.AdminAsync("_admin/time", new { }, Ct);
        using var api = await _mp.GetAsync("v1/payments/search", _mp.TokenA, Ct);
        using var clear = await _mp.Http.DeleteAsync("_admin/faults", Ct);
        using var after = await _mp.GetAsync("v1/payments/search", _mp.TokenA, Ct);

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.Equal("internal_server_error", JsonNode.Parse(await api.Content.ReadAsStringAsync(Ct))!["error"]!.GetValue<string>());
        Assert.Empty(JsonNode.Parse(await clear.Content.ReadAsStringAsync(Ct))!["faults"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Faults_Latency_DelaysButAnswers()
    {
        var fault = await _mp.FaultAsync(new { kind = "latency", count = 1, latency_ms = 50 }, Ct);

        using var response = await _mp.GetAsync("v1/payments/search", _mp.TokenA, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await _mp.FaultStateAsync(fault, Ct))["hits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Faults_BadKind_400()
    {
        using var response = await _mp.AdminAsync("_admin/faults", new { kind = "meteor", rate = 1 }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Page_Spanish_WithFormsAndNoScripts()
    {
        await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 50m, TimeSpan.FromDays(1), Ct, "ord_page");

        var html = await _mp.Http.GetStringAsync("_admin", Ct);

        Assert.Contains("<html lang=\"es-PE\">", html, StringComparison.Ordinal);
        Assert.Contains("Nueva venta", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/_admin/sales\"", html, StringComparison.Ordinal);
        Assert.Contains("Pac&#237;fico Sur Producciones S.A.C.", html, StringComparison.Ordinal);
        Assert.Contains("ord_page", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" onclick=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" onsubmit=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Page_FormPost_RedirectsBackWithTheMessage()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _mp.Server.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["seller_id"] = SandboxPaymentsKit.SellerA.ToString(CultureInfo.InvariantCulture),
            ["amount"] = "75.50",
            ["payment_method_id"] = "amex",
            ["external_reference"] = "ord_form",
            ["application_fee"] = "",
            ["status"] = "approved",
        });

        using var response = await http.PostAsync("_admin/sales", form, Ct);
        using var bad = await http.PostAsync("_admin/payments/act", new FormUrlEncodedContent(new Dictionary<string, string> { ["payment_id"] = "1", ["action"] = "approve" }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/_admin?ok=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.StartsWith("/_admin?error=", bad.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var search = await _mp.GetAsync("v1/payments/search?external_reference=ord_form", _mp.TokenA, Ct);
        Assert.Equal(1, JsonNode.Parse(await search.Content.ReadAsStringAsync(Ct))!["paging"]!["total"]!.GetValue<long>());
    }

    private async Task<MpPayment> StoredAsync(long id) =>
        JsonSerializer.Deserialize(await _mp.Http.GetStringAsync($"_admin/payments/{id}", Ct), MercadoPagoJsonContext.Default.MpPayment)!;
}
