using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>Stores people, memberships and invitations directly, for tests whose subject is not how they got there.</summary>
internal static class IdentitySeed
{
    private static int _next;

    /// <summary>A user as the sign-in would have created them (issuer and subject are made up).</summary>
    public static async Task<PortalUser> AddUserAsync(IDbContextFactory<BillingDbContext> factory, string? email = null, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _next);
        var user = new PortalUser
        {
            Issuer = "https://issuer.example/",
            Subject = $"seed-{n}-{Guid.NewGuid():N}",
            Email = email ?? $"persona{n}@example.pe",
            DisplayName = $"Persona {n}",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    public static async Task<OrganizerMember> AddMemberAsync(
        IDbContextFactory<BillingDbContext> factory, int organizerId, PortalUser user, OrganizerRole role, CancellationToken cancellationToken = default)
    {
        var member = new OrganizerMember { OrganizerId = organizerId, UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UnixEpoch };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.OrganizerMembers.Add(member);
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }

    /// <summary>A user who is a member of <paramref name="organizerId"/> with <paramref name="role"/>.</summary>
    public static async Task<(PortalUser User, OrganizerMember Member)> AddMemberAsync(
        IDbContextFactory<BillingDbContext> factory, int organizerId, OrganizerRole role, string? email = null, CancellationToken cancellationToken = default)
    {
        var user = await AddUserAsync(factory, email, cancellationToken);
        return (user, await AddMemberAsync(factory, organizerId, user, role, cancellationToken));
    }

    public static async Task<Invitation> AddInvitationAsync(
        IDbContextFactory<BillingDbContext> factory, int organizerId, string email, OrganizerRole role, DateTimeOffset expiresAt, int? invitedBy = null,
        CancellationToken cancellationToken = default)
    {
        var invitation = new Invitation
        {
            OrganizerId = organizerId,
            Email = email,
            Role = role,
            InvitedByUserId = invitedBy,
            CreatedAt = expiresAt.AddDays(-14),
            ExpiresAt = expiresAt,
        };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        return invitation;
    }
}
