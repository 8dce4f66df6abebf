using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Identity;

/// <summary>
/// Organizer API keys for ERPs and scripts: owners create, list and revoke them; the organizer API verifies them.
/// A key is read-only and scoped to its organizer, shown once and stored only as a SHA-256 hash
/// (<see cref="ApiKeyFormat"/>). Mutations re-check that the caller is an owner (the page's policy is not trusted
/// alone) and write their audit entry in the same save as the change.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<BillingDbContext> factory, TimeProvider time)
{
    /// <summary>Longest key name (the column's size).</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// <see cref="OrganizerApiKey.LastUsedAt"/> is written at most once per this interval per key, so a busy ERP does not
    /// turn every read into a write.
    /// </summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const string ForbiddenMessage = "Solo los propietarios del organizador pueden administrar sus claves de API.";
    private const string NotFoundMessage = "La clave de API no existe.";

    /// <summary>
    /// Creates a key named <paramref name="name"/> (trimmed, 1..100 characters, unique among the organizer's active keys,
    /// case-insensitive). Owners only: anyone else gets <see cref="ApiKeyResult{T}.Forbidden"/> and nothing is written.
    /// </summary>
    public async Task<ApiKeyResult<CreatedApiKey>> CreateAsync(OrganizerAccess access, string? name, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (!CanManage(access)) return new ApiKeyResult<CreatedApiKey>.Forbidden(ForbiddenMessage);

        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
            return new ApiKeyResult<CreatedApiKey>.Invalid("name", ApiKeyRules.Required, "Indique un nombre para la clave.");
        if (trimmed.Length > MaxNameLength)
            return new ApiKeyResult<CreatedApiKey>.Invalid("name", ApiKeyRules.MaxLength, $"El nombre no puede superar {MaxNameLength} caracteres.");
        if (trimmed.Any(char.IsControl))
            return new ApiKeyResult<CreatedApiKey>.Invalid("name", ApiKeyRules.InvalidCharacters, "El nombre no puede contener caracteres de control.");

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var activeNames = await db.ApiKeys.AsNoTracking()
            .Where(k => k.OrganizerId == access.OrganizerId && k.RevokedAt == null)
            .Select(k => k.Name)
            .ToListAsync(cancellationToken);
        if (activeNames.Any(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase)))
            return new ApiKeyResult<CreatedApiKey>.Invalid("name", ApiKeyRules.DuplicateName, "Ya existe una clave activa con ese nombre.");

        // 62^8 ids make a clash practically impossible; the unique index on Prefix is the real guarantee.
        var material = ApiKeyFormat.Generate();
        while (await db.ApiKeys.AnyAsync(k => k.Prefix == material.Prefix, cancellationToken))
            material = ApiKeyFormat.Generate();

        var now = time.GetUtcNow();
        var key = new OrganizerApiKey
        {
            OrganizerId = access.OrganizerId,
            Name = trimmed,
            Prefix = material.Prefix,
            Hash = material.Hash,
            CreatedByUserId = access.UserId!.Value,
            CreatedAt = now,
        };
        db.ApiKeys.Add(key);
        db.AuditLog.Add(Audit(access, origin, AuditAction.ApiKeyCreated, key, now, $"Clave de API «{trimmed}» creada."));
        await db.SaveChangesAsync(cancellationToken);
        return new ApiKeyResult<CreatedApiKey>.Success(new CreatedApiKey(material.Key, ApiKeyListItem.From(key)));
    }

    /// <summary>The organizer's keys (any role may list them), active ones first, newest first; never hashes.</summary>
    public async Task<IReadOnlyList<ApiKeyListItem>> ListAsync(OrganizerAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.OrganizerId == access.OrganizerId)
            .Select(k => new ApiKeyListItem(k.Id, k.Name, k.Prefix, k.CreatedAt, k.CreatedByUserId, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
        return [.. keys.OrderBy(k => k.RevokedAt is null ? 0 : 1).ThenByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)];
    }

    /// <summary>
    /// Revokes a key of the caller's organizer: from then on it authenticates nothing. Owners only. A key id of another
    /// organizer (or none) is <see cref="ApiKeyResult{T}.NotFound"/>. Revoking a revoked key succeeds and changes nothing.
    /// </summary>
    public async Task<ApiKeyResult<ApiKeyListItem>> RevokeAsync(OrganizerAccess access, int keyId, AuditOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (!CanManage(access)) return new ApiKeyResult<ApiKeyListItem>.Forbidden(ForbiddenMessage);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.OrganizerId == access.OrganizerId, cancellationToken);
        if (key is null) return new ApiKeyResult<ApiKeyListItem>.NotFound(NotFoundMessage);
        if (key.RevokedAt is not null) return new ApiKeyResult<ApiKeyListItem>.Success(ApiKeyListItem.From(key));

        var now = time.GetUtcNow();
        key.RevokedAt = now;
        key.RevokedByUserId = access.UserId;
        db.AuditLog.Add(Audit(access, origin, AuditAction.ApiKeyRevoked, key, now, $"Clave de API «{key.Name}» revocada."));
        await db.SaveChangesAsync(cancellationToken);
        return new ApiKeyResult<ApiKeyListItem>.Success(ApiKeyListItem.From(key));
    }

    /// <summary>
    /// Checks a presented key: it must have the key's shape, its prefix must exist, its SHA-256 must equal the stored
    /// hash (constant-time) and it must not be revoked. Returns null otherwise, without saying which check failed.
    /// Touches <see cref="OrganizerApiKey.LastUsedAt"/> at most once per <see cref="LastUsedResolution"/>.
    /// </summary>
    public async Task<VerifiedApiKey?> VerifyAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        var prefix = ApiKeyFormat.TryGetPrefix(presentedKey);
        if (prefix is null) return null;

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var stored = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Prefix == prefix)
            .Select(k => new { k.Id, k.OrganizerId, k.Hash, k.RevokedAt, k.LastUsedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (stored is null || !ApiKeyFormat.Matches(presentedKey!, stored.Hash) || stored.RevokedAt is not null) return null;

        var now = time.GetUtcNow();
        if (stored.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedResolution)
        {
            var threshold = now - LastUsedResolution;
            await db.ApiKeys
                .Where(k => k.Id == stored.Id && (k.LastUsedAt == null || k.LastUsedAt <= threshold))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return new VerifiedApiKey(stored.OrganizerId, stored.Id, prefix);
    }

    /// <summary>Owners acting as signed-in users; an API key (no user) never manages keys.</summary>
    private static bool CanManage(OrganizerAccess access) => access.IsOwner && access.UserId is not null;

    /// <summary>Who, what, when and from where (IP address and user agent of the request that made the change).</summary>
    private static AuditEntry Audit(OrganizerAccess access, AuditOrigin origin, AuditAction action, OrganizerApiKey key, DateTimeOffset now, string detail) =>
        AuditTrail.Entry(now, action, origin, access.UserId, access.Actor, access.OrganizerId, "api-key:" + key.Prefix, detail);
}
