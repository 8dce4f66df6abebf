namespace BillingPortal.Core.Auditing;

/// <summary>
/// Who did what, when and from where: sign-ins, membership and role changes, API key creation and revocation,
/// Mercado Pago linking. Viewable by platform admins. Never holds a secret, a token or a request body.
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>The acting user; null for the platform or an API key.</summary>
    public int? ActorUserId { get; set; }

    /// <summary>The actor as shown to admins (email or "api-key:prefix").</summary>
    public string? Actor { get; set; }

    public int? OrganizerId { get; set; }

    /// <summary>What was acted on, e.g. "member:12", "api-key:bp_ab12".</summary>
    public string? Target { get; set; }

    /// <summary>Short human detail (Spanish), never a secret.</summary>
    public string? Detail { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }
}

/// <summary>The audited actions.</summary>
public enum AuditAction
{
    SignIn,
    SignOut,
    SignInDenied,
    InvitationCreated,
    InvitationRevoked,
    InvitationAccepted,
    MemberRoleChanged,
    MemberRemoved,
    ApiKeyCreated,
    ApiKeyRevoked,
    MercadoPagoLinked,
    MercadoPagoUnlinked,

    /// <summary>A platform admin sent dead-lettered Mercado Pago notifications back to the inbox processor.</summary>
    WebhookReplayed,
}
