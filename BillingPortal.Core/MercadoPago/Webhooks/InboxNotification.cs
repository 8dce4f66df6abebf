using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago.Webhooks;

/// <summary>
/// A verified notification reduced to what the inbox keeps (<see cref="WebhookInboxEntry"/>): never the body itself.
/// Built by <see cref="InboxNotification.TryCreate"/> from the query and the body of <c>POST /api/webhooks/mercadopago</c>.
/// </summary>
public sealed record InboxNotification(
    string DedupKey,
    string Topic,
    string? Action,
    string ResourceId,
    long? SellerUserId,
    string? RequestId,
    bool LiveMode,
    DateTimeOffset? NotifiedAt)
{
    /// <summary>Longest topic, action, resource id or request id kept (the inbox's column sizes).</summary>
    public const int MaxFieldLength = 64;

    /// <summary>Longest notification id accepted (the dedup key is 200 wide with its <c>id:</c> prefix).</summary>
    public const int MaxNotificationIdLength = 190;

    /// <summary>
    /// Reads a notification (mercadopago-api.md §5.2, §5.6). The resource id is the query's <c>data.id</c>, else the
    /// legacy <c>id</c>, else the body's <c>data.id</c>; the topic is the query's <c>type</c>, else the legacy
    /// <c>topic</c>, else the body's <c>type</c>. De-duplication (§5.5): on the body's notification <c>id</c>
    /// (<c>id:{id}</c>); a legacy IPN without one gets <c>ipn:{topic}:{resource id}:{minute received}</c>, so the
    /// same IPN repeated within a minute is one entry and later re-deliveries are processed again (harmless: processing
    /// re-reads the resource). Returns false with the offending field when the request is malformed.
    /// </summary>
    /// <remarks>
    /// <paramref name="queryDataId"/> is the query's <c>data.id</c> (the value the signature covered) or the legacy
    /// <c>id</c>; <paramref name="queryTopic"/> the query's <c>type</c> or the legacy <c>topic</c>; <paramref name="body"/>
    /// the raw body (may be empty for a legacy IPN). With <paramref name="legacy"/> (the <c>?id=&amp;topic=</c> form, whose
    /// body format is undocumented, §5.6) a body that is not a notification is ignored rather than refused.
    /// </remarks>
    public static bool TryCreate(
        string? queryDataId,
        string? queryTopic,
        ReadOnlySpan<byte> body,
        bool legacy,
        string? requestId,
        DateTimeOffset receivedAt,
        out InboxNotification? notification,
        out string? invalidField)
    {
        notification = null;
        MpWebhookNotification? parsed = null;
        if (!body.IsEmpty && !IsBlank(body))
        {
            try
            {
                parsed = JsonSerializer.Deserialize(body, MercadoPagoJsonContext.Default.MpWebhookNotification);
            }
            catch (JsonException)
            {
                parsed = null;
            }

            if (parsed is null && !legacy)
            {
                invalidField = "body";
                return false;
            }
        }

        var bodyDataId = Clean(parsed?.Data?.Id);
        var resourceId = Clean(queryDataId) ?? bodyDataId;
        if (resourceId is null || resourceId.Length > MaxFieldLength)
        {
            invalidField = "data.id";
            return false;
        }

        // The signature covers the query's id only: a body about another resource is not what was signed.
        if (bodyDataId is not null && Clean(queryDataId) is not null && !string.Equals(bodyDataId, resourceId, StringComparison.Ordinal))
        {
            invalidField = "data.id";
            return false;
        }

        var topic = Clean(queryTopic) ?? Clean(parsed?.Type);
        if (topic is null || topic.Length > MaxFieldLength)
        {
            invalidField = "type";
            return false;
        }

        var action = Clean(parsed?.Action);
        if (action is { Length: > MaxFieldLength })
        {
            invalidField = "action";
            return false;
        }

        long? seller = null;
        if (Clean(parsed?.UserId) is { } userId)
        {
            if (!long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                invalidField = "user_id";
                return false;
            }

            seller = id;
        }

        var notificationId = Clean(parsed?.Id);
        if (notificationId is { Length: > MaxNotificationIdLength })
        {
            invalidField = "id";
            return false;
        }

        var dedupKey = notificationId is not null
            ? "id:" + notificationId
            : string.Create(CultureInfo.InvariantCulture, $"ipn:{topic}:{resourceId}:{receivedAt.UtcDateTime:yyyyMMddHHmm}");
        invalidField = null;
        notification = new InboxNotification(
            dedupKey,
            topic.ToLowerInvariant(),
            action,
            resourceId,
            seller,
            Truncate(requestId),
            parsed?.LiveMode ?? false,
            parsed?.DateCreated);
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        }

        return true;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Truncate(string? value) => value is null ? null : value.Length <= MaxFieldLength ? value : value[..MaxFieldLength];
}
