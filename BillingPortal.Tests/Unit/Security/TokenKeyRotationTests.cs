using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Security;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BillingPortal.Tests.Unit.Security;

/// <summary><see cref="TokenKeyRotation"/> over a real SQLite file with the real migrations.</summary>
public sealed class TokenKeyRotationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly (string Id, string Key) _old = ("2026-05", TestKeys.NewKey());
    private readonly (string Id, string Key) _new = ("2026-11", TestKeys.NewKey());
    private SqliteTestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ReencryptAsync_AfterANewActiveKey_MovesEverySecretToItAndTheyOpenWithTheNewKeyAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = TestKeys.Protector(_old.Id, _old);
        var seeded = new List<(int OrganizerId, string Access, string Refresh, string Verifier)>();
        for (var i = 0; i < 5; i++) seeded.Add(await AddLinkAsync(before, $"APP_USR-access-{i}", $"TG-refresh-{i}", $"verifier-{i}-0123456789012345678901234567890123456789"));
        var after = TestKeys.Protector(_new.Id, _old, _new);

        var result = await new TokenKeyRotation(_db.Factory, after, NullLogger<TokenKeyRotation>.Instance).ReencryptAsync(batchSize: 2, ct);

        Assert.Equal(new TokenKeyRotationResult(5, 5, 0, 0), result);
        var newOnly = TestKeys.Protector(_new.Id, _new);
        await using var db = _db.CreateContext();
        foreach (var (organizerId, access, refresh, verifier) in seeded)
        {
            var link = await db.MercadoPagoLinks.AsNoTracking().SingleAsync(l => l.OrganizerId == organizerId, ct);
            Assert.StartsWith(_new.Id + ".", link.AccessTokenCiphertext, StringComparison.Ordinal);
            Assert.Equal(access, newOnly.Unprotect(link.AccessTokenCiphertext!, MercadoPagoTokenPurposes.Access(organizerId)));
            Assert.Equal(refresh, newOnly.Unprotect(link.RefreshTokenCiphertext!, MercadoPagoTokenPurposes.Refresh(organizerId)));
            Assert.Equal(2, link.Version);
            var request = await db.MercadoPagoAuthorizationRequests.AsNoTracking().SingleAsync(r => r.OrganizerId == organizerId, ct);
            Assert.Equal(verifier, newOnly.Unprotect(request.CodeVerifierCiphertext, MercadoPagoTokenPurposes.AuthorizationVerifier(organizerId)));
        }
    }

    [Fact]
    public async Task ReencryptAsync_NothingUnderAnOldKey_WritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var protector = TestKeys.Protector(_new.Id, _old, _new);
        var (organizerId, _, _, _) = await AddLinkAsync(protector, "APP_USR-a", "TG-r", "v-0123456789012345678901234567890123456789012");

        var result = await new TokenKeyRotation(_db.Factory, protector, NullLogger<TokenKeyRotation>.Instance).ReencryptAsync(ct);

        Assert.Equal(new TokenKeyRotationResult(0, 0, 0, 0), result);
        await using var db = _db.CreateContext();
        Assert.Equal(1, await db.MercadoPagoLinks.Where(l => l.OrganizerId == organizerId).Select(l => l.Version).SingleAsync(ct));
    }

    [Fact]
    public async Task ReencryptAsync_OldKeyNoLongerConfigured_CountsFailuresAndLeavesTheRowsAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizerId, _, _, _) = await AddLinkAsync(TestKeys.Protector(_old.Id, _old), "APP_USR-a", "TG-r", "v-0123456789012345678901234567890123456789012");
        string stored;
        await using (var db = _db.CreateContext())
        {
            stored = (await db.MercadoPagoLinks.AsNoTracking().SingleAsync(l => l.OrganizerId == organizerId, ct)).AccessTokenCiphertext!;
        }

        var result = await new TokenKeyRotation(_db.Factory, TestKeys.Protector(_new.Id, _new), NullLogger<TokenKeyRotation>.Instance).ReencryptAsync(ct);

        Assert.Equal(new TokenKeyRotationResult(0, 0, 0, 2), result);
        await using var check = _db.CreateContext();
        Assert.Equal(stored, (await check.MercadoPagoLinks.AsNoTracking().SingleAsync(l => l.OrganizerId == organizerId, ct)).AccessTokenCiphertext);
    }

    [Fact]
    public async Task ReencryptAsync_ARenewalWroteTheRowMeanwhile_DoesNotOverwriteIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = TestKeys.Protector(_old.Id, _old);
        var (organizerId, _, _, _) = await AddLinkAsync(before, "APP_USR-old", "TG-old", "v-0123456789012345678901234567890123456789012");
        var after = TestKeys.Protector(_new.Id, _old, _new);
        var renewedAccess = before.Protect("APP_USR-renewed", MercadoPagoTokenPurposes.Access(organizerId));
        var interceptor = new BeforeRotationUpdate(async () =>
        {
            // A renewal on another instance stores its tokens (still under the old key) between the rotation's read and write.
            await using var other = _db.CreateContext();
            await other.MercadoPagoLinks.Where(l => l.OrganizerId == organizerId).ExecuteUpdateAsync(
                s => s.SetProperty(l => l.AccessTokenCiphertext, renewedAccess).SetProperty(l => l.Version, l => l.Version + 1), ct);
        });
        var factory = new InterceptedFactory(_db, interceptor);

        var result = await new TokenKeyRotation(factory, after, NullLogger<TokenKeyRotation>.Instance).ReencryptAsync(ct);

        Assert.Equal(1, result.Skipped);
        Assert.Equal(0, result.LinksReencrypted);
        await using var db = _db.CreateContext();
        var link = await db.MercadoPagoLinks.AsNoTracking().SingleAsync(l => l.OrganizerId == organizerId, ct);
        Assert.Equal(renewedAccess, link.AccessTokenCiphertext);
        Assert.Equal("APP_USR-renewed", after.Unprotect(link.AccessTokenCiphertext!, MercadoPagoTokenPurposes.Access(organizerId)));
        Assert.Equal(2, link.Version);
    }

    private async Task<(int OrganizerId, string Access, string Refresh, string Verifier)> AddLinkAsync(AesGcmTokenProtector protector, string access, string refresh, string verifier)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = _db.CreateContext();
        var organizer = new OrganizerBuilder().Build();
        var user = new PortalUser { Issuer = "https://sandbox.test", Subject = Guid.NewGuid().ToString("N"), Email = $"{Guid.NewGuid():N}@example.pe", CreatedAt = Now };
        db.Organizers.Add(organizer);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        db.MercadoPagoLinks.Add(new MercadoPagoLink
        {
            OrganizerId = organizer.Id,
            Status = MercadoPagoLinkStatus.Active,
            MercadoPagoUserId = 1000 + organizer.Id,
            AccessTokenCiphertext = protector.Protect(access, MercadoPagoTokenPurposes.Access(organizer.Id)),
            RefreshTokenCiphertext = protector.Protect(refresh, MercadoPagoTokenPurposes.Refresh(organizer.Id)),
            AccessTokenExpiresAt = Now.AddDays(180),
            LinkedAt = Now,
            StatusChangedAt = Now,
            Version = 1,
        });
        db.MercadoPagoAuthorizationRequests.Add(new MercadoPagoAuthorizationRequest
        {
            StateHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            OrganizerId = organizer.Id,
            UserId = user.Id,
            CodeVerifierCiphertext = protector.Protect(verifier, MercadoPagoTokenPurposes.AuthorizationVerifier(organizer.Id)),
            RedirectUri = "https://portal.test/mercadopago/callback",
            CreatedAt = Now,
            ExpiresAt = Now.AddMinutes(15),
        });
        await db.SaveChangesAsync(ct);
        return (organizer.Id, access, refresh, verifier);
    }
}
