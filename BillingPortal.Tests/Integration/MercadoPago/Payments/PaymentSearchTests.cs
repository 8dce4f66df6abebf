using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Tests.Integration.MercadoPago.Payments;

/// <summary><c>GET /v1/payments/search</c> and <c>GET /v1/payments/{id}</c> on the emulator over HTTP (§3.1, §3.2).</summary>
public sealed class PaymentSearchTests : IAsyncLifetime
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private SandboxPaymentsKit _mp = null!;
    private MpPayment _tenDays = null!;
    private MpPayment _fortyDays = null!;
    private MpPayment _fourMonths = null!;
    private MpPayment _thirteenMonths = null!;
    private MpPayment _otherSeller = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _mp = await SandboxPaymentsKit.StartAsync(null, Ct);
        _fortyDays = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 80m, 40 * Day, Ct, "ord_40");
        _tenDays = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 100m, 10 * Day, Ct, "ord_10");
        _fourMonths = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 120m, 122 * Day, Ct, "ord_120");
        _thirteenMonths = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 140m, 400 * Day, Ct, "ord_400");
        _otherSeller = await _mp.SaleAsync(SandboxPaymentsKit.SellerB, 90m, 5 * Day, Ct, "ord_10");
    }

    public async ValueTask DisposeAsync() => await _mp.DisposeAsync();

    [Fact]
    public async Task Search_NoParameters_LastThreeMonthsOfTheTokensSellerOldestFirstWithTheEnvelope()
    {
        var (status, json) = await SearchAsync("", _mp.TokenA);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, json["paging"]!["total"]!.GetValue<long>());
        Assert.Equal(30, json["paging"]!["limit"]!.GetValue<int>());
        Assert.Equal(0, json["paging"]!["offset"]!.GetValue<int>());
        Assert.Equal([_fortyDays.Id, _tenDays.Id], Ids(json));
    }

    [Fact]
    public async Task Search_Results_AreThePaymentsCompleteJson()
    {
        var (_, json) = await SearchAsync("?begin_date=NOW-30DAYS", _mp.TokenA);
        var stored = JsonNode.Parse(await _mp.Http.GetStringAsync($"_admin/payments/{_tenDays.Id}", Ct))!;

        var result = json["results"]![0]!;
        Assert.True(JsonNode.DeepEquals(stored, result));
        Assert.Equal("approved", result["status"]!.GetValue<string>());
        Assert.Equal(SandboxPaymentsKit.SellerA, result["collector_id"]!.GetValue<long>());
        Assert.NotNull(result["fee_details"]);
        Assert.NotNull(result["transaction_details"]!["net_received_amount"]);
    }

    [Fact]
    public async Task Search_Now30Days_OnlyTheLast30Days()
    {
        var (_, json) = await SearchAsync("?begin_date=NOW-30DAYS&end_date=NOW", _mp.TokenA);

        Assert.Equal([_tenDays.Id], Ids(json));
    }

    [Fact]
    public async Task Search_WindowReachingPast12Months_OlderPaymentsAreNotReturned()
    {
        var (status, json) = await SearchAsync("?begin_date=NOW-14MONTHS&end_date=NOW-3MONTHS", _mp.TokenA);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([_fourMonths.Id], Ids(json));
        Assert.DoesNotContain(_thirteenMonths.Id, Ids(json));
    }

    [Fact]
    public async Task Search_IsoDatesWithOffsetAndZ_AreAccepted()
    {
        var now = _mp.Server.Clock.GetUtcNow();
        var begin = Uri.EscapeDataString(now.AddDays(-50).ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
        var end = now.AddDays(-20).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        var (status, json) = await SearchAsync($"?begin_date={begin}&end_date={end}", _mp.TokenA);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([_fortyDays.Id], Ids(json));
    }

    [Fact]
    public async Task Search_SortAndCriteria_OrderTheResults()
    {
        var (_, byDateDesc) = await SearchAsync("?sort=date_created&criteria=desc&begin_date=NOW-6MONTHS", _mp.TokenA);
        var (_, byIdAsc) = await SearchAsync("?sort=id&criteria=asc&begin_date=NOW-6MONTHS", _mp.TokenA);

        Assert.Equal([_tenDays.Id, _fortyDays.Id, _fourMonths.Id], Ids(byDateDesc));
        Assert.Equal(new[] { _tenDays.Id, _fortyDays.Id, _fourMonths.Id }.Order(), Ids(byIdAsc));
    }

    [Fact]
    public async Task Search_RangeDateApproved_AppliesTheWindowToThatDate()
    {
        var (_, json) = await SearchAsync("?range=date_approved&begin_date=NOW-30DAYS&sort=date_approved", _mp.TokenA);

        Assert.Equal([_tenDays.Id], Ids(json));
    }

    [Fact]
    public async Task Search_LimitAndOffset_PageThroughTheTotal()
    {
        var (_, first) = await SearchAsync("?begin_date=NOW-6MONTHS&limit=2&offset=0", _mp.TokenA);
        var (_, second) = await SearchAsync("?begin_date=NOW-6MONTHS&limit=2&offset=2", _mp.TokenA);

        Assert.Equal(3, first["paging"]!["total"]!.GetValue<long>());
        Assert.Equal([_fourMonths.Id, _fortyDays.Id], Ids(first));
        Assert.Equal(2, second["paging"]!["offset"]!.GetValue<int>());
        Assert.Equal(2, second["paging"]!["limit"]!.GetValue<int>());
        Assert.Equal([_tenDays.Id], Ids(second));
    }

    [Fact]
    public async Task Search_ExternalReferenceAndStatus_Filter()
    {
        var pending = await _mp.SaleAsync(SandboxPaymentsKit.SellerA, 60m, Day, Ct, "ord_p", status: "pending");

        var (_, byReference) = await SearchAsync("?external_reference=ord_10", _mp.TokenA);
        var (_, byStatus) = await SearchAsync("?status=pending", _mp.TokenA);

        Assert.Equal([_tenDays.Id], Ids(byReference));
        Assert.Equal([pending.Id], Ids(byStatus));
    }

    [Fact]
    public async Task Search_AnotherSellersToken_SeesOnlyItsOwn()
    {
        var (_, json) = await SearchAsync("?external_reference=ord_10", _mp.TokenB);

        Assert.Equal([_otherSeller.Id], Ids(json));
    }

    [Theory]
    [InlineData("?sort=amount", "1003")]
    [InlineData("?criteria=up", "1004")]
    [InlineData("?begin_date=yesterday", "1001")]
    [InlineData("?begin_date=2026-01-01T00:00:00", "1001")]
    [InlineData("?end_date=NOW-3WEEKS", "1001")]
    [InlineData("?begin_date=NOW-365DAYS", "9062")]
    [InlineData("?begin_date=NOW-13MONTHS", "9062")]
    [InlineData("?limit=600&offset=9500", "1000")]
    public async Task Search_InvalidParameter_400WithTheCauseCode(string query, string code)
    {
        var (status, json) = await SearchAsync(query, _mp.TokenA);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, json["status"]!.GetValue<int>());
        Assert.Equal("bad_request", json["error"]!.GetValue<string>());
        Assert.Equal(code, json["cause"]![0]!["code"]!.ToString());
    }

    [Fact]
    public async Task Search_RangeOf365Days_MessageAsMercadoPagos()
    {
        var (_, json) = await SearchAsync("?begin_date=NOW-12MONTHS&end_date=NOW", _mp.TokenA);

        Assert.Equal("Invalid range interval - Must be less than 365 days", json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_RowLimit_MessageAsMercadoPagos()
    {
        var (_, json) = await SearchAsync("?limit=1000&offset=9001", _mp.TokenA);

        Assert.Equal("Number of rows exceeded the limits", json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_OwnPayment_ReturnsItsJson()
    {
        using var response = await _mp.GetAsync($"v1/payments/{_tenDays.Id}", _mp.TokenA, Ct);
        var payment = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Ct), MercadoPagoJsonContext.Default.MpPayment)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_tenDays.Id, payment.Id);
        Assert.Equal("ord_10", payment.ExternalReference);
        Assert.True(response.Headers.Contains("x-request-id"));
    }

    [Fact]
    public async Task Get_UnknownOrAnotherSellersPayment_404Cause2000()
    {
        using var unknown = await _mp.GetAsync("v1/payments/12345", _mp.TokenA, Ct);
        using var foreign = await _mp.GetAsync($"v1/payments/{_otherSeller.Id}", _mp.TokenA, Ct);

        foreach (var response in new[] { unknown, foreign })
        {
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not_found", json["error"]!.GetValue<string>());
            Assert.Equal("2000", json["cause"]![0]!["code"]!.ToString());
        }
    }

    [Fact]
    public async Task Api_BadTokens_401AndNoHeader403()
    {
        var expiring = await _mp.Server.Accounts.IssueTokensAsync(SandboxPaymentsKit.SellerA, _mp.Server.Options.ClientId, TimeSpan.FromHours(1), Ct);
        _mp.Server.Clock.Advance(TimeSpan.FromHours(2));

        using var none = await _mp.GetAsync("v1/payments/search", null, Ct);
        using var unknown = await _mp.GetAsync("v1/payments/search", "APP_USR-1-2-3-4", Ct);
        using var expired = await _mp.GetAsync($"v1/payments/{_tenDays.Id}", expiring.AccessToken, Ct);
        await _mp.Server.Accounts.RevokeGrantsAsync(SandboxPaymentsKit.SellerB, _mp.Server.Options.ClientId, Ct);
        using var revoked = await _mp.GetAsync("v1/payments/search", _mp.TokenB, Ct);
        using var stillValid = await _mp.GetAsync("v1/payments/search", _mp.TokenA, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        Assert.Equal(401, JsonNode.Parse(await unknown.Content.ReadAsStringAsync(Ct))!["status"]!.GetValue<int>());
    }

    private async Task<(HttpStatusCode Status, JsonNode Json)> SearchAsync(string query, string token)
    {
        using var response = await _mp.GetAsync("v1/payments/search" + query, token, Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    private static long[] Ids(JsonNode json) => json["results"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).ToArray();
}
