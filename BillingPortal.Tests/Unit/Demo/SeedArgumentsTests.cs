namespace BillingPortal.Tests.Unit.Demo;

public sealed class SeedArgumentsTests
{
    [Fact]
    public void TryParse_AllOptions_BuildTheRequest()
    {
        var ok = SeedArguments.TryParse(["--scale", "5000", "--seed", "-3", "--anchor", "2026-02-28", "--reset", "--Database:DataDirectory", "/tmp/x"], out var parsed, out var configuration, out _);

        var request = parsed.ToRequest();
        Assert.True(ok);
        Assert.Equal((5000, -3, new DateOnly(2026, 2, 28), true), (request.Purchases, request.Seed, request.AnchorDate!.Value, request.Reset));
        Assert.Equal(["--Database:DataDirectory", "/tmp/x"], configuration);
    }

    [Fact]
    public void TryParse_Defaults_NoAnchorNoReset()
    {
        Assert.True(SeedArguments.TryParse([], out var parsed, out _, out _));

        var request = parsed.ToRequest();
        Assert.Equal((20_000, 42, (DateOnly?)null, false), (request.Purchases, request.Seed, request.AnchorDate, request.Reset));
    }

    [Theory]
    [InlineData("--anchor", "28/02/2026")]
    [InlineData("--scale", "0")]
    [InlineData("--scale", "5000001")]
    [InlineData("--bogus", "1")]
    public void TryParse_InvalidValue_ExplainsTheRule(string name, string value)
    {
        Assert.False(SeedArguments.TryParse([name, value], out _, out _, out var error));

        Assert.Contains(name, error, StringComparison.Ordinal);
    }
}
