using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>Members and invitations in Core, over a real SQLite file: the rules, the audit trail, and the organizer scope.</summary>
public sealed class MemberServiceTests : IAsyncLifetime
{
    private static readonly AuditOrigin Origin = new("203.0.113.7", "Mozilla/5.0 (pruebas)");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 20, 15, 0, 0, TimeSpan.Zero));
    private SqliteTestDatabase _database = null!;
    private MemberService _members = null!;
    private Organizer _organizer = null!;
    private Organizer _other = null!;
    private OrganizerAccess _owner = null!;
    private OrganizerMember _ownerMember = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync(Ct);
        _members = new MemberService(_database.Factory, _time, Options.Create(new MembershipOptions { InvitationLifetime = TimeSpan.FromDays(14) }));
        _organizer = new OrganizerBuilder().Build();
        _other = new OrganizerBuilder().Build();
        await using (var db = _database.CreateContext())
        {
            db.Organizers.AddRange(_organizer, _other);
            await db.SaveChangesAsync(Ct);
        }

        var (user, member) = await IdentitySeed.AddMemberAsync(_database.Factory, _organizer.Id, OrganizerRole.Owner, "duena@example.pe", Ct);
        _ownerMember = member;
        _owner = new OrganizerAccess(_organizer.Id, OrganizerRole.Owner, user.Id, user.Email);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = _database.CreateContext();
        return await db.AuditLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task Invite_Owner_CreatesAPendingInvitationAndAuditsWhoWhatWhenWhere()
    {
        var result = await _members.InviteAsync(_owner, "  Nuevo.Lector@Example.PE ", OrganizerRole.Viewer, Origin, Ct);

        Assert.True(result.Succeeded);
        await using var db = _database.CreateContext();
        var invitation = await db.Invitations.SingleAsync(Ct);
        Assert.Equal(result.Id, invitation.Id);
        Assert.Equal("nuevo.lector@example.pe", invitation.Email);
        Assert.Equal((_organizer.Id, OrganizerRole.Viewer, _owner.UserId), (invitation.OrganizerId, invitation.Role, invitation.InvitedByUserId));
        Assert.Equal(_time.GetUtcNow(), invitation.CreatedAt);
        Assert.Equal(_time.GetUtcNow().AddDays(14), invitation.ExpiresAt);
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal(AuditAction.InvitationCreated, audit.Action);
        Assert.Equal((_owner.UserId, "duena@example.pe", _organizer.Id), (audit.ActorUserId, audit.Actor, audit.OrganizerId));
        Assert.Equal($"invitation:{invitation.Id}", audit.Target);
        Assert.Equal("Invitación a nuevo.lector@example.pe como lector.", audit.Detail);
        Assert.Equal(_time.GetUtcNow(), audit.OccurredAt);
        Assert.Equal(("203.0.113.7", "Mozilla/5.0 (pruebas)"), (audit.IpAddress, audit.UserAgent));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sin-arroba")]
    [InlineData("a@b")]
    [InlineData("a@b.pe, c@d.pe")]
    [InlineData("Ana <ana@b.pe>")]
    [InlineData("ana@.pe")]
    public async Task Invite_NotOneValidEmail_IsRefusedAndStoresNothing(string? email)
    {
        var result = await _members.InviteAsync(_owner, email, OrganizerRole.Viewer, Origin, Ct);

        Assert.Equal(MembershipError.EmailInvalid, result.Error);
        await using var db = _database.CreateContext();
        Assert.False(await db.Invitations.AnyAsync(Ct));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Invite_SecondPendingInvitationForTheSameEmail_IsRefused_UntilRevokedOrExpired()
    {
        var first = await _members.InviteAsync(_owner, "repetido@example.pe", OrganizerRole.Viewer, Origin, Ct);

        var again = await _members.InviteAsync(_owner, "REPETIDO@example.pe", OrganizerRole.Owner, Origin, Ct);
        var elsewhere = await _members.InviteAsync(new OrganizerAccess(_other.Id, OrganizerRole.Owner, _owner.UserId, _owner.Actor), "repetido@example.pe", OrganizerRole.Viewer, Origin, Ct);
        Assert.Equal(MembershipError.AlreadyInvited, again.Error);
        Assert.Equal(MembershipError.NotOwner, elsewhere.Error);

        Assert.True((await _members.RevokeInvitationAsync(_owner, first.Id!.Value, Origin, Ct)).Succeeded);
        var afterRevoke = await _members.InviteAsync(_owner, "repetido@example.pe", OrganizerRole.Viewer, Origin, Ct);
        Assert.True(afterRevoke.Succeeded);

        _time.Advance(TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1));
        var afterExpiry = await _members.InviteAsync(_owner, "repetido@example.pe", OrganizerRole.Viewer, Origin, Ct);
        Assert.True(afterExpiry.Succeeded);
    }

    [Fact]
    public async Task Invite_SomeoneAlreadyAMember_IsRefused()
    {
        var result = await _members.InviteAsync(_owner, "DUENA@example.pe", OrganizerRole.Viewer, Origin, Ct);

        Assert.Equal(MembershipError.AlreadyMember, result.Error);
    }

    [Fact]
    public async Task ChangeRole_TheLastOwner_CannotBeDemoted_ButCanOnceThereIsAnother()
    {
        var demoteSelf = await _members.ChangeRoleAsync(_owner, _ownerMember.Id, OrganizerRole.Viewer, Origin, Ct);
        Assert.Equal(MembershipError.LastOwner, demoteSelf.Error);

        var (_, colleague) = await IdentitySeed.AddMemberAsync(_database.Factory, _organizer.Id, OrganizerRole.Viewer, "colega@example.pe", Ct);
        Assert.True((await _members.ChangeRoleAsync(_owner, colleague.Id, OrganizerRole.Owner, Origin, Ct)).Succeeded);
        Assert.True((await _members.ChangeRoleAsync(_owner, _ownerMember.Id, OrganizerRole.Viewer, Origin, Ct)).Succeeded);

        await using var db = _database.CreateContext();
        var roles = await db.OrganizerMembers.Where(m => m.OrganizerId == _organizer.Id).OrderBy(m => m.Id).Select(m => m.Role).ToListAsync(Ct);
        Assert.Equal([OrganizerRole.Viewer, OrganizerRole.Owner], roles);
        var audit = await AuditAsync();
        Assert.Equal([AuditAction.MemberRoleChanged, AuditAction.MemberRoleChanged], audit.Select(a => a.Action));
        Assert.Equal("colega@example.pe: de lector a propietario.", audit[0].Detail);
        Assert.Equal($"member:{colleague.Id}", audit[0].Target);
        Assert.Equal("duena@example.pe: de propietario a lector.", audit[1].Detail);
    }

    [Fact]
    public async Task ChangeRole_AfterBeingDemoted_TheFormerOwnersAccessIsRefused()
    {
        var (colleagueUser, colleague) = await IdentitySeed.AddMemberAsync(_database.Factory, _organizer.Id, OrganizerRole.Owner, "colega@example.pe", Ct);
        var colleagueAccess = new OrganizerAccess(_organizer.Id, OrganizerRole.Owner, colleagueUser.Id, colleagueUser.Email);
        Assert.True((await _members.ChangeRoleAsync(_owner, colleague.Id, OrganizerRole.Viewer, Origin, Ct)).Succeeded);

        // The colleague's page still holds an owner's access: Core checks the database, not the record.
        var result = await _members.RemoveAsync(colleagueAccess, _ownerMember.Id, Origin, Ct);

        Assert.Equal(MembershipError.NotOwner, result.Error);
        await using var db = _database.CreateContext();
        Assert.True(await db.OrganizerMembers.AnyAsync(m => m.Id == _ownerMember.Id, Ct));
    }

    [Fact]
    public async Task Remove_TheLastOwner_IsRefused_AnotherMemberIsRemovedAndAudited()
    {
        var (_, viewer) = await IdentitySeed.AddMemberAsync(_database.Factory, _organizer.Id, OrganizerRole.Viewer, "lector@example.pe", Ct);

        var removeSelf = await _members.RemoveAsync(_owner, _ownerMember.Id, Origin, Ct);
        var removeViewer = await _members.RemoveAsync(_owner, viewer.Id, Origin, Ct);

        Assert.Equal(MembershipError.LastOwner, removeSelf.Error);
        Assert.True(removeViewer.Succeeded);
        await using var db = _database.CreateContext();
        Assert.Equal([_ownerMember.Id], await db.OrganizerMembers.Select(m => m.Id).ToListAsync(Ct));
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal((AuditAction.MemberRemoved, $"member:{viewer.Id}", "lector@example.pe (lector) ya no es miembro."), (audit.Action, audit.Target, audit.Detail));
    }

    [Fact]
    public async Task List_ShowsOnlyThisOrganizersMembersAndPendingInvitations()
    {
        var (_, viewer) = await IdentitySeed.AddMemberAsync(_database.Factory, _organizer.Id, OrganizerRole.Viewer, "lector@example.pe", Ct);
        await IdentitySeed.AddMemberAsync(_database.Factory, _other.Id, OrganizerRole.Owner, "ajeno@example.pe", Ct);
        var pending = await _members.InviteAsync(_owner, "pendiente@example.pe", OrganizerRole.Owner, Origin, Ct);
        await IdentitySeed.AddInvitationAsync(_database.Factory, _organizer.Id, "vencida@example.pe", OrganizerRole.Viewer, _time.GetUtcNow().AddSeconds(-1), cancellationToken: Ct);
        await IdentitySeed.AddInvitationAsync(_database.Factory, _other.Id, "ajena@example.pe", OrganizerRole.Viewer, _time.GetUtcNow().AddDays(1), cancellationToken: Ct);

        var list = await _members.ListAsync(new OrganizerAccess(_organizer.Id, OrganizerRole.Viewer, null, "lector"), Ct);

        Assert.Equal(["duena@example.pe", "lector@example.pe"], list.Members.Select(m => m.Email));
        Assert.Equal(viewer.Id, list.Members[1].MemberId);
        var invitation = Assert.Single(list.Invitations);
        Assert.Equal((pending.Id!.Value, "pendiente@example.pe", OrganizerRole.Owner, "duena@example.pe"), (invitation.InvitationId, invitation.Email, invitation.Role, invitation.InvitedBy));
    }

    [Fact]
    public async Task InviteAsPlatformAdmin_AnOrganizerWithoutOwners_GetsItsFirstOwner()
    {
        var admin = await IdentitySeed.AddUserAsync(_database.Factory, "admin@example.pe", Ct);

        var asAdmin = await _members.InviteAsPlatformAdminAsync(new PortalIdentity(admin.Id, admin.Email, true), _other.Id, "primera@example.pe", OrganizerRole.Owner, Origin, Ct);
        var notAdmin = await _members.InviteAsPlatformAdminAsync(new PortalIdentity(admin.Id, admin.Email, false), _other.Id, "otra@example.pe", OrganizerRole.Owner, Origin, Ct);
        var missing = await _members.InviteAsPlatformAdminAsync(new PortalIdentity(admin.Id, admin.Email, true), 999_999, "x@example.pe", OrganizerRole.Owner, Origin, Ct);

        Assert.True(asAdmin.Succeeded);
        Assert.Equal(MembershipError.NotOwner, notAdmin.Error);
        Assert.Equal(MembershipError.NotFound, missing.Error);
        await using var db = _database.CreateContext();
        var invitation = await db.Invitations.SingleAsync(Ct);
        Assert.Equal((_other.Id, admin.Id, "primera@example.pe"), (invitation.OrganizerId, invitation.InvitedByUserId, invitation.Email));
    }

    [Fact]
    public async Task EnsurePlatformInvitation_IsIdempotent_AndAuditedAsThePlatform()
    {
        Assert.True(await _members.EnsurePlatformInvitationAsync(_other.Id, "demo@example.pe", OrganizerRole.Viewer, TimeSpan.FromDays(365), Ct));
        Assert.False(await _members.EnsurePlatformInvitationAsync(_other.Id, "demo@example.pe", OrganizerRole.Viewer, TimeSpan.FromDays(365), Ct));
        Assert.False(await _members.EnsurePlatformInvitationAsync(_organizer.Id, "duena@example.pe", OrganizerRole.Viewer, TimeSpan.FromDays(365), Ct));

        await using var db = _database.CreateContext();
        var invitation = await db.Invitations.SingleAsync(Ct);
        Assert.Null(invitation.InvitedByUserId);
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal((AuditAction.InvitationCreated, AuditTrail.PlatformActor, (int?)null, (string?)null), (audit.Action, audit.Actor, audit.ActorUserId, audit.IpAddress));
    }
}
