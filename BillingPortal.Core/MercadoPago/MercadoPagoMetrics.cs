using System.Diagnostics.Metrics;

namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// The Mercado Pago instruments (issue #5 §6), on the meter <see cref="MeterName"/> that the host exports with
/// OpenTelemetry at <c>/metrics</c> (Prometheus). Tags are low-cardinality: never an organizer id, payment id or token.
/// </summary>
public sealed class MercadoPagoMetrics : IDisposable
{
    public const string MeterName = "BillingPortal.MercadoPago";

    private readonly Meter _meter;

    public MercadoPagoMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        SyncRuns = _meter.CreateCounter<long>("billingportal.mp.sync.runs", "{run}", "Sync runs finished, by kind and status.");
        SyncRunDuration = _meter.CreateHistogram<double>("billingportal.mp.sync.run.duration", "s", "Duration of sync runs, by kind and status.");
        SyncPages = _meter.CreateCounter<long>("billingportal.mp.sync.pages", "{page}", "Search pages read by the sync.");
        PaymentsUpserted = _meter.CreateCounter<long>("billingportal.mp.payments.upserted", "{payment}", "Payments written, by source (sync, webhook) and result (created, updated, unchanged, stale).");
        WebhooksReceived = _meter.CreateCounter<long>("billingportal.mp.webhooks.received", "{notification}", "Webhook requests, by topic and outcome (accepted, duplicate, rejected, too_large).");
        WebhookIntakeDuration = _meter.CreateHistogram<double>("billingportal.mp.webhooks.intake.duration", "ms", "Time to verify and durably accept a webhook.");
        WebhooksProcessed = _meter.CreateCounter<long>("billingportal.mp.webhooks.processed", "{notification}", "Inbox entries processed, by topic and outcome (processed, ignored, retry, dead_lettered).");
        ApiCalls = _meter.CreateCounter<long>("billingportal.mp.api.calls", "{call}", "HTTP attempts to Mercado Pago, by operation and status code (or timeout/network).");
        ApiRetries = _meter.CreateCounter<long>("billingportal.mp.api.retries", "{retry}", "Retries of Mercado Pago calls, by operation and reason.");
        ApiCallDuration = _meter.CreateHistogram<double>("billingportal.mp.api.call.duration", "ms", "Duration of one HTTP attempt to Mercado Pago.");
        TokenRenewals = _meter.CreateCounter<long>("billingportal.mp.token.renewals", "{renewal}", "Token renewals, by result.");
    }

    public Counter<long> SyncRuns { get; }

    public Histogram<double> SyncRunDuration { get; }

    public Counter<long> SyncPages { get; }

    public Counter<long> PaymentsUpserted { get; }

    public Counter<long> WebhooksReceived { get; }

    public Histogram<double> WebhookIntakeDuration { get; }

    public Counter<long> WebhooksProcessed { get; }

    public Counter<long> ApiCalls { get; }

    public Counter<long> ApiRetries { get; }

    public Histogram<double> ApiCallDuration { get; }

    public Counter<long> TokenRenewals { get; }

    public void Dispose() => _meter.Dispose();
}
