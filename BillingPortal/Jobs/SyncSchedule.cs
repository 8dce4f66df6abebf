using System.Globalization;

namespace BillingPortal.Jobs;

/// <summary>
/// When the payment sync jobs run, from section <c>MercadoPago:Sync</c>: <c>Interval</c> (00:15:00) and
/// <c>ReconciliationTimeLima</c> (03:00, a time of day in America/Lima).
/// </summary>
public sealed record SyncSchedule(TimeSpan Interval, TimeOnly ReconciliationTimeLima)
{
    public static SyncSchedule Default { get; } = new(TimeSpan.FromMinutes(15), new TimeOnly(3, 0));

    /// <summary>The Quartz cron expression (seconds first) of the daily reconciliation.</summary>
    public string ReconciliationCron => string.Create(CultureInfo.InvariantCulture,
        $"{ReconciliationTimeLima.Second} {ReconciliationTimeLima.Minute} {ReconciliationTimeLima.Hour} * * ?");

    public static SyncSchedule From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("MercadoPago:Sync");
        var interval = section.GetValue<TimeSpan?>("Interval") ?? Default.Interval;
        var time = section["ReconciliationTimeLima"] is { Length: > 0 } text
            ? TimeOnly.Parse(text, CultureInfo.InvariantCulture)
            : Default.ReconciliationTimeLima;
        return new SyncSchedule(interval, time);
    }
}
