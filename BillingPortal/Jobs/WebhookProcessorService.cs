using BillingPortal.Core.MercadoPago.Webhooks;
using Microsoft.Extensions.Options;

namespace BillingPortal.Jobs;

/// <summary>
/// Runs the webhook inbox processor (<see cref="WebhookProcessor"/>) for as long as the portal runs: a round as soon as
/// the intake commits something (<see cref="WebhookInboxSignal"/>), else when the next retry is due, else every
/// <c>MercadoPago:Webhooks:Processing:PollInterval</c> (10 s), which also picks up entries left by a stopped instance
/// once their lease expires. Switched off by <c>MercadoPago:Webhooks:Processing:Enabled=false</c> (entries then wait).
/// Not a Quartz job: a trigger every few seconds would still make accepted notifications wait for the next tick.
/// </summary>
public sealed partial class WebhookProcessorService(
    IServiceScopeFactory scopes,
    WebhookInboxSignal signal,
    IOptionsMonitor<MercadoPagoWebhookProcessingOptions> options,
    ILogger<WebhookProcessorService> logger) : BackgroundService
{
    /// <summary>Shortest pause when nothing could be claimed (an entry is due but held by another instance's lease).</summary>
    private static readonly TimeSpan ShortestPause = TimeSpan.FromMilliseconds(100);

    /// <summary>Pause after an unexpected failure of a whole round (the database unreachable, say).</summary>
    private static readonly TimeSpan FailurePause = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            var sleep = settings.PollInterval;
            if (settings.Enabled)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var processor = scope.ServiceProvider.GetRequiredService<WebhookProcessor>();
                    var round = await processor.ProcessDueAsync(stoppingToken);
                    if (round.Claimed >= settings.BatchSize) continue;
                    if (await processor.NextDueInAsync(stoppingToken) is { } due && due < sleep)
                        sleep = round.Claimed == 0 && due < ShortestPause ? ShortestPause : due;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    LogRoundFailed(logger, e);
                    sleep = FailurePause < sleep ? FailurePause : sleep;
                }
            }

            try
            {
                await signal.WaitAsync(sleep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook inbox processing round failed; retrying shortly")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}

/// <summary>Registers <see cref="WebhookProcessorService"/>.</summary>
public static class WebhookProcessingExtensions
{
    /// <summary>
    /// The inbox processor in the web host only (never in <c>migrate</c> or <c>seed</c>). Registered after the start-up
    /// tasks, so that the database is migrated before the first round.
    /// </summary>
    public static WebApplicationBuilder AddWebhookProcessing(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<WebhookProcessorService>();
        return builder;
    }
}
