using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>Tenancy's one rule set: who may open which organizer, with which role, and which one is current.</summary>
public sealed class OrganizerAccessServiceTests : IAsyncLifetime
{
    private SqliteTestDatabase _database = null!;
    private OrganizerAccessService _access = null!;
    private Organizer _zeta = null!;
    private Organizer _alfa = null!;
    private Organizer _foreign = null!;
    private PortalIdentity _user = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync(Ct);
        _access = new OrganizerAccessService(_database.Factory);
        _zeta = new OrganizerBuilder().Build();
        _zeta.LegalName = "Zeta Producciones S.A.C.";
        _alfa = new OrganizerBuilder().Build();
        _alfa.LegalName = "Alfa Eventos S.A.C.";
        _foreign = new OrganizerBuilder().Build();
        await using (var db = _database.CreateContext())
        {
            db.Organizers.AddRange(_zeta, _alfa, _foreign);
            await db.SaveChangesAsync(Ct);
        }

        var person = await IdentitySeed.AddUserAsync(_database.Factory, "ana@example.pe", Ct);
        await IdentitySeed.AddMemberAsync(_database.Factory, _zeta.Id, person, OrganizerRole.Owner, Ct);
        await IdentitySeed.AddMemberAsync(_database.Factory, _alfa.Id, person, OrganizerRole.Viewer, Ct);
        _user = new PortalIdentity(person.Id, person.Email, false);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task GetAccess_Member_GetsTheirRole_OthersGetNull()
    {
        var owner = await _access.GetAccessAsync(_user, _zeta.Id, Ct);
        var viewer = await _access.GetAccessAsync(_user, _alfa.Id, Ct);

        Assert.Equal(new OrganizerAccess(_zeta.Id, OrganizerRole.Owner, _user.UserId, "ana@example.pe"), owner!.Access);
        Assert.Equal(_zeta.LegalName, owner.Organizer.LegalName);
        Assert.Equal(OrganizerRole.Viewer, viewer!.Access.Role);
        Assert.Null(await _access.GetAccessAsync(_user, _foreign.Id, Ct));
        Assert.Null(await _access.GetAccessAsync(_user, 999_999, Ct));
    }

    [Fact]
    public async Task GetAccess_PlatformAdmin_OpensAnyOrganizerReadOnly_ButNotOneThatDoesNotExist()
    {
        var admin = _user with { IsPlatformAdmin = true };

        var foreign = await _access.GetAccessAsync(admin, _foreign.Id, Ct);
        var own = await _access.GetAccessAsync(admin, _zeta.Id, Ct);

        Assert.Equal(OrganizerRole.Viewer, foreign!.Access.Role);
        Assert.Equal(OrganizerRole.Owner, own!.Access.Role);
        Assert.Null(await _access.GetAccessAsync(admin, 999_999, Ct));
    }

    [Fact]
    public async Task ListMemberships_ByRazonSocial()
    {
        var memberships = await _access.ListMembershipsAsync(_user, Ct);

        Assert.Equal([(_alfa.Id, OrganizerRole.Viewer), (_zeta.Id, OrganizerRole.Owner)], memberships.Select(m => (m.OrganizerId, m.Role)));
    }

    [Fact]
    public async Task Resolve_RequestedIsStrict_PreferredIsOnlyAHint_ThenTheFirstMembership()
    {
        Assert.Equal(_zeta.Id, (await _access.ResolveAsync(_user, _zeta.Id, _alfa.Id, Ct))!.Access.OrganizerId);
        Assert.Null(await _access.ResolveAsync(_user, _foreign.Id, _zeta.Id, Ct));
        Assert.Equal(_zeta.Id, (await _access.ResolveAsync(_user, null, _zeta.Id, Ct))!.Access.OrganizerId);
        Assert.Equal(_alfa.Id, (await _access.ResolveAsync(_user, null, _foreign.Id, Ct))!.Access.OrganizerId);
        Assert.Equal(_alfa.Id, (await _access.ResolveAsync(_user, null, null, Ct))!.Access.OrganizerId);
    }

    [Fact]
    public async Task Resolve_NoMembership_IsNull_ForAnAdminTheFirstOrganizer()
    {
        var loner = await IdentitySeed.AddUserAsync(_database.Factory, "sola@example.pe", Ct);

        Assert.Null(await _access.ResolveAsync(new PortalIdentity(loner.Id, loner.Email, false), null, _zeta.Id, Ct));
        Assert.Null(await _access.ResolveAsync(new PortalIdentity(loner.Id, loner.Email, false), null, null, Ct));
        var admin = await _access.ResolveAsync(new PortalIdentity(loner.Id, loner.Email, true), null, null, Ct);
        Assert.Equal((_zeta.Id, OrganizerRole.Viewer), (admin!.Access.OrganizerId, admin.Access.Role));
    }
}
