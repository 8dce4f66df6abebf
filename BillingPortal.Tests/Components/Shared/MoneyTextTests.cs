using BillingPortal.Components.Shared;
using Bunit;

namespace BillingPortal.Tests.Components.Shared;

public sealed class MoneyTextTests : MudTestContext
{
    [Theory]
    [InlineData("1234.56", "S/ 1,234.56")]
    [InlineData("-1234.56", "-S/ 1,234.56")]
    [InlineData("0", "S/ 0.00")]
    [InlineData("0.5", "S/ 0.50")]
    [InlineData("1234567.8", "S/ 1,234,567.80")]
    [InlineData("-0.01", "-S/ 0.01")]
    public void MoneyText_Amount_FormatsAsSolesWithThousands(string amount, string expected)
    {
        var cut = Render<MoneyText>(p => p.Add(c => c.Amount, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(expected, cut.Find("span.money").TextContent);
    }

    [Theory]
    [InlineData("es-PE")]
    [InlineData("en-US")]
    public void MoneyText_AnyUiCulture_FormatsTheSameWay(string culture)
    {
        UseCulture(culture);

        var cut = Render<MoneyText>(p => p.Add(c => c.Amount, -98765.43m));

        Assert.Equal("-S/ 98,765.43", cut.Find("span.money").TextContent);
    }

    [Fact]
    public void MoneyText_Negative_IsMarkedAsDeduction()
    {
        var negative = Render<MoneyText>(p => p.Add(c => c.Amount, -1m));
        var positive = Render<MoneyText>(p => p.Add(c => c.Amount, 1m));

        Assert.Contains("money-negative", negative.Find("span.money").ClassList);
        Assert.DoesNotContain("money-negative", positive.Find("span.money").ClassList);
    }

    [Theory]
    [InlineData("-33.33", "− S/ 33.33")]
    [InlineData("1.5", "+ S/ 1.50")]
    [InlineData("0", "− S/ 0.00")]
    public void MoneyText_Term_ShowsOperatorAndMagnitude(string amount, string expected)
    {
        var cut = Render<MoneyText>(p => p
            .Add(c => c.Amount, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))
            .Add(c => c.Term, true));

        Assert.Equal(expected, cut.Find("span.money").TextContent.Replace('\u00A0', ' '));
    }

    [Fact]
    public void MoneyText_ExtraAttributes_ArePassedToTheFigure()
    {
        var cut = Render<MoneyText>(p => p.Add(c => c.Amount, 10m).AddUnmatched("data-testid", "summary-net"));

        Assert.Equal("S/ 10.00", cut.Find("[data-testid=summary-net]").TextContent);
    }
}
