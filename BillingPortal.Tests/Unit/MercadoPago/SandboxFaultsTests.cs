using System.Text.Json.Nodes;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Unit.MercadoPago;

public sealed class SandboxFaultsTests
{
    private static readonly string[] Paths = ["/users/me", "/v1/payments/1", "/v1/payments/search", "/v1/payments/1"];

    [Fact]
    public void Draw_Count_HitsExactlyTheNextNMatchingRequests()
    {
        var faults = new SandboxFaults();
        faults.Add(SandboxFaultKind.ServerError, 0, 2, "/v1/payments");

        var hits = Paths.Select(p => faults.Draw(p).Count).ToArray();

        Assert.Equal([0, 1, 1, 0], hits);
        Assert.Equal(0, faults.List().Single().Remaining);
        Assert.Equal(2, faults.List().Single().Hits);
    }

    [Fact]
    public void Draw_Rate_IsReproducibleForASeed()
    {
        static string Pattern(SandboxFaults faults) => string.Concat(Enumerable.Range(0, 200).Select(_ => faults.Draw("/v1/payments/search").Count > 0 ? '1' : '0'));
        var a = new SandboxFaults();
        var b = new SandboxFaults();
        a.Add(SandboxFaultKind.RateLimit, 0.3, null, null);
        b.Add(SandboxFaultKind.RateLimit, 0.3, null, null);

        var first = Pattern(a);
        var second = Pattern(b);
        a.Reseed(SandboxFaults.DefaultSeed);

        Assert.Equal(first, second);
        Assert.Equal(first, Pattern(a));
        Assert.InRange(first.Count(c => c == '1'), 30, 90);
    }

    [Fact]
    public void Draw_LatencyAndAFailure_BothApplyButOnlyOneFailure()
    {
        var faults = new SandboxFaults();
        faults.Add(SandboxFaultKind.Latency, 1, null, null, latencyMs: 5);
        faults.Add(SandboxFaultKind.ServerError, 1, null, null);
        faults.Add(SandboxFaultKind.RateLimit, 1, null, null);

        var hits = faults.Draw("/v1/payments/1");

        Assert.Equal([SandboxFaultKind.Latency, SandboxFaultKind.ServerError], hits.Select(h => h.Kind));
    }

    [Theory]
    [InlineData("/sandbox/mercadopago/_admin/faults", true)]
    [InlineData("/_admin", true)]
    [InlineData("/authorization", true)]
    [InlineData("/sandbox/mercadopago/authorization", true)]
    [InlineData("/oauth/token", false)]
    [InlineData("/v1/payments/search", false)]
    public void IsExempt_AdminAndConsentPage(string path, bool exempt) => Assert.Equal(exempt, SandboxFaultInjection.IsExempt(path));

    [Fact]
    public void Add_NeitherRateNorCount_Refused()
    {
        Assert.Throws<ArgumentException>(() => new SandboxFaults().Add(SandboxFaultKind.ServerError, 0, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxFaults().Add(SandboxFaultKind.ServerError, 1.5, null, null));
    }

    [Theory]
    [InlineData(SandboxFaultKind.RateLimit, "/oauth/token", 429, "local_rate_limited")]
    [InlineData(SandboxFaultKind.RateLimit, "/v1/payments/search", 429, "too_many_requests")]
    [InlineData(SandboxFaultKind.ServerError, "/v1/payments/1", 500, "internal_server_error")]
    [InlineData(SandboxFaultKind.RevokedToken, "/v1/payments/1", 401, "unauthorized")]
    [InlineData(SandboxFaultKind.ExpiredToken, "/users/me", 401, "unauthorized")]
    [InlineData(SandboxFaultKind.ExpiredToken, "/oauth/token", 400, "invalid_grant")]
    public async Task Answer_MercadoPagoShapedBodies(SandboxFaultKind kind, string path, int status, string error)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        var fault = new SandboxFaults().Add(kind, 1, null, null, retryAfterSeconds: 7);

        await SandboxFaultInjection.Answer(fault, path, http.Response).ExecuteAsync(http);
        http.Response.Body.Position = 0;
        var json = JsonNode.Parse(http.Response.Body)!;

        Assert.Equal(status, http.Response.StatusCode);
        Assert.Equal(error, json["error"]!.GetValue<string>());
        Assert.Equal(status, json["status"]!.GetValue<int>());
        Assert.NotNull(json["message"]);
        Assert.Empty(json["cause"]!.AsArray());
        Assert.Equal(kind == SandboxFaultKind.RateLimit ? "7" : "", http.Response.Headers.RetryAfter.ToString());
    }
}
