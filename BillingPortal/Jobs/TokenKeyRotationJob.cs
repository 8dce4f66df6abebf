using BillingPortal.Core.Security;
using Quartz;

namespace BillingPortal.Jobs;

/// <summary>
/// Re-encrypts stored tokens that are not under the active token protection key (<c>TokenProtection:ActiveKeyId</c>), so
/// that after a key rotation the old key can be retired: once at start-up, then every <c>Jobs:TokenKeyRotation:Interval</c>
/// (daily). A pass with nothing to do writes nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TokenKeyRotationJob(TokenKeyRotation rotation, ILogger<TokenKeyRotationJob> logger) : IJob
{
    public static readonly JobKey Key = new("token-key-rotation", "security");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Job"] = Key.Name });
        try
        {
            var result = await rotation.ReencryptAsync(cancellationToken);
            if (result.Failed > 0)
            {
                logger.LogWarning("Token key rotation: {Failed} rows cannot be opened with the configured keys; keep the old keys configured until they are fixed", result.Failed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Token key rotation stopped by shutdown");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Token key rotation run failed; the next run retries");
        }
    }
}
