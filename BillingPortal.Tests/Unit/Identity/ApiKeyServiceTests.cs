using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Unit.Identity;

/// <summary><see cref="ApiKeyService"/> over a real SQLite file with the real migrations.</summary>
public sealed class ApiKeyServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 4, 2, 15, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private SqliteTestDatabase _db = null!;
    private ApiKeyService _service = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);
        _service = new ApiKeyService(_db.Factory, _time);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task CreateAsync_Owner_ReturnsTheKeyOnceAndStoresOnlyItsHash()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);

        var result = await _service.CreateAsync(owner, "  ERP contable  ", AuditOrigin.None, ct);

        var created = Assert.IsType<ApiKeyResult<CreatedApiKey>.Success>(result).Value;
        Assert.Equal(ApiKeyFormat.TryGetPrefix(created.PlainKey), created.Key.Prefix);
        Assert.Equal("ERP contable", created.Key.Name);
        Assert.Equal(Start, created.Key.CreatedAt);
        Assert.True(created.Key.IsActive);
        Assert.DoesNotContain(created.PlainKey, created.ToString(), StringComparison.Ordinal);

        await using var db = _db.CreateContext();
        var stored = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == created.Key.Id, ct);
        Assert.Equal((organizer.Id, owner.UserId!.Value, created.Key.Prefix), (stored.OrganizerId, stored.CreatedByUserId, stored.Prefix));
        Assert.Equal(ApiKeyFormat.Hash(created.PlainKey), stored.Hash);
        var secret = created.PlainKey[17..];
        Assert.DoesNotContain(secret, stored.Hash + stored.Name + stored.Prefix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_Owner_WritesAnAuditEntryWithThePrefixNeverTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);

        var created = ((ApiKeyResult<CreatedApiKey>.Success)await _service.CreateAsync(
            owner, "Script de conciliación", new AuditOrigin("203.0.113.7", "Mozilla/5.0 (prueba)"), ct)).Value;

        await using var db = _db.CreateContext();
        var entry = await db.AuditLog.AsNoTracking().SingleAsync(a => a.OrganizerId == organizer.Id, ct);
        Assert.Equal(AuditAction.ApiKeyCreated, entry.Action);
        Assert.Equal((owner.UserId, owner.Actor), (entry.ActorUserId, entry.Actor));
        Assert.Equal("api-key:" + created.Key.Prefix, entry.Target);
        Assert.Equal(("203.0.113.7", "Mozilla/5.0 (prueba)"), (entry.IpAddress, entry.UserAgent));
        Assert.Equal(Start, entry.OccurredAt);
        Assert.Contains("Script de conciliación", entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(created.PlainKey[17..], entry.Target + entry.Detail + entry.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_Viewer_IsForbiddenAndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, viewer) = await AddOrganizerWithUserAsync(OrganizerRole.Viewer);
        var before = await CountsAsync();

        var result = await _service.CreateAsync(viewer, "ERP", AuditOrigin.None, ct);

        var forbidden = Assert.IsType<ApiKeyResult<CreatedApiKey>.Forbidden>(result);
        Assert.False(string.IsNullOrWhiteSpace(forbidden.Message));
        Assert.False(result.IsSuccess);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task CreateAsync_OwnerRoleWithoutUser_IsForbidden()
    {
        // An API key's access has no user: keys never manage keys, whatever role they claim.
        var ct = TestContext.Current.CancellationToken;
        var (organizer, _) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var before = await CountsAsync();

        var result = await _service.CreateAsync(new OrganizerAccess(organizer.Id, OrganizerRole.Owner, null, "api-key:bp_live_x"), "ERP", AuditOrigin.None, ct);

        Assert.IsType<ApiKeyResult<CreatedApiKey>.Forbidden>(result);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("x\u0007y", "invalid_characters")]
    [InlineData("línea\nnueva", "invalid_characters")]
    public async Task CreateAsync_BadName_IsInvalidOnTheNameField(string? name, string rule)
    {
        var (_, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var before = await CountsAsync();

        var result = await _service.CreateAsync(owner, name, AuditOrigin.None, TestContext.Current.CancellationToken);

        var invalid = Assert.IsType<ApiKeyResult<CreatedApiKey>.Invalid>(result);
        Assert.Equal(("name", rule), (invalid.Field, invalid.Rule));
        Assert.False(string.IsNullOrWhiteSpace(invalid.Message));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task CreateAsync_NameOf100_IsAcceptedAnd101_IsTooLong()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);

        var longest = await _service.CreateAsync(owner, new string('n', 100), AuditOrigin.None, ct);
        var tooLong = await _service.CreateAsync(owner, new string('n', 101), AuditOrigin.None, ct);

        Assert.True(longest.IsSuccess);
        var invalid = Assert.IsType<ApiKeyResult<CreatedApiKey>.Invalid>(tooLong);
        Assert.Equal(("name", ApiKeyRules.MaxLength), (invalid.Field, invalid.Rule));
    }

    [Fact]
    public async Task CreateAsync_NameOfAnActiveKey_IsADuplicateIgnoringCaseUntilThatKeyIsRevoked()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var (_, otherOwner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var first = ((ApiKeyResult<CreatedApiKey>.Success)await _service.CreateAsync(owner, "ERP", AuditOrigin.None, ct)).Value;

        var duplicate = await _service.CreateAsync(owner, " erp ", AuditOrigin.None, ct);
        var otherOrganizer = await _service.CreateAsync(otherOwner, "ERP", AuditOrigin.None, ct);
        await _service.RevokeAsync(owner, first.Key.Id, AuditOrigin.None, ct);
        var afterRevoke = await _service.CreateAsync(owner, "ERP", AuditOrigin.None, ct);

        var invalid = Assert.IsType<ApiKeyResult<CreatedApiKey>.Invalid>(duplicate);
        Assert.Equal(("name", ApiKeyRules.DuplicateName), (invalid.Field, invalid.Rule));
        Assert.True(otherOrganizer.IsSuccess);
        Assert.True(afterRevoke.IsSuccess);
        await using var db = _db.CreateContext();
        Assert.Equal(2, await db.ApiKeys.CountAsync(k => k.OrganizerId == organizer.Id, ct));
    }

    [Fact]
    public async Task ListAsync_Viewer_SeesOnlyItsOrganizersKeysActiveFirstWithoutHashes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var viewer = owner with { Role = OrganizerRole.Viewer };
        var (_, otherOwner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var old = await CreateAsync(owner, "Antigua");
        _time.Advance(TimeSpan.FromMinutes(5));
        var newer = await CreateAsync(owner, "Nueva");
        _time.Advance(TimeSpan.FromMinutes(5));
        var revoked = await CreateAsync(owner, "Revocada");
        await _service.RevokeAsync(owner, revoked.Key.Id, AuditOrigin.None, ct);
        var foreign = await CreateAsync(otherOwner, "Ajena");

        var list = await _service.ListAsync(viewer, ct);

        Assert.Equal([newer.Key.Id, old.Key.Id, revoked.Key.Id], list.Select(k => k.Id));
        Assert.Equal([true, true, false], list.Select(k => k.IsActive));
        Assert.DoesNotContain(list, k => k.Id == foreign.Key.Id);
        Assert.Null(typeof(ApiKeyListItem).GetProperty("Hash"));
        Assert.All(list, k => Assert.Equal(organizer.Id, OrganizerOf(k.Id)));
    }

    [Fact]
    public async Task RevokeAsync_Owner_RevokesAuditsAndTheKeyNoLongerVerifies()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var created = await CreateAsync(owner, "ERP");
        Assert.NotNull(await _service.VerifyAsync(created.PlainKey, ct));
        _time.Advance(TimeSpan.FromHours(1));

        var result = await _service.RevokeAsync(owner, created.Key.Id, AuditOrigin.None, ct);

        var revoked = Assert.IsType<ApiKeyResult<ApiKeyListItem>.Success>(result).Value;
        Assert.Equal(Start.AddHours(1), revoked.RevokedAt);
        Assert.False(revoked.IsActive);
        Assert.Null(await _service.VerifyAsync(created.PlainKey, ct));
        await using var db = _db.CreateContext();
        var stored = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == created.Key.Id, ct);
        Assert.Equal(owner.UserId, stored.RevokedByUserId);
        var entry = await db.AuditLog.AsNoTracking().SingleAsync(a => a.OrganizerId == organizer.Id && a.Action == AuditAction.ApiKeyRevoked, ct);
        Assert.Equal(("api-key:" + created.Key.Prefix, owner.Actor, Start.AddHours(1)), (entry.Target, entry.Actor, entry.OccurredAt));
    }

    [Fact]
    public async Task RevokeAsync_Viewer_IsForbiddenAndTheKeyStillWorks()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var created = await CreateAsync(owner, "ERP");
        var before = await CountsAsync();

        var result = await _service.RevokeAsync(owner with { Role = OrganizerRole.Viewer }, created.Key.Id, AuditOrigin.None, ct);

        Assert.IsType<ApiKeyResult<ApiKeyListItem>.Forbidden>(result);
        Assert.Equal(before, await CountsAsync());
        Assert.NotNull(await _service.VerifyAsync(created.PlainKey, ct));
        await using var db = _db.CreateContext();
        Assert.Null((await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == created.Key.Id, ct)).RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_KeyOfAnotherOrganizer_IsNotFoundAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, ownerA) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var (_, ownerB) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var keyOfB = await CreateAsync(ownerB, "ERP de B");
        var before = await CountsAsync();

        var foreign = await _service.RevokeAsync(ownerA, keyOfB.Key.Id, AuditOrigin.None, ct);
        var missing = await _service.RevokeAsync(ownerA, int.MaxValue, AuditOrigin.None, ct);

        Assert.IsType<ApiKeyResult<ApiKeyListItem>.NotFound>(foreign);
        Assert.Equal(foreign, missing);
        Assert.Equal(before, await CountsAsync());
        Assert.NotNull(await _service.VerifyAsync(keyOfB.PlainKey, ct));
    }

    [Fact]
    public async Task RevokeAsync_AlreadyRevoked_SucceedsWithoutASecondAuditEntry()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var created = await CreateAsync(owner, "ERP");
        await _service.RevokeAsync(owner, created.Key.Id, AuditOrigin.None, ct);
        var before = await CountsAsync();
        _time.Advance(TimeSpan.FromDays(1));

        var again = await _service.RevokeAsync(owner, created.Key.Id, AuditOrigin.None, ct);

        Assert.Equal(Start, Assert.IsType<ApiKeyResult<ApiKeyListItem>.Success>(again).Value.RevokedAt);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task VerifyAsync_ActiveKey_ReturnsItsOrganizerIdAndPrefix()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var created = await CreateAsync(owner, "ERP");

        var verified = await _service.VerifyAsync(created.PlainKey, ct);

        Assert.Equal(new VerifiedApiKey(organizer.Id, created.Key.Id, created.Key.Prefix), verified);
    }

    [Fact]
    public async Task VerifyAsync_WrongSecretGarbageOrUnknownPrefix_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var created = await CreateAsync(owner, "ERP");
        var last = created.PlainKey[^1];
        var tampered = created.PlainKey[..^1] + (last == 'a' ? 'b' : 'a');
        var unknown = ApiKeyFormat.Generate().Key;

        string?[] presented = [tampered, unknown, created.PlainKey + "x", created.Key.Prefix, "garbage", "", null, created.PlainKey.ToUpperInvariant()];

        foreach (var key in presented) Assert.Null(await _service.VerifyAsync(key, ct));
        Assert.NotNull(await _service.VerifyAsync(created.PlainKey, ct));
    }

    [Fact]
    public async Task VerifyAsync_RepeatedUse_WritesLastUsedAtAtMostOncePerMinute()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, owner) = await AddOrganizerWithUserAsync(OrganizerRole.Owner);
        var created = await CreateAsync(owner, "ERP");
        Assert.Null(await LastUsedAsync(created.Key.Id));

        await _service.VerifyAsync(created.PlainKey, ct);
        var first = await LastUsedAsync(created.Key.Id);
        _time.Advance(TimeSpan.FromSeconds(59));
        await _service.VerifyAsync(created.PlainKey, ct);
        var within = await LastUsedAsync(created.Key.Id);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _service.VerifyAsync(created.PlainKey, ct);
        var after = await LastUsedAsync(created.Key.Id);

        Assert.Equal(Start, first);
        Assert.Equal(Start, within);
        Assert.Equal(Start.AddMinutes(1), after);
        Assert.Equal(after, (await _service.ListAsync(owner, ct)).Single().LastUsedAt);
    }

    private async Task<CreatedApiKey> CreateAsync(OrganizerAccess owner, string name) =>
        Assert.IsType<ApiKeyResult<CreatedApiKey>.Success>(await _service.CreateAsync(owner, name, AuditOrigin.None, TestContext.Current.CancellationToken)).Value;

    private async Task<(Organizer Organizer, OrganizerAccess Access)> AddOrganizerWithUserAsync(OrganizerRole role)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = _db.CreateContext();
        var organizer = new OrganizerBuilder().Build();
        var user = new PortalUser
        {
            Issuer = "https://sandbox.test",
            Subject = Guid.NewGuid().ToString("N"),
            Email = $"{Guid.NewGuid():N}@example.pe",
            CreatedAt = Start,
        };
        db.Organizers.Add(organizer);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        db.OrganizerMembers.Add(new OrganizerMember { OrganizerId = organizer.Id, UserId = user.Id, Role = role, CreatedAt = Start });
        await db.SaveChangesAsync(ct);
        return (organizer, new OrganizerAccess(organizer.Id, role, user.Id, user.Email));
    }

    private async Task<(int Keys, int Audit, int Revoked)> CountsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = _db.CreateContext();
        return (await db.ApiKeys.CountAsync(ct), await db.AuditLog.CountAsync(ct), await db.ApiKeys.CountAsync(k => k.RevokedAt != null, ct));
    }

    private async Task<DateTimeOffset?> LastUsedAsync(int keyId)
    {
        await using var db = _db.CreateContext();
        return await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.LastUsedAt).SingleAsync(TestContext.Current.CancellationToken);
    }

    private int OrganizerOf(int keyId)
    {
        using var db = _db.CreateContext();
        return db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.OrganizerId).Single();
    }
}
