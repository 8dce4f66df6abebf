namespace BillingPortal.Core.Identity;

/// <summary>A person who signed in through the OpenID Connect provider, keyed by (issuer, subject).</summary>
public class PortalUser
{
    public int Id { get; set; }

    /// <summary>The provider's issuer URI.</summary>
    public required string Issuer { get; set; }

    /// <summary>The provider's stable subject id (<c>sub</c>).</summary>
    public required string Subject { get; set; }

    /// <summary>The verified email last seen at sign-in, lower-cased.</summary>
    public required string Email { get; set; }

    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>A user's role in one organizer.</summary>
public enum OrganizerRole
{
    /// <summary>Reads and downloads.</summary>
    Viewer,

    /// <summary>Also manages members, links Mercado Pago and manages API keys.</summary>
    Owner,
}

/// <summary>Membership of a user in an organizer.</summary>
public class OrganizerMember
{
    public int Id { get; set; }

    public int OrganizerId { get; set; }

    public int UserId { get; set; }

    public PortalUser? User { get; set; }

    public OrganizerRole Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// An owner's invitation of an email address to an organizer. It binds on the first sign-in of a user whose
/// provider-verified email equals <see cref="Email"/> (compared lower-case), before it expires.
/// </summary>
public class Invitation
{
    public int Id { get; set; }

    public int OrganizerId { get; set; }

    /// <summary>Lower-cased email.</summary>
    public required string Email { get; set; }

    public OrganizerRole Role { get; set; }

    /// <summary>The owner (or platform admin) who invited; null when the platform itself did (the demo's start-up).</summary>
    public int? InvitedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public int? AcceptedByUserId { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// An organizer's read-only API key for ERPs and scripts. The secret is shown once; only its SHA-256 hash is stored.
/// <see cref="Prefix"/> (the first characters of the key) identifies it in lists and speeds up the lookup.
/// </summary>
public class OrganizerApiKey
{
    public int Id { get; set; }

    public int OrganizerId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public required string Hash { get; set; }

    public int CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public int? RevokedByUserId { get; set; }
}
