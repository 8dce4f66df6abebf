namespace BillingPortal.Core.Auditing;

/// <summary>
/// Where an audited action came from: the client's IP address (after the proxy's forwarded headers) and its user agent,
/// cut to the audit log's column sizes. Captured by the host from the request that started the action.
/// </summary>
public sealed record AuditOrigin
{
    public const int MaxIpLength = 45;
    public const int MaxUserAgentLength = 300;

    public AuditOrigin(string? ipAddress, string? userAgent)
    {
        IpAddress = Cut(ipAddress, MaxIpLength);
        UserAgent = Cut(userAgent, MaxUserAgentLength);
    }

    /// <summary>For actions with no request behind them (start-up tasks).</summary>
    public static AuditOrigin None { get; } = new(null, null);

    public string? IpAddress { get; }

    public string? UserAgent { get; }

    internal static string? Cut(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        return trimmed.Length <= max ? trimmed : trimmed[..max];
    }
}
