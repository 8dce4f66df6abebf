using System.Globalization;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace BillingPortal.Tests.Unit.MercadoPago;

/// <summary>The emulator's reading of <c>/v1/payments/search</c> parameters (§3.2).</summary>
public sealed class SandboxSearchParametersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("NOW", "2026-03-31T15:00:00+00:00")]
    [InlineData("now-30days", "2026-03-01T15:00:00+00:00")]
    [InlineData("NOW-1DAY", "2026-03-30T15:00:00+00:00")]
    [InlineData("NOW-1MONTH", "2026-02-28T15:00:00+00:00")]
    [InlineData("NOW-3MONTHS", "2025-12-31T15:00:00+00:00")]
    [InlineData("2026-01-05T10:00:00.000-05:00", "2026-01-05T15:00:00+00:00")]
    [InlineData("2026-01-05T10:00:00.000Z", "2026-01-05T10:00:00+00:00")]
    [InlineData("2026-01-05T10:00:00.000 05:00", "2026-01-05T05:00:00+00:00")]
    public void TryParseDate_AcceptedForms(string text, string expected)
    {
        Assert.True(SandboxSearchParameters.TryParseDate(text, Now, out var instant));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("NOW-3WEEKS")]
    [InlineData("NOW+3DAYS")]
    [InlineData("2026-01-05")]
    [InlineData("2026-01-05T10:00:00")]
    [InlineData("2026-13-05T10:00:00Z")]
    public void TryParseDate_RefusedForms(string text) => Assert.False(SandboxSearchParameters.TryParseDate(text, Now, out _));

    [Fact]
    public void TryParse_Defaults_ThreeMonthsToNowByDateCreatedAscLimit30()
    {
        var error = SandboxSearchParameters.TryParse(Query(), 7, Now, new MercadoPagoSandboxOptions(), out var query);

        Assert.Null(error);
        Assert.Equal(7, query.CollectorId);
        Assert.Equal(Now.AddMonths(-3), query.Begin);
        Assert.Equal(Now, query.End);
        Assert.Equal(Now.AddMonths(-12), query.CreatedFrom);
        Assert.Equal(SandboxPaymentField.DateCreated, query.Range);
        Assert.Equal(SandboxPaymentField.DateCreated, query.Sort);
        Assert.False(query.Descending);
        Assert.Equal(30, query.Limit);
        Assert.Equal(0, query.Offset);
    }

    [Fact]
    public void TryParse_LimitAboveTheMaximum_IsCapped()
    {
        var error = SandboxSearchParameters.TryParse(Query(("limit", "5000")), 7, Now, new MercadoPagoSandboxOptions { SearchMaxLimit = 100 }, out var query);

        Assert.Null(error);
        Assert.Equal(100, query.Limit);
    }

    [Theory]
    [InlineData("limit", "0", "1000")]
    [InlineData("limit", "abc", "1000")]
    [InlineData("offset", "-1", "1000")]
    [InlineData("range", "id", "1001")]
    [InlineData("sort", "DATE_CREATED", "1003")]
    public void TryParse_BadValues_TheirCode(string name, string value, string code)
    {
        var error = SandboxSearchParameters.TryParse(Query((name, value)), 7, Now, new MercadoPagoSandboxOptions(), out _);

        Assert.Equal(code, error?.Code);
    }

    [Fact]
    public void TryParse_WindowJustUnder365Days_Accepted()
    {
        var begin = Now.AddDays(-365).AddSeconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        Assert.Null(SandboxSearchParameters.TryParse(Query(("begin_date", begin)), 7, Now, new MercadoPagoSandboxOptions(), out _));
        Assert.Equal("9062", SandboxSearchParameters.TryParse(Query(("begin_date", "NOW-365DAYS")), 7, Now, new MercadoPagoSandboxOptions(), out _)?.Code);
    }

    private static QueryCollection Query(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => new StringValues(v.Value)));
}
