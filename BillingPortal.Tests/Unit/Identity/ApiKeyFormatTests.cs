using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BillingPortal.Core.Identity;

namespace BillingPortal.Tests.Unit.Identity;

public sealed partial class ApiKeyFormatTests
{
    [Fact]
    public void Generate_Key_IsMarkerIdAndSecretInBase62()
    {
        var material = ApiKeyFormat.Generate();

        Assert.Matches(KeyShape(), material.Key);
        Assert.Equal(49, material.Key.Length);
    }

    [Fact]
    public void Generate_Prefix_IsTheFirst16CharactersOfTheKey()
    {
        var material = ApiKeyFormat.Generate();

        Assert.Equal(16, material.Prefix.Length);
        Assert.Equal(material.Key[..16], material.Prefix);
        Assert.StartsWith("bp_live_", material.Prefix, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Hash_IsLowerHexSha256OfTheWholeKey()
    {
        var material = ApiKeyFormat.Generate();

        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(material.Key))).ToLowerInvariant();
        Assert.Equal(expected, material.Hash);
        Assert.Matches("^[0-9a-f]{64}$", material.Hash);
        Assert.DoesNotContain(material.Key[17..], material.Hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ManyKeys_AreAllDistinctAndUseTheWholeAlphabet()
    {
        var keys = Enumerable.Range(0, 2000).Select(_ => ApiKeyFormat.Generate()).ToList();

        Assert.Equal(keys.Count, keys.Select(k => k.Key).Distinct().Count());
        Assert.Equal(keys.Count, keys.Select(k => k.Prefix).Distinct().Count());
        // 2000 × 40 random characters: every one of the 62 symbols shows up (the chance one does not is below 1e-500).
        var seen = keys.SelectMany(k => k.Key[8..16] + k.Key[17..]).ToHashSet();
        Assert.Equal(62, seen.Count);
    }

    [Fact]
    public void ToString_Material_DoesNotShowTheKey()
    {
        var material = ApiKeyFormat.Generate();

        var text = material.ToString();

        Assert.DoesNotContain(material.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(material.Hash, text, StringComparison.Ordinal);
        Assert.Contains(material.Prefix, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_SameKey_IsTrue()
    {
        var material = ApiKeyFormat.Generate();

        Assert.True(ApiKeyFormat.Matches(material.Key, material.Hash));
        Assert.True(ApiKeyFormat.Matches(material.Key, material.Hash.ToUpperInvariant()));
    }

    [Fact]
    public void Matches_OneCharacterChangedAnywhere_IsFalse()
    {
        var material = ApiKeyFormat.Generate();

        for (var i = 0; i < material.Key.Length; i++)
        {
            var chars = material.Key.ToCharArray();
            chars[i] = chars[i] == 'a' ? 'b' : 'a';
            Assert.False(ApiKeyFormat.Matches(new string(chars), material.Hash), $"changed at {i}");
        }
    }

    [Fact]
    public void Matches_MalformedStoredHash_IsFalse()
    {
        var material = ApiKeyFormat.Generate();

        string[] stored = ["", "abc", material.Hash[..63], material.Hash[..63] + "g", material.Hash + "00", new string(' ', 64)];

        Assert.All(stored, s => Assert.False(ApiKeyFormat.Matches(material.Key, s)));
    }

    [Fact]
    public void TryGetPrefix_HandWrittenKeyOfTheRightShape_ReturnsItsPrefix()
    {
        Assert.Equal("bp_live_AbCd1234", ApiKeyFormat.TryGetPrefix("bp_live_AbCd1234_0123456789abcdefghijABCDEFGHIJ01"));
    }

    [Fact]
    public void TryGetPrefix_GeneratedKey_ReturnsItsPrefix()
    {
        var material = ApiKeyFormat.Generate();

        Assert.Equal(material.Prefix, ApiKeyFormat.TryGetPrefix(material.Key));
    }

    [Fact]
    public void TryGetPrefix_LongerSecretUpTo64_IsAccepted()
    {
        var key = "bp_live_AbCd1234_" + new string('x', 64);

        Assert.Equal("bp_live_AbCd1234", ApiKeyFormat.TryGetPrefix(key));
        Assert.Null(ApiKeyFormat.TryGetPrefix(key + "x"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("test-0123456789abcdef0123456789abcdef0123456789abcdef")] // a platform ingestion key
    [InlineData("bp_test_AbCd1234_0123456789abcdefghijABCDEFGHIJ01")] // another marker
    [InlineData("BP_LIVE_AbCd1234_0123456789abcdefghijABCDEFGHIJ01")] // marker is case-sensitive
    [InlineData("bp_live_AbCd123_0123456789abcdefghijABCDEFGHIJ012")] // id of 7
    [InlineData("bp_live_AbCd1234-0123456789abcdefghijABCDEFGHIJ01")] // wrong separator
    [InlineData("bp_live_AbCd1234_0123456789abcdefghijABCDEFGHIJ0")] // secret of 31
    [InlineData("bp_live_AbCd12-4_0123456789abcdefghijABCDEFGHIJ01")] // non-base62 in the id
    [InlineData("bp_live_AbCd1234_0123456789abcdefghijABCDEFGHIJ0=")] // non-base62 in the secret
    [InlineData("bp_live_AbCd1234_0123456789abcdéfghijABCDEFGHIJ01")] // non-ASCII letter
    [InlineData("bp_live_AbCd1234_0123456789abcdefghij BCDEFGHIJ01")] // space inside
    public void TryGetPrefix_NotAKey_ReturnsNull(string? presented)
    {
        Assert.Null(ApiKeyFormat.TryGetPrefix(presented));
    }

    [GeneratedRegex("^bp_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$")]
    private static partial Regex KeyShape();
}
