using System.ComponentModel.DataAnnotations;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>
/// Section <c>MercadoPago:Webhooks:Processing</c>: how the inbox processor (<see cref="WebhookProcessor"/>) takes and
/// retries entries. A failed entry waits <see cref="BackoffBase"/> × 2^(attempts − 1), at most <see cref="BackoffMax"/>,
/// and after <see cref="MaxAttempts"/> failures it is dead-lettered for the admins (with the defaults: 30 s, 1 min,
/// 2 min … 32 min, 1 h: about two hours of trying before a person is asked to look).
/// </summary>
public sealed class MercadoPagoWebhookProcessingOptions
{
    public const string SectionName = "MercadoPago:Webhooks:Processing";

    /// <summary>Whether the host runs the processor (off: entries wait in the inbox).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Entries claimed per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>How often the processor looks when nothing woke it (the intake wakes it on every commit).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long a claimed entry is reserved; after that another processor (or instance) may take it again.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The delay before the next try after <paramref name="attempts"/> failed ones.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = BackoffBase.Ticks * Math.Pow(2, exponent);
        return ticks >= BackoffMax.Ticks ? BackoffMax : TimeSpan.FromTicks((long)ticks);
    }
}
