namespace BillingPortal.Core.Auditing;

/// <summary>
/// Builds audit entries. Services add them to the same context (and so the same transaction) as the change they
/// describe, so a change is never stored without its entry, nor an entry without its change.
/// </summary>
public static class AuditTrail
{
    public const int MaxActorLength = 254;
    public const int MaxTargetLength = 100;
    public const int MaxDetailLength = 500;

    /// <summary>The actor written for changes the platform makes by itself (e.g. the demo's start-up).</summary>
    public const string PlatformActor = "plataforma";

    public static AuditEntry Entry(
        DateTimeOffset occurredAt,
        AuditAction action,
        AuditOrigin origin,
        int? actorUserId,
        string? actor,
        int? organizerId,
        string? target,
        string? detail)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return new AuditEntry
        {
            OccurredAt = occurredAt,
            Action = action,
            ActorUserId = actorUserId,
            Actor = AuditOrigin.Cut(actor, MaxActorLength),
            OrganizerId = organizerId,
            Target = AuditOrigin.Cut(target, MaxTargetLength),
            Detail = AuditOrigin.Cut(detail, MaxDetailLength),
            IpAddress = origin.IpAddress,
            UserAgent = origin.UserAgent,
        };
    }
}
