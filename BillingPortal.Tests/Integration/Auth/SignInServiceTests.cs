using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>What a sign-in records, over a real SQLite file: the user by (issuer, subject), bound invitations, the audit log.</summary>
public sealed class SignInServiceTests : IAsyncLifetime
{
    private const string Issuer = "https://login.example/";
    private static readonly AuditOrigin Origin = new("198.51.100.4", "Firefox");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 20, 15, 0, 0, TimeSpan.Zero));
    private SqliteTestDatabase _database = null!;
    private SignInService _signIn = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync(Ct);
        _signIn = new SignInService(_database.Factory, _time, NullLogger<SignInService>.Instance);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<Organizer> AddOrganizerAsync()
    {
        var organizer = new OrganizerBuilder().Build();
        await using var db = _database.CreateContext();
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(Ct);
        return organizer;
    }

    [Theory]
    [InlineData("ana@example.pe", false)]
    [InlineData(null, true)]
    [InlineData("no es un correo", true)]
    public async Task SignIn_WithoutAVerifiedEmail_IsDeniedAndOnlyAudited(string? email, bool verified)
    {
        var organizer = await AddOrganizerAsync();
        await IdentitySeed.AddInvitationAsync(_database.Factory, organizer.Id, "ana@example.pe", OrganizerRole.Owner, _time.GetUtcNow().AddDays(1), cancellationToken: Ct);

        var result = await _signIn.SignInAsync(new SignInClaims(Issuer, "sub-1", email, verified, "Ana"), Origin, Ct);

        Assert.Equal(SignInOutcome.EmailNotVerified, result.Outcome);
        Assert.Null(result.UserId);
        await using var db = _database.CreateContext();
        Assert.False(await db.Users.AnyAsync(Ct));
        Assert.False(await db.OrganizerMembers.AnyAsync(Ct));
        Assert.Null((await db.Invitations.SingleAsync(Ct)).AcceptedAt);
        var audit = await db.AuditLog.SingleAsync(Ct);
        Assert.Equal((AuditAction.SignInDenied, "sub:sub-1", "198.51.100.4"), (audit.Action, audit.Target, audit.IpAddress));
    }

    [Fact]
    public async Task SignIn_BindsEveryPendingInvitationForTheEmail_KeepingAnExistingMembership()
    {
        var first = await AddOrganizerAsync();
        var second = await AddOrganizerAsync();
        var third = await AddOrganizerAsync();
        var existing = await _signIn.SignInAsync(new SignInClaims(Issuer, "sub-2", "luis@example.pe", true, "Luis"), Origin, Ct);
        await IdentitySeed.AddMemberAsync(_database.Factory, third.Id, new Core.Identity.PortalUser { Id = existing.UserId!.Value, Issuer = Issuer, Subject = "sub-2", Email = "luis@example.pe" }, OrganizerRole.Owner, Ct);
        await IdentitySeed.AddInvitationAsync(_database.Factory, first.Id, "luis@example.pe", OrganizerRole.Viewer, _time.GetUtcNow().AddDays(1), cancellationToken: Ct);
        await IdentitySeed.AddInvitationAsync(_database.Factory, second.Id, "luis@example.pe", OrganizerRole.Owner, _time.GetUtcNow().AddDays(1), cancellationToken: Ct);
        await IdentitySeed.AddInvitationAsync(_database.Factory, third.Id, "luis@example.pe", OrganizerRole.Viewer, _time.GetUtcNow().AddDays(1), cancellationToken: Ct);
        _time.Advance(TimeSpan.FromHours(1));

        var result = await _signIn.SignInAsync(new SignInClaims(Issuer, "sub-2", "Luis@Example.pe", true, "Luis Q."), Origin, Ct);

        Assert.Equal(SignInOutcome.SignedIn, result.Outcome);
        Assert.Equal(existing.UserId, result.UserId);
        Assert.Equal([first.Id, second.Id, third.Id], result.AcceptedOrganizerIds.Order());
        await using var db = _database.CreateContext();
        var user = await db.Users.SingleAsync(Ct);
        Assert.Equal(("luis@example.pe", "Luis Q.", _time.GetUtcNow()), (user.Email, user.DisplayName, user.LastSignInAt!.Value));
        var memberships = await db.OrganizerMembers.OrderBy(m => m.OrganizerId).Select(m => new { m.OrganizerId, m.Role }).ToListAsync(Ct);
        Assert.Equal([(first.Id, OrganizerRole.Viewer), (second.Id, OrganizerRole.Owner), (third.Id, OrganizerRole.Owner)], memberships.Select(m => (m.OrganizerId, m.Role)));
        Assert.All(await db.Invitations.ToListAsync(Ct), i => Assert.Equal((user.Id, _time.GetUtcNow()), (i.AcceptedByUserId!.Value, i.AcceptedAt!.Value)));
        var actions = await db.AuditLog.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal([AuditAction.SignIn, AuditAction.InvitationAccepted, AuditAction.InvitationAccepted, AuditAction.InvitationAccepted, AuditAction.SignIn], actions);
    }

    [Fact]
    public async Task SignIn_SameEmailFromAnotherIssuer_IsAnotherUser()
    {
        var one = await _signIn.SignInAsync(new SignInClaims(Issuer, "sub-3", "eva@example.pe", true, null), Origin, Ct);
        var two = await _signIn.SignInAsync(new SignInClaims("https://otro.example/", "sub-3", "eva@example.pe", true, null), Origin, Ct);

        Assert.NotEqual(one.UserId, two.UserId);
    }

    [Fact]
    public async Task RecordSignOut_WritesTheAuditEntry()
    {
        var user = await _signIn.SignInAsync(new SignInClaims(Issuer, "sub-4", "rosa@example.pe", true, null), Origin, Ct);

        await _signIn.RecordSignOutAsync(new PortalIdentity(user.UserId!.Value, "rosa@example.pe", false), Origin, Ct);

        await using var db = _database.CreateContext();
        var last = await db.AuditLog.OrderBy(a => a.Id).LastAsync(Ct);
        Assert.Equal((AuditAction.SignOut, user.UserId, "rosa@example.pe", "Firefox"), (last.Action, last.ActorUserId, last.Actor, last.UserAgent));
    }
}
