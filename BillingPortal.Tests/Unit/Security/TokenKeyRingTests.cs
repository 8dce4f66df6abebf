using BillingPortal.Core.Security;

namespace BillingPortal.Tests.Unit.Security;

public sealed class TokenKeyRingTests
{
    [Fact]
    public void Validate_NoKey_SaysHowToConfigureOne()
    {
        var errors = TokenKeyRing.Validate(new TokenProtectionOptions());

        var error = Assert.Single(errors);
        Assert.Contains("no key is configured", error, StringComparison.Ordinal);
        Assert.Contains("TokenProtection__Keys__", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotBase64_NamesTheKeyAndNeverItsValue()
    {
        var errors = TokenKeyRing.Validate(TestKeys.Options("k1", ("k1", "sup3r-secret-not-base64!")));

        var error = Assert.Single(errors);
        Assert.Contains("TokenProtection:Keys:k1 is not valid base64", error, StringComparison.Ordinal);
        Assert.DoesNotContain("sup3r", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Validate_WrongLength_SaysThirtyTwoBytes(int length)
    {
        var errors = TokenKeyRing.Validate(TestKeys.Options("k1", ("k1", Convert.ToBase64String(new byte[length]))));

        var error = Assert.Single(errors);
        Assert.Contains($"decodes to {length} bytes", error, StringComparison.Ordinal);
        Assert.Contains("exactly 32 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ActiveIdNamesNoKey_ListsTheConfiguredIds()
    {
        var errors = TokenKeyRing.Validate(TestKeys.Options("2027-01", ("2026-11", TestKeys.NewKey())));

        var error = Assert.Single(errors);
        Assert.Contains("ActiveKeyId '2027-01' names no configured key (2026-11)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralKeysAndNoActiveId_AsksForIt()
    {
        var options = TestKeys.Options("", ("a", TestKeys.NewKey()), ("b", TestKeys.NewKey()));

        var error = Assert.Single(TokenKeyRing.Validate(options));
        Assert.Contains("ActiveKeyId is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OneKeyAndNoActiveId_UsesThatKey()
    {
        var ring = TokenKeyRing.Create(TestKeys.Options("", ("only", TestKeys.NewKey())));

        Assert.Equal("only", ring.ActiveKeyId);
    }

    [Theory]
    [InlineData("has.dot")]
    [InlineData("has space")]
    [InlineData("has_underscore")]
    public void Validate_KeyIdWithOtherCharacters_IsRejected(string id)
    {
        var errors = TokenKeyRing.Validate(TestKeys.Options(id, (id, TestKeys.NewKey())));

        Assert.Contains(errors, e => e.Contains($"key id '{id}' is invalid", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_Invalid_ThrowsWithEveryProblem()
    {
        var options = TestKeys.Options("missing", ("k1", "%%%"), ("k2", Convert.ToBase64String(new byte[8])));

        var error = Assert.Throws<InvalidOperationException>(() => TokenKeyRing.Create(options));

        Assert.Contains("k1 is not valid base64", error.Message, StringComparison.Ordinal);
        Assert.Contains("k2 decodes to 8 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("'missing' names no configured key", error.Message, StringComparison.Ordinal);
    }
}
