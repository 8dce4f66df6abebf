namespace BillingPortal.Core.MercadoPago.Webhooks;

public enum WebhookInboxStatus
{
    /// <summary>Accepted, waiting for the processor.</summary>
    Pending,

    /// <summary>Claimed by a processor (lease until <see cref="WebhookInboxEntry.LeaseUntil"/>).</summary>
    Processing,

    Processed,

    /// <summary>Valid but nothing to do (unknown seller, a topic the portal does not use).</summary>
    Ignored,

    /// <summary>Failed too many times; listed for the admins, who can replay it.</summary>
    DeadLettered,
}

/// <summary>
/// A verified Mercado Pago notification, written before answering 200 (the durable inbox), de-duplicated on
/// <see cref="DedupKey"/> (the notification id; for legacy IPN without one, topic + resource id + action). Only the
/// fields the processor needs are kept, never the whole body.
/// </summary>
public class WebhookInboxEntry
{
    public long Id { get; set; }

    /// <summary><c>id:{notification id}</c>, or <c>ipn:{topic}:{resource id}:{received minute}</c> for legacy notifications.</summary>
    public required string DedupKey { get; set; }

    /// <summary><c>payment</c>, <c>mp-connect</c>, …</summary>
    public required string Topic { get; set; }

    public string? Action { get; set; }

    /// <summary>The resource id (<c>data.id</c>): a payment id, or a seller id for mp-connect.</summary>
    public required string ResourceId { get; set; }

    /// <summary>The seller (<c>user_id</c>) when the notification says.</summary>
    public long? SellerUserId { get; set; }

    /// <summary>Resolved by the processor.</summary>
    public int? OrganizerId { get; set; }

    /// <summary>Mercado Pago's <c>x-request-id</c> of the delivery that was accepted.</summary>
    public string? RequestId { get; set; }

    public bool LiveMode { get; set; }

    /// <summary>The notification's own <c>date_created</c>.</summary>
    public DateTimeOffset? NotifiedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>How many further deliveries of the same notification were dropped as duplicates.</summary>
    public int Duplicates { get; set; }

    public WebhookInboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>The last failure (code and Spanish text, no secrets).</summary>
    public string? LastError { get; set; }
}
