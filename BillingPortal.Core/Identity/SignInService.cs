using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.Identity;

/// <summary>What the provider's validated id_token says about the person signing in.</summary>
/// <param name="Issuer">The token's <c>iss</c>.</param>
/// <param name="Subject">The token's <c>sub</c>.</param>
/// <param name="Email">The <c>email</c> claim, if any.</param>
/// <param name="EmailVerified">Whether the provider asserted <c>email_verified = true</c>.</param>
/// <param name="DisplayName">The <c>name</c> claim, if any.</param>
public sealed record SignInClaims(string Issuer, string Subject, string? Email, bool EmailVerified, string? DisplayName);

public enum SignInOutcome
{
    SignedIn,

    /// <summary>No email, an invalid one, or one the provider did not mark as verified: refused, nothing stored but the audit entry.</summary>
    EmailNotVerified,
}

/// <summary>The result of <see cref="SignInService.SignInAsync"/>: the user and the organizers whose invitations were just accepted.</summary>
public sealed record SignInResult(SignInOutcome Outcome, int? UserId, string? Email, IReadOnlyList<int> AcceptedOrganizerIds);

/// <summary>
/// Runs once per successful OpenID Connect sign-in, before the portal's session cookie is issued.
/// <list type="bullet">
/// <item>A verified email is required: invitations bind by email, so an unverified address could claim someone
/// else's invitation. Refusals are audited as <see cref="AuditAction.SignInDenied"/>.</item>
/// <item>The user is found or created by (issuer, subject), never by email; their email and name are refreshed.</item>
/// <item>Every pending, unexpired, unrevoked invitation for that email becomes a membership (an existing membership
/// of the same organizer is kept as it is), in the same transaction as the user and the audit entries.</item>
/// </list>
/// </summary>
public sealed partial class SignInService(IDbContextFactory<BillingDbContext> factory, TimeProvider time, ILogger<SignInService> logger)
{
    public async Task<SignInResult> SignInAsync(SignInClaims claims, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(origin);
        var email = EmailAddress.Normalize(claims.Email);
        if (email is null || !claims.EmailVerified)
        {
            await DenyAsync(claims, email, origin, cancellationToken);
            return new SignInResult(SignInOutcome.EmailNotVerified, null, email, []);
        }

        // Two first sign-ins of the same person at once: the loser of the unique (issuer, subject) index tries again
        // and finds the user the winner created.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SignInOnceAsync(claims, email, origin, cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                LogRetry(logger);
            }
        }
    }

    /// <summary>Audits a sign-out (the host clears its cookie and the provider's session).</summary>
    public async Task RecordSignOutAsync(PortalIdentity user, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.AuditLog.Add(AuditTrail.Entry(time.GetUtcNow(), AuditAction.SignOut, origin, user.UserId, user.Email, null, $"user:{user.UserId}", null));
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<SignInResult> SignInOnceAsync(SignInClaims claims, string email, AuditOrigin origin, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();

            var user = await db.Users.FirstOrDefaultAsync(u => u.Issuer == claims.Issuer && u.Subject == claims.Subject, ct);
            if (user is null)
            {
                user = new PortalUser { Issuer = claims.Issuer, Subject = claims.Subject, Email = email, CreatedAt = now };
                db.Users.Add(user);
            }

            user.Email = email;
            user.DisplayName = AuditOrigin.Cut(claims.DisplayName, 200);
            user.LastSignInAt = now;
            await db.SaveChangesAsync(ct);

            var invitations = await db.Invitations
                .Where(i => i.Email == email && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
                .OrderBy(i => i.Id)
                .ToListAsync(ct);
            var memberOf = await db.OrganizerMembers.Where(m => m.UserId == user.Id).Select(m => m.OrganizerId).ToListAsync(ct);
            var accepted = new List<int>();
            foreach (var invitation in invitations)
            {
                invitation.AcceptedAt = now;
                invitation.AcceptedByUserId = user.Id;
                if (!memberOf.Contains(invitation.OrganizerId))
                {
                    db.OrganizerMembers.Add(new OrganizerMember { OrganizerId = invitation.OrganizerId, UserId = user.Id, Role = invitation.Role, CreatedAt = now });
                    memberOf.Add(invitation.OrganizerId);
                }

                accepted.Add(invitation.OrganizerId);
                db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.InvitationAccepted, origin, user.Id, email, invitation.OrganizerId,
                    $"invitation:{invitation.Id}", $"Invitación aceptada como {MembershipTexts.Role(invitation.Role)}."));
            }

            db.AuditLog.Add(AuditTrail.Entry(now, AuditAction.SignIn, origin, user.Id, email, null, $"user:{user.Id}", null));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new SignInResult(SignInOutcome.SignedIn, user.Id, email, accepted);
        }, cancellationToken);
    }

    private async Task DenyAsync(SignInClaims claims, string? email, AuditOrigin origin, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var reason = email is null ? "El proveedor no envió un correo válido." : "El proveedor no marcó el correo como verificado.";
        db.AuditLog.Add(AuditTrail.Entry(time.GetUtcNow(), AuditAction.SignInDenied, origin, null, email ?? $"sub:{claims.Subject}", null,
            $"sub:{claims.Subject}", reason));
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in raced another first sign-in of the same user; trying again")]
    private static partial void LogRetry(ILogger logger);
}
