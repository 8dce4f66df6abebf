using System.Security.Cryptography;
using BillingPortal.Core.Security;

namespace BillingPortal.Tests.Unit.Security;

/// <summary>Random key rings for tests (a fresh 256-bit key per id, per test class instance).</summary>
internal static class TestKeys
{
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static TokenProtectionOptions Options(string activeKeyId, params (string Id, string Key)[] keys)
    {
        var options = new TokenProtectionOptions { ActiveKeyId = activeKeyId, AllowGeneratedKey = false };
        foreach (var (id, key) in keys) options.Keys[id] = key;
        return options;
    }

    public static AesGcmTokenProtector Protector(string activeKeyId, params (string Id, string Key)[] keys) =>
        new(TokenKeyRing.Create(Options(activeKeyId, keys)));
}
