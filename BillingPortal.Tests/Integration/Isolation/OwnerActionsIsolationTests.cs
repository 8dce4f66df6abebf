using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Isolation;

/// <summary>
/// Every owner-only action, tried by a viewer of A (refused: 403, nothing changes) and by an owner of A on B's members,
/// invitations and keys (refused: 404, nothing changes). The pages call exactly these Core methods from the circuit; the
/// role is checked here whatever the page showed.
/// </summary>
public sealed class OwnerActionsIsolationTests : IAsyncLifetime
{
    private static readonly AuditOrigin Origin = new("192.0.2.10", "Pruebas");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 20, 15, 0, 0, TimeSpan.Zero));
    private SqliteTestDatabase _database = null!;
    private MemberService _members = null!;
    private ApiKeyService _keys = null!;
    private OrganizerAccess _viewerOfA = null!;
    private OrganizerAccess _ownerOfA = null!;
    private OrganizerMember _memberOfA = null!;
    private OrganizerMember _ownerOfAMember = null!;
    private OrganizerMember _memberOfB = null!;
    private int _invitationOfA;
    private int _invitationOfB;
    private int _keyOfA;
    private int _keyOfB;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync(Ct);
        _members = new MemberService(_database.Factory, _time, Options.Create(new MembershipOptions()));
        _keys = new ApiKeyService(_database.Factory, _time);
        Organizer a = new OrganizerBuilder().Build(), b = new OrganizerBuilder().Build();
        await using (var db = _database.CreateContext())
        {
            db.Organizers.AddRange(a, b);
            await db.SaveChangesAsync(Ct);
        }

        var (ownerUser, ownerMember) = await IdentitySeed.AddMemberAsync(_database.Factory, a.Id, OrganizerRole.Owner, "duena.a@example.pe", Ct);
        var (viewerUser, viewerMember) = await IdentitySeed.AddMemberAsync(_database.Factory, a.Id, OrganizerRole.Viewer, "lector.a@example.pe", Ct);
        var (ownerOfBUser, ownerOfB) = await IdentitySeed.AddMemberAsync(_database.Factory, b.Id, OrganizerRole.Owner, "dueno.b@example.pe", Ct);
        (_ownerOfAMember, _memberOfA, _memberOfB) = (ownerMember, viewerMember, ownerOfB);
        _ownerOfA = new OrganizerAccess(a.Id, OrganizerRole.Owner, ownerUser.Id, ownerUser.Email);
        _viewerOfA = new OrganizerAccess(a.Id, OrganizerRole.Viewer, viewerUser.Id, viewerUser.Email);
        var ownerOfBAccess = new OrganizerAccess(b.Id, OrganizerRole.Owner, ownerOfBUser.Id, ownerOfBUser.Email);

        _invitationOfA = (await _members.InviteAsync(_ownerOfA, "invitada.a@example.pe", OrganizerRole.Viewer, Origin, Ct)).Id!.Value;
        _invitationOfB = (await _members.InviteAsync(ownerOfBAccess, "invitada.b@example.pe", OrganizerRole.Viewer, Origin, Ct)).Id!.Value;
        _keyOfA = Assert.IsType<ApiKeyResult<CreatedApiKey>.Success>(await _keys.CreateAsync(_ownerOfA, "ERP A", Origin, Ct)).Value.Key.Id;
        _keyOfB = Assert.IsType<ApiKeyResult<CreatedApiKey>.Success>(await _keys.CreateAsync(ownerOfBAccess, "ERP B", Origin, Ct)).Value.Key.Id;
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    /// <summary>Everything an owner-only action could change, as one comparable string.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = _database.CreateContext();
        var members = await db.OrganizerMembers.OrderBy(m => m.Id).Select(m => $"{m.Id}:{m.OrganizerId}:{m.UserId}:{m.Role}").ToListAsync(Ct);
        var invitations = await db.Invitations.OrderBy(i => i.Id).Select(i => $"{i.Id}:{i.OrganizerId}:{i.Email}:{i.Role}:{i.RevokedAt}").ToListAsync(Ct);
        var keys = await db.ApiKeys.OrderBy(k => k.Id).Select(k => $"{k.Id}:{k.OrganizerId}:{k.Name}:{k.RevokedAt}").ToListAsync(Ct);
        var audit = await db.AuditLog.CountAsync(Ct);
        return string.Join('|', members.Concat(invitations).Concat(keys).Append(audit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static TheoryData<string> Actions => new() { "invite", "change-role", "remove", "revoke-invitation", "create-key", "revoke-key" };

    private async Task<string> RunAsync(string action, OrganizerAccess access, bool onB)
    {
        var member = onB ? _memberOfB.Id : _memberOfA.Id;
        var invitation = onB ? _invitationOfB : _invitationOfA;
        var key = onB ? _keyOfB : _keyOfA;
        return action switch
        {
            "invite" => Outcome(await _members.InviteAsync(access, "alguien@example.pe", OrganizerRole.Owner, Origin, Ct)),
            "change-role" => Outcome(await _members.ChangeRoleAsync(access, member, OrganizerRole.Owner, Origin, Ct)),
            "remove" => Outcome(await _members.RemoveAsync(access, member, Origin, Ct)),
            "revoke-invitation" => Outcome(await _members.RevokeInvitationAsync(access, invitation, Origin, Ct)),
            "create-key" => (await _keys.CreateAsync(access, "Clave nueva", Origin, Ct)).Match(_ => "done", _ => "invalid", _ => "403", _ => "404"),
            "revoke-key" => (await _keys.RevokeAsync(access, key, Origin, Ct)).Match(_ => "done", _ => "invalid", _ => "403", _ => "404"),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }

    private static string Outcome(MembershipResult result) => result.Error switch
    {
        null => "done",
        MembershipError.NotOwner => "403",
        MembershipError.NotFound => "404",
        var other => other.ToString()!,
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Viewer_OwnerOnlyAction_IsForbiddenAndChangesNothing(string action)
    {
        var before = await SnapshotAsync();

        var outcome = await RunAsync(action, _viewerOfA, onB: false);

        Assert.Equal("403", outcome);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("invite")]
    [InlineData("change-role")]
    [InlineData("remove")]
    [InlineData("revoke-invitation")]
    public async Task Viewer_WithAForgedOwnerAccess_IsStillRefusedForMembers(string action)
    {
        var forged = _viewerOfA with { Role = OrganizerRole.Owner };
        var before = await SnapshotAsync();

        var outcome = await RunAsync(action, forged, onB: false);

        Assert.Equal("403", outcome);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("change-role")]
    [InlineData("remove")]
    [InlineData("revoke-invitation")]
    [InlineData("revoke-key")]
    public async Task OwnerOfA_OnTheOtherOrganizersIds_IsNotFoundAndChangesNothing(string action)
    {
        var before = await SnapshotAsync();

        var outcome = await RunAsync(action, _ownerOfA, onB: true);

        Assert.Equal("404", outcome);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task OwnerOfA_OnTheirOwnIds_Succeeds()
    {
        Assert.Equal("done", await RunAsync("change-role", _ownerOfA, onB: false));
        Assert.Equal("done", await RunAsync("revoke-invitation", _ownerOfA, onB: false));
        Assert.Equal("done", await RunAsync("revoke-key", _ownerOfA, onB: false));
        Assert.Equal("done", await RunAsync("remove", _ownerOfA, onB: false));
        Assert.Equal("done", await RunAsync("invite", _ownerOfA, onB: false));
        Assert.Equal("done", await RunAsync("create-key", _ownerOfA, onB: false));
        await using var db = _database.CreateContext();
        Assert.True(await db.OrganizerMembers.AnyAsync(m => m.Id == _ownerOfAMember.Id, Ct));
    }
}
