namespace BillingPortal.Core.Identity;

/// <summary>Members and invitations (section <c>Membership</c>).</summary>
public sealed class MembershipOptions
{
    public const string SectionName = "Membership";

    public static readonly TimeSpan MinInvitationLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxInvitationLifetime = TimeSpan.FromDays(365);

    /// <summary>How long an invitation can be accepted (first sign-in with the invited email): <c>d.hh:mm:ss</c>, default 14 days.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(14);
}
