using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>
/// <c>mp-connect</c> (§2.7): a seller authorized or deauthorized the platform's application in Mercado Pago. The seller
/// is <c>data.id</c> (its user id), else the body's <c>user_id</c>; <see cref="IMercadoPagoLinking.HandleConnectNotificationAsync"/>
/// marks the link revoked on <c>application.deauthorized</c>. A notification without a usable seller id is logged and
/// dropped (answering an error would only make Mercado Pago send the same one again).
/// </summary>
public sealed partial class MercadoPagoConnectNotificationHandler(
    IMercadoPagoLinking linking,
    ILogger<MercadoPagoConnectNotificationHandler> logger) : IMercadoPagoNotificationHandler
{
    public bool Handles(string topic) => string.Equals(topic, MercadoPagoNotificationTypes.MpConnect, StringComparison.OrdinalIgnoreCase);

    public async Task HandleAsync(MercadoPagoWebhook webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var sellerId = SellerId(webhook.DataId) ?? SellerId(webhook.Body?.UserId);
        var action = webhook.Action;
        if (sellerId is not { } seller || string.IsNullOrWhiteSpace(action))
        {
            LogIgnored(logger, webhook.RequestId);
            return;
        }

        var applied = await linking.HandleConnectNotificationAsync(seller, action, cancellationToken);
        LogHandled(logger, action, seller, applied, webhook.RequestId);
    }

    private static long? SellerId(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mercado Pago mp-connect notification without a seller id or action ignored; x-request-id {RequestId}")]
    private static partial void LogIgnored(ILogger logger, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mercado Pago mp-connect {Action} for seller {SellerId}: applied to a link {Applied}; x-request-id {RequestId}")]
    private static partial void LogHandled(ILogger logger, string action, long sellerId, bool applied, string? requestId);
}
