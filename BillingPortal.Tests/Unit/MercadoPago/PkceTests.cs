using BillingPortal.Core.MercadoPago;

namespace BillingPortal.Tests.Unit.MercadoPago;

public sealed class PkceTests
{
    [Fact]
    public void ChallengeS256_Rfc7636AppendixB_MatchesTheSpecsChallenge()
    {
        var challenge = Pkce.ChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challenge);
    }

    [Fact]
    public void CreateVerifier_Always_Is43UnreservedCharactersAndNeverRepeats()
    {
        var verifiers = Enumerable.Range(0, 200).Select(_ => Pkce.CreateVerifier()).ToList();

        Assert.All(verifiers, v =>
        {
            Assert.Equal(43, v.Length);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", v);
            Assert.True(Pkce.IsValidVerifier(v));
            Assert.Equal(43, Pkce.ChallengeS256(v).Length);
        });
        Assert.Equal(verifiers.Count, verifiers.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(42, 'a', false)]
    [InlineData(43, 'a', true)]
    [InlineData(128, '~', true)]
    [InlineData(129, 'a', false)]
    [InlineData(50, '+', false)]
    [InlineData(50, '=', false)]
    [InlineData(50, 'ñ', false)]
    public void IsValidVerifier_LengthAndAlphabet_FollowRfc7636(int length, char fill, bool valid)
    {
        var value = "abc" + new string(fill, length - 3);

        Assert.Equal(valid, Pkce.IsValidVerifier(value));
        if (!valid) Assert.Throws<ArgumentException>(() => Pkce.ChallengeS256(value));
    }
}
