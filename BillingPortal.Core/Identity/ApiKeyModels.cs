namespace BillingPortal.Core.Identity;

/// <summary>An API key as lists show it: never the hash, never the secret.</summary>
/// <param name="Id">The key's id (what <see cref="ApiKeyService.RevokeAsync"/> takes).</param>
/// <param name="Name">The owner's name for it ("ERP contable").</param>
/// <param name="Prefix">The first 16 characters of the key (<c>bp_live_xxxxxxxx</c>), to recognise it.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="CreatedByUserId">The owner who created it.</param>
/// <param name="LastUsedAt">When it last authenticated a request (UTC, to the minute), or null if never.</param>
/// <param name="RevokedAt">When it was revoked (UTC), or null while active.</param>
public sealed record ApiKeyListItem(
    int Id,
    string Name,
    string Prefix,
    DateTimeOffset CreatedAt,
    int CreatedByUserId,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether requests with this key are still accepted.</summary>
    public bool IsActive => RevokedAt is null;

    internal static ApiKeyListItem From(OrganizerApiKey key) =>
        new(key.Id, key.Name, key.Prefix, key.CreatedAt, key.CreatedByUserId, key.LastUsedAt, key.RevokedAt);
}

/// <summary>A key just created: <see cref="PlainKey"/> is shown to the owner once and exists nowhere else.</summary>
public sealed record CreatedApiKey(string PlainKey, ApiKeyListItem Key)
{
    /// <summary>Keeps the secret out of logs and debugger views that print the record.</summary>
    public override string ToString() => $"CreatedApiKey {{ Key = {Key} }}";
}

/// <summary>A presented key that matched an active stored key: whose it is and which one.</summary>
public sealed record VerifiedApiKey(int OrganizerId, int KeyId, string Prefix);
