using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>What an upsert did to the portal's copy of a payment.</summary>
public enum PaymentUpsertResult
{
    /// <summary>First time seen: stored, matched, ledger written.</summary>
    Created,

    /// <summary>A newer version: stored, status history extended, ledger recomputed.</summary>
    Updated,

    /// <summary>Same version as stored (or identical content): nothing written.</summary>
    Unchanged,

    /// <summary>Older than the stored version (<c>date_last_updated</c> earlier): ignored.</summary>
    Stale,
}

/// <summary>The outcome of one payment's upsert.</summary>
public sealed record PaymentUpsertOutcome(long PaymentId, PaymentUpsertResult Result);

/// <summary>
/// The single write path for Mercado Pago payments into the portal, shared by the sync engine and the webhook
/// processor (issue #5): idempotent, keyed by payment id, ignoring versions older than the stored one, extending the
/// status history, recomputing the ledger entries of changed payments only, matching the purchase by
/// <c>external_reference</c> and recording unmatched payments and amount mismatches as anomalies (never dropping
/// them). Each call is one transaction; a batch is one transaction for the whole page.
/// </summary>
public interface IPaymentUpserter
{
    /// <summary>Upserts the payments of one organizer (one page) in one transaction (counted under source <see cref="PaymentUpsertSources.Other"/>).</summary>
    Task<IReadOnlyList<PaymentUpsertOutcome>> UpsertAsync(int organizerId, IReadOnlyList<MpPayment> payments, CancellationToken cancellationToken) =>
        UpsertAsync(organizerId, payments, PaymentUpsertSources.Other, cancellationToken);

    /// <summary>
    /// Upserts the payments of one organizer (one page) in one transaction; <paramref name="source"/> (see
    /// <see cref="PaymentUpsertSources"/>) tags the <c>billingportal.mp.payments.upserted</c> counter. Payments refused
    /// (another collector's, another organizer's, or unmappable) are logged by id and left out of the outcomes.
    /// </summary>
    Task<IReadOnlyList<PaymentUpsertOutcome>> UpsertAsync(int organizerId, IReadOnlyList<MpPayment> payments, string source, CancellationToken cancellationToken);
}

/// <summary>Who wrote a payment, as the <c>source</c> tag of the upsert counter (low cardinality).</summary>
public static class PaymentUpsertSources
{
    public const string Sync = "sync";
    public const string Webhook = "webhook";
    public const string Other = "other";
}

/// <summary>A payment of an organizer changed in the portal (created or updated), for live pages.</summary>
public sealed record PaymentChange(int OrganizerId, long PaymentId, PaymentUpsertResult Result, DateTimeOffset At);

/// <summary>
/// In-process fan-out of payment changes to open pages (Blazor Server circuits subscribe; the upserter publishes after
/// commit). Subscribers must be quick and never throw; slow ones are coalesced.
/// </summary>
public interface IPaymentChangeNotifier
{
    /// <summary>Publishes changes (after the transaction committed).</summary>
    void Publish(IReadOnlyList<PaymentChange> changes);

    /// <summary>Subscribes to one organizer's changes; dispose to stop.</summary>
    IDisposable Subscribe(int organizerId, Func<IReadOnlyList<PaymentChange>, Task> onChanges);
}
