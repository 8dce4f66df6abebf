using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>The admin area's reads: the audit log (newest first, paged, filtered) and the organizer list, admins only.</summary>
public sealed class AuditLogQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly PortalIdentity Admin = new(1, "admin@example.pe", true);
    private SqliteTestDatabase _database = null!;
    private Organizer _a = null!;
    private Organizer _b = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync(Ct);
        _a = new OrganizerBuilder().Build();
        _b = new OrganizerBuilder().Build();
        await using var db = _database.CreateContext();
        db.Organizers.AddRange(_a, _b);
        await db.SaveChangesAsync(Ct);

        // Ten entries, one per day: even days for A (sign-ins), odd days for B (invitations).
        for (var day = 0; day < 10; day++)
        {
            var forA = day % 2 == 0;
            db.AuditLog.Add(AuditTrail.Entry(T0.AddDays(day), forA ? AuditAction.SignIn : AuditAction.InvitationCreated, new AuditOrigin("10.0.0.1", "UA"),
                null, $"actor{day}@example.pe", forA ? _a.Id : _b.Id, $"t:{day}", $"día {day}"));
        }

        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Search_NotAnAdmin_GetsNothing()
    {
        var queries = new AuditLogQueries(_database.Factory);

        Assert.Null(await queries.SearchAsync(Admin with { IsPlatformAdmin = false }, new AuditLogQuery(0, 50), Ct));
        Assert.Null(await new PlatformAdminQueries(_database.Factory).SearchOrganizersAsync(Admin with { IsPlatformAdmin = false }, null, 0, 50, Ct));
        Assert.Empty(await new PlatformAdminQueries(_database.Factory).FindOrganizersAsync(Admin with { IsPlatformAdmin = false }, null, Ct));
    }

    [Fact]
    public async Task Search_PagesNewestFirst()
    {
        var queries = new AuditLogQueries(_database.Factory);

        var first = await queries.SearchAsync(Admin, new AuditLogQuery(0, 4), Ct);
        var third = await queries.SearchAsync(Admin, new AuditLogQuery(2, 4), Ct);

        Assert.Equal(10, first!.TotalCount);
        Assert.Equal(["día 9", "día 8", "día 7", "día 6"], first.Rows.Select(r => r.Detail));
        Assert.Equal(["día 1", "día 0"], third!.Rows.Select(r => r.Detail));
        Assert.Equal(_b.LegalName, first.Rows[0].OrganizerName);
        Assert.Equal(("10.0.0.1", "UA"), (first.Rows[0].IpAddress, first.Rows[0].UserAgent));
    }

    [Fact]
    public async Task Search_FiltersByOrganizerActionAndDates()
    {
        var queries = new AuditLogQueries(_database.Factory);

        var ofA = await queries.SearchAsync(Admin, new AuditLogQuery(0, 50, OrganizerId: _a.Id), Ct);
        var invitations = await queries.SearchAsync(Admin, new AuditLogQuery(0, 50, Action: AuditAction.InvitationCreated), Ct);
        var window = await queries.SearchAsync(Admin, new AuditLogQuery(0, 50, From: T0.AddDays(2), Until: T0.AddDays(5)), Ct);
        var none = await queries.SearchAsync(Admin, new AuditLogQuery(0, 50, OrganizerId: _a.Id, Action: AuditAction.InvitationCreated), Ct);

        Assert.Equal(["día 8", "día 6", "día 4", "día 2", "día 0"], ofA!.Rows.Select(r => r.Detail));
        Assert.Equal(5, invitations!.TotalCount);
        Assert.All(invitations.Rows, r => Assert.Equal(_b.Id, r.OrganizerId));
        Assert.Equal(["día 4", "día 3", "día 2"], window!.Rows.Select(r => r.Detail));
        Assert.Equal(0, none!.TotalCount);
    }

    [Fact]
    public async Task SearchOrganizers_ByNameOrTaxId_WithMemberCounts()
    {
        await IdentitySeed.AddMemberAsync(_database.Factory, _a.Id, OrganizerRole.Owner, cancellationToken: Ct);
        await IdentitySeed.AddMemberAsync(_database.Factory, _a.Id, OrganizerRole.Viewer, cancellationToken: Ct);
        var queries = new PlatformAdminQueries(_database.Factory);

        var byTaxId = await queries.SearchOrganizersAsync(Admin, _b.TaxId, 0, 50, Ct);
        var all = await queries.SearchOrganizersAsync(Admin, null, 0, 50, Ct);

        Assert.Equal([_b.Id], byTaxId!.Rows.Select(r => r.Id));
        var a = all!.Rows.Single(r => r.Id == _a.Id);
        Assert.Equal((2, 1), (a.Members, a.Owners));
        Assert.Equal((0, 0), (all.Rows.Single(r => r.Id == _b.Id).Members, all.Rows.Single(r => r.Id == _b.Id).Owners));
    }
}
