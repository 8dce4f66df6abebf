using BillingPortal.Core.MercadoPago.Linking;
using Quartz;

namespace BillingPortal.Jobs;

/// <summary>
/// Renews the Mercado Pago tokens of every link whose renewal is due (<c>MercadoPago:TokenRenewal:RenewBefore</c> ahead of
/// the access token's expiry, 30 days by default), every <c>MercadoPago:TokenRenewal:Interval</c> (hourly) from start-up.
/// One run at a time in this instance; across instances each link's renewal is guarded by the lease on its row.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TokenRenewalJob(IMercadoPagoTokenService tokens, ILogger<TokenRenewalJob> logger) : IJob
{
    public static readonly JobKey Key = new("mercadopago-token-renewal", "mercadopago");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Job"] = Key.Name });
        try
        {
            var summary = await tokens.RenewDueAsync(cancellationToken);
            if (summary.Renewed + summary.Failed + summary.ReauthorizationRequired + summary.Skipped > 0)
            {
                logger.LogInformation("Mercado Pago token renewal: {Renewed} renewed, {Skipped} skipped, {Failed} failed, {ReauthorizationRequired} need re-authorization",
                    summary.Renewed, summary.Skipped, summary.Failed, summary.ReauthorizationRequired);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Mercado Pago token renewal stopped by shutdown");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Mercado Pago token renewal run failed; the next run retries");
        }
    }
}
