using System.Globalization;
using BillingPortal.Core.MercadoPago.Sync;

namespace BillingPortal.Jobs;

/// <summary>
/// When the payment sync jobs run, from <see cref="PaymentSyncOptions"/> (section <c>MercadoPago:Sync</c>):
/// <c>Interval</c> (00:15:00) and <c>ReconciliationTimeLima</c> (03:00, a time of day in America/Lima).
/// </summary>
public sealed record SyncSchedule(TimeSpan Interval, TimeOnly ReconciliationTimeLima)
{
    /// <summary>The Quartz cron expression (seconds first) of the daily reconciliation.</summary>
    public string ReconciliationCron => string.Create(CultureInfo.InvariantCulture,
        $"{ReconciliationTimeLima.Second} {ReconciliationTimeLima.Minute} {ReconciliationTimeLima.Hour} * * ?");

    public static SyncSchedule From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(PaymentSyncOptions.SectionName).Get<PaymentSyncOptions>() ?? new PaymentSyncOptions();
        return new SyncSchedule(options.Interval, options.ReconciliationTimeLima);
    }
}
