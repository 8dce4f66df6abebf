using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>
/// A webhook whose signature was verified (mercadopago-api.md §5.2–5.3): the topic (<c>type</c>/<c>topic</c> from the
/// query, else the body's <c>type</c>), the resource id (<c>data.id</c>, or the legacy <c>id</c>, from the query), the
/// request id and the parsed body when it had one. Never logged whole.
/// </summary>
public sealed record MercadoPagoWebhook(string Topic, string? DataId, string? RequestId, MpWebhookNotification? Body)
{
    /// <summary>The body's <c>action</c> (<c>payment.created</c>, <c>application.deauthorized</c>, …), if any.</summary>
    public string? Action => Body?.Action;
}

/// <summary>
/// Handles verified webhooks of some topics. The receiver (<c>POST /api/webhooks/mercadopago</c>) calls every handler
/// whose <see cref="Handles"/> accepts the topic and answers 200 once they all returned (an exception answers 500, and
/// Mercado Pago retries). Issue #5 adds the durable inbox and the <c>payment</c> handler here.
/// </summary>
public interface IMercadoPagoNotificationHandler
{
    /// <summary>Whether this handler wants notifications of <paramref name="topic"/> (<c>payment</c>, <c>mp-connect</c>, …).</summary>
    bool Handles(string topic);

    Task HandleAsync(MercadoPagoWebhook webhook, CancellationToken cancellationToken);
}
