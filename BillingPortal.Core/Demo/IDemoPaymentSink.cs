using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Core.Demo;

/// <summary>
/// Where the demo seeder puts the Mercado Pago side of the demo data (the sandbox's payment store implements it;
/// Core does not reference the sandbox). Optional: without a registered sink only the portal database is seeded.
/// </summary>
public interface IDemoPaymentSink
{
    /// <summary>Starts replacing everything stored with the payments written through the returned writer.</summary>
    Task<IDemoPaymentWriter> BeginReplaceAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the Mercado Pago accounts (one per demo organizer: the collector its payments go to).</summary>
    Task ReplaceSellersAsync(IReadOnlyList<DemoSeller> sellers, CancellationToken cancellationToken);
}

/// <summary>A demo organizer's Mercado Pago account: its user id (= collector_id), a nickname and the organizer's name.</summary>
public sealed record DemoSeller(long UserId, string Nickname, string Email, string LegalName);

/// <summary>A bulk write in progress: batches in order, then <see cref="CompleteAsync"/>; disposing without completing abandons it.</summary>
public interface IDemoPaymentWriter : IAsyncDisposable
{
    Task WriteAsync(IReadOnlyList<DemoPaymentDocument> payments, CancellationToken cancellationToken);

    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>A payment as its JSON (UTF-8, exactly what the API returns) plus the fields a store indexes.</summary>
public sealed record DemoPaymentDocument(
    long Id,
    long CollectorId,
    DateTimeOffset DateCreated,
    DateTimeOffset DateLastUpdated,
    DateTimeOffset? DateApproved,
    DateTimeOffset? MoneyReleaseDate,
    string Status,
    string? ExternalReference,
    ReadOnlyMemory<byte> Json)
{
    /// <summary>The document of a payment whose JSON is already serialized (with <see cref="MercadoPagoJsonContext"/>).</summary>
    public static DemoPaymentDocument From(MpPayment payment, ReadOnlyMemory<byte> json)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new DemoPaymentDocument(
            payment.Id,
            payment.CollectorId ?? 0,
            payment.DateCreated,
            payment.DateLastUpdated ?? payment.DateApproved ?? payment.DateCreated,
            payment.DateApproved,
            payment.MoneyReleaseDate,
            payment.Status ?? "",
            payment.ExternalReference,
            json);
    }
}
