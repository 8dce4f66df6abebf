using System.Text;
using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Tests.Unit.Demo;

public sealed class DemoDataGeneratorTests
{
    [Fact]
    public void Generate_SameInputs_SameContentHashAndBytes()
    {
        var first = new GeneratedDemo(2_000, 7, GeneratedDemo.Anchor);
        var second = new GeneratedDemo(2_000, 7, GeneratedDemo.Anchor);

        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(first.Payments.Select(p => p.Json), second.Payments.Select(p => p.Json));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentContent()
    {
        var first = new GeneratedDemo(2_000, 7, GeneratedDemo.Anchor);
        var second = new GeneratedDemo(2_000, 8, GeneratedDemo.Anchor);

        Assert.NotEqual(first.ContentHash, second.ContentHash);
    }

    [Fact]
    public void Generate_DifferentAnchor_DifferentContent()
    {
        var first = new GeneratedDemo(2_000, 7, GeneratedDemo.Anchor);
        var second = new GeneratedDemo(2_000, 7, GeneratedDemo.Anchor.AddDays(1));

        Assert.NotEqual(first.ContentHash, second.ContentHash);
    }

    [Fact]
    public void Generate_Scale_IsExactAndSpreadOverTheYear()
    {
        var demo = new GeneratedDemo(2_000, 7, GeneratedDemo.Anchor);

        Assert.Equal(2_000, demo.Sales.Count());
        Assert.Equal(Enumerable.Range(1, 2_000).Select(i => (long)i), demo.Sales.Select(s => s.Purchase.Id));
        Assert.True(demo.Days.Count(d => d.Sales.Count > 0) > 250);
    }

    [Fact]
    public void FastWriter_EveryGeneratedShape_WritesTheSameBytesAsTheContext()
    {
        var demo = new GeneratedDemo(3_000, 11, GeneratedDemo.Anchor);

        foreach (var payment in demo.Payments)
        {
            var expected = JsonSerializer.SerializeToUtf8Bytes(payment.Mp, MercadoPagoJsonContext.Default.MpPayment);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(payment.Json));
        }

        // The shapes compared above include sales, refunds, failures and every payment type the demo produces.
        Assert.Superset(new HashSet<string?> { "approved", "refunded", "rejected", "cancelled" }, demo.Payments.Select(p => p.Mp.Status).ToHashSet());
        Assert.Equal(4, demo.Payments.Select(p => p.Mp.PaymentTypeId).Distinct().Count());
        Assert.Contains(demo.Payments, p => p.Mp.FeeDetails!.Count == 3);
    }
}
