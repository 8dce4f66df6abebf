namespace BillingPortal.Core.Alerts;

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>
/// Something an admin must look at (a link needing re-authorization, repeated sync failures, dead-lettered webhooks…).
/// Raising the same open alert again (same <see cref="Key"/>) counts an occurrence instead of adding a row.
/// </summary>
public class AdminAlert
{
    public long Id { get; set; }

    /// <summary>What kind, e.g. <c>mercadopago.reauthorization-required</c> (see <see cref="AlertKinds"/>).</summary>
    public required string Kind { get; set; }

    /// <summary>De-duplication key of an open alert, e.g. <c>mercadopago.reauthorization-required:org:12</c>.</summary>
    public required string Key { get; set; }

    public AlertSeverity Severity { get; set; }

    public int? OrganizerId { get; set; }

    /// <summary>Spanish, one line.</summary>
    public required string Title { get; set; }

    /// <summary>Spanish, what happened and what to do (never a token, email or body).</summary>
    public string? Detail { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public int Occurrences { get; set; } = 1;

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }
}

/// <summary>Alert kinds.</summary>
public static class AlertKinds
{
    public const string ReauthorizationRequired = "mercadopago.reauthorization-required";
    public const string LinkRevoked = "mercadopago.link-revoked";
    public const string RenewalFailing = "mercadopago.renewal-failing";
    public const string SyncFailing = "mercadopago.sync-failing";
    public const string WebhookDeadLettered = "mercadopago.webhook-dead-lettered";
}

/// <summary>Raises and resolves admin alerts.</summary>
public interface IAdminAlerts
{
    /// <summary>Opens an alert, or counts one more occurrence of the open alert with the same key.</summary>
    Task RaiseAsync(string kind, string key, AlertSeverity severity, int? organizerId, string title, string? detail, CancellationToken cancellationToken);

    /// <summary>Resolves the open alert with this key, if any (e.g. when the link works again).</summary>
    Task ResolveAsync(string key, string resolvedBy, CancellationToken cancellationToken);
}
