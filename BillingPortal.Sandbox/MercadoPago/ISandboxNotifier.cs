namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// Queues a webhook notification for delivery (signed, retried; see <see cref="SandboxWebhookOptions"/>). Implemented by
/// the emulator's webhook sender; the OAuth side calls it for <c>mp-connect</c>, the payments side for <c>payment</c>.
/// </summary>
public interface ISandboxNotifier
{
    /// <summary>A <c>payment</c> notification (<c>payment.created</c> / <c>payment.updated</c>) for a seller's payment.</summary>
    Task<string> NotifyPaymentAsync(long sellerId, long paymentId, string action, CancellationToken cancellationToken);

    /// <summary>An <c>mp-connect</c> notification (<c>application.authorized</c> / <c>application.deauthorized</c>); data.id = seller id.</summary>
    Task<string> NotifyConnectAsync(long sellerId, string action, CancellationToken cancellationToken);
}
