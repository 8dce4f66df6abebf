using System.Data;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.Identity;

/// <summary>A member of an organizer as the members page lists them.</summary>
public sealed record MemberListItem(int MemberId, int UserId, string Email, string? DisplayName, OrganizerRole Role, DateTimeOffset Since);

/// <summary>A pending invitation as the members page lists it.</summary>
public sealed record InvitationListItem(int InvitationId, string Email, OrganizerRole Role, string? InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>An organizer's members (by email) and its pending, unexpired invitations (newest first).</summary>
public sealed record OrganizerMemberList(IReadOnlyList<MemberListItem> Members, IReadOnlyList<InvitationListItem> Invitations);

/// <summary>Why a membership change was refused.</summary>
public enum MembershipError
{
    /// <summary>Only owners manage members (HTTP 403).</summary>
    NotOwner,

    /// <summary>No such member or invitation in this organizer (HTTP 404): ids from other organizers are never touched.</summary>
    NotFound,

    /// <summary>The email is not one valid address (HTTP 400, field <c>email</c>).</summary>
    EmailInvalid,

    /// <summary>Someone with that email is already a member (HTTP 409).</summary>
    AlreadyMember,

    /// <summary>That email already has a pending invitation to this organizer (HTTP 409).</summary>
    AlreadyInvited,

    /// <summary>The change would leave the organizer without an owner (HTTP 409).</summary>
    LastOwner,
}

/// <summary>The outcome of a membership change: success (with the new invitation's id when one was created) or the rule that refused it.</summary>
public sealed record MembershipResult(MembershipError? Error, int? Id = null)
{
    public static MembershipResult Done(int? id = null) => new(null, id);

    public static MembershipResult Refused(MembershipError error) => new(error);

    public bool Succeeded => Error is null;
}

/// <summary>
/// Members and invitations of one organizer. Every method takes the caller's <see cref="OrganizerAccess"/> (from
/// <see cref="OrganizerAccessService"/>) and works only inside <see cref="OrganizerAccess.OrganizerId"/>; ids of members
/// or invitations of other organizers are answered as <see cref="MembershipError.NotFound"/>.
/// <list type="bullet">
/// <item>Only owners change anything: re-checked here against the database, inside the change's transaction, whatever
/// the UI showed and whatever role the <see cref="OrganizerAccess"/> carries (it may be stale, or forged).</item>
/// <item>An organizer always keeps at least one owner: demoting or removing the last one is refused. The check and the
/// change run in one serializable transaction, so two owners demoting each other at once cannot both succeed.</item>
/// <item>One pending invitation per organizer and email; none for someone who is already a member.</item>
/// <item>Every change is written to the audit log in the same transaction: who, what, when, from where.</item>
/// </list>
/// </summary>
public sealed class MemberService(IDbContextFactory<BillingDbContext> factory, TimeProvider time, IOptions<MembershipOptions> options)
{
    public async Task<OrganizerMemberList> ListAsync(OrganizerAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var members = await db.OrganizerMembers.AsNoTracking()
            .Where(m => m.OrganizerId == access.OrganizerId)
            .Select(m => new MemberListItem(m.Id, m.UserId, m.User!.Email, m.User.DisplayName, m.Role, m.CreatedAt))
            .ToListAsync(cancellationToken);
        var invitations = await db.Invitations.AsNoTracking()
            .Where(i => i.OrganizerId == access.OrganizerId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .Select(i => new InvitationListItem(i.Id, i.Email, i.Role,
                db.Users.Where(u => u.Id == i.InvitedByUserId).Select(u => u.Email).FirstOrDefault(), i.CreatedAt, i.ExpiresAt))
            .ToListAsync(cancellationToken);
        return new OrganizerMemberList(
            [.. members.OrderBy(m => m.Email, StringComparer.Ordinal)],
            [.. invitations.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.InvitationId)]);
    }

    /// <summary>An owner invites <paramref name="email"/> with <paramref name="role"/>; it binds at that person's first verified sign-in.</summary>
    public Task<MembershipResult> InviteAsync(OrganizerAccess access, string? email, OrganizerRole role, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        return CreateInvitationAsync(access.OrganizerId, email, role, access.UserId, access.Actor, options.Value.InvitationLifetime, origin,
            requireOwner: access, cancellationToken);
    }

    /// <summary>
    /// A platform admin invites someone to any organizer (e.g. its first owner, when it has none yet). The admin's
    /// identity is checked here, not only by the page.
    /// </summary>
    public async Task<MembershipResult> InviteAsPlatformAdminAsync(
        PortalIdentity admin, int organizerId, string? email, OrganizerRole role, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (!admin.IsPlatformAdmin) return MembershipResult.Refused(MembershipError.NotOwner);
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Organizers.AnyAsync(o => o.Id == organizerId, cancellationToken)) return MembershipResult.Refused(MembershipError.NotFound);
        }

        return await CreateInvitationAsync(organizerId, email, role, admin.UserId, admin.Email, options.Value.InvitationLifetime, origin, requireOwner: null, cancellationToken);
    }

    /// <summary>
    /// The platform itself invites <paramref name="email"/> (no inviting user), unless that person is already a member or
    /// already invited: used at start-up in demo mode. Returns whether an invitation was created.
    /// </summary>
    public async Task<bool> EnsurePlatformInvitationAsync(int organizerId, string email, OrganizerRole role, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var result = await CreateInvitationAsync(organizerId, email, role, null, AuditTrail.PlatformActor, lifetime, AuditOrigin.None, requireOwner: null, cancellationToken);
        return result.Succeeded;
    }

    public Task<MembershipResult> ChangeRoleAsync(OrganizerAccess access, int memberId, OrganizerRole role, AuditOrigin origin, CancellationToken cancellationToken) =>
        ChangeMemberAsync(access, memberId, origin, (db, member, now) =>
        {
            if (member.Role == role) return false;
            var detail = $"{member.User!.Email}: de {MembershipTexts.Role(member.Role)} a {MembershipTexts.Role(role)}.";
            member.Role = role;
            db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.MemberRoleChanged, origin, access.UserId, access.Actor, access.OrganizerId, $"member:{member.Id}", detail));
            return true;
        }, demotes: role != OrganizerRole.Owner, cancellationToken);

    public Task<MembershipResult> RemoveAsync(OrganizerAccess access, int memberId, AuditOrigin origin, CancellationToken cancellationToken) =>
        ChangeMemberAsync(access, memberId, origin, (db, member, now) =>
        {
            var detail = $"{member.User!.Email} ({MembershipTexts.Role(member.Role)}) ya no es miembro.";
            db.OrganizerMembers.Remove(member);
            db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.MemberRemoved, origin, access.UserId, access.Actor, access.OrganizerId, $"member:{member.Id}", detail));
            return true;
        }, demotes: true, cancellationToken);

    public async Task<MembershipResult> RevokeInvitationAsync(OrganizerAccess access, int invitationId, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (!access.IsOwner) return MembershipResult.Refused(MembershipError.NotOwner);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await IsOwnerAsync(db, access, cancellationToken)) return MembershipResult.Refused(MembershipError.NotOwner);
        var now = time.GetUtcNow();
        var invitation = await db.Invitations.FirstOrDefaultAsync(
            i => i.Id == invitationId && i.OrganizerId == access.OrganizerId && i.AcceptedAt == null && i.RevokedAt == null, cancellationToken);
        if (invitation is null) return MembershipResult.Refused(MembershipError.NotFound);

        invitation.RevokedAt = now;
        db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.InvitationRevoked, origin, access.UserId, access.Actor, access.OrganizerId,
            $"invitation:{invitation.Id}", $"Invitación a {invitation.Email} ({MembershipTexts.Role(invitation.Role)}) revocada."));
        await db.SaveChangesAsync(cancellationToken);
        return MembershipResult.Done(invitation.Id);
    }

    private async Task<MembershipResult> CreateInvitationAsync(
        int organizerId, string? rawEmail, OrganizerRole role, int? invitedBy, string actor, TimeSpan lifetime, AuditOrigin origin,
        OrganizerAccess? requireOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (requireOwner is { IsOwner: false }) return MembershipResult.Refused(MembershipError.NotOwner);
        var email = EmailAddress.Normalize(rawEmail);
        if (email is null) return MembershipResult.Refused(MembershipError.EmailInvalid);
        if (!Enum.IsDefined(role)) throw new ArgumentOutOfRangeException(nameof(role));

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            var now = time.GetUtcNow();
            if (requireOwner is not null && !await IsOwnerAsync(db, requireOwner, ct)) return MembershipResult.Refused(MembershipError.NotOwner);
            if (await db.OrganizerMembers.AnyAsync(m => m.OrganizerId == organizerId && m.User!.Email == email, ct))
                return MembershipResult.Refused(MembershipError.AlreadyMember);
            if (await db.Invitations.AnyAsync(i => i.OrganizerId == organizerId && i.Email == email && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, ct))
                return MembershipResult.Refused(MembershipError.AlreadyInvited);

            var invitation = new Invitation
            {
                OrganizerId = organizerId,
                Email = email,
                Role = role,
                InvitedByUserId = invitedBy,
                CreatedAt = now,
                ExpiresAt = now + lifetime,
            };
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync(ct);
            db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.InvitationCreated, origin, invitedBy, actor, organizerId,
                $"invitation:{invitation.Id}", $"Invitación a {email} como {MembershipTexts.Role(role)}."));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return MembershipResult.Done(invitation.Id);
        }, cancellationToken);
    }

    /// <summary>Loads the member inside the caller's organizer, applies <paramref name="change"/>, and keeps one owner at least.</summary>
    private async Task<MembershipResult> ChangeMemberAsync(
        OrganizerAccess access, int memberId, AuditOrigin origin, Func<BillingDbContext, OrganizerMember, DateTimeOffset, bool> change, bool demotes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(origin);
        if (!access.IsOwner) return MembershipResult.Refused(MembershipError.NotOwner);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            if (!await IsOwnerAsync(db, access, ct)) return MembershipResult.Refused(MembershipError.NotOwner);
            var member = await db.OrganizerMembers.Include(m => m.User)
                .FirstOrDefaultAsync(m => m.Id == memberId && m.OrganizerId == access.OrganizerId, ct);
            if (member is null) return MembershipResult.Refused(MembershipError.NotFound);

            if (demotes && member.Role == OrganizerRole.Owner)
            {
                var owners = await db.OrganizerMembers.CountAsync(m => m.OrganizerId == access.OrganizerId && m.Role == OrganizerRole.Owner, ct);
                if (owners <= 1) return MembershipResult.Refused(MembershipError.LastOwner);
            }

            if (change(db, member, time.GetUtcNow()))
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }

            return MembershipResult.Done(memberId);
        }, cancellationToken);
    }

    /// <summary>Whether the caller is, right now, an owner of the organizer their access names.</summary>
    private static Task<bool> IsOwnerAsync(BillingDbContext db, OrganizerAccess access, CancellationToken cancellationToken) =>
        access.UserId is { } userId
            ? db.OrganizerMembers.AnyAsync(m => m.OrganizerId == access.OrganizerId && m.UserId == userId && m.Role == OrganizerRole.Owner, cancellationToken)
            : Task.FromResult(false);
}
