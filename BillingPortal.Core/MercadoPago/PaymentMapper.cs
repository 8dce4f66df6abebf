using System.Runtime.CompilerServices;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;

namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// The single path from a Mercado Pago payment (<see cref="MpPayment"/>) to the portal's <see cref="Payment"/>:
/// the payments sync and the demo seeder both use it, so the ledger sees the same entity whichever way the data came.
/// </summary>
/// <remarks>
/// Rules (../shared/domain.md, ../shared/mercadopago-api.md §3.3–§3.5, §4.1):
/// <list type="bullet">
/// <item><c>fee_details</c> are kept one by one in <see cref="Payment.Fees"/> and aggregated: fees paid by the payer go
/// to <see cref="Payment.PayerFees"/> whatever their type; fees paid by the collector go to
/// <see cref="Payment.MercadoPagoFee"/> (<c>mercadopago_fee</c>), <see cref="Payment.ApplicationFee"/>
/// (<c>application_fee</c>) or <see cref="Payment.OtherCollectorFees"/> (every other type, known or not).
/// Amounts are copied, never rounded or corrected: a net that does not add up is an anomaly for
/// <see cref="Billing.Anomalies.AnomalyDetector"/>, not something to fix here.</item>
/// <item>An unknown <c>status</c> or <c>fee_payer</c>, or a missing <c>collector_id</c>, <c>currency_id</c>,
/// <c>date_created</c>, fee type or refund status, throws <see cref="MercadoPagoMappingException"/> naming the field: their ledger effect
/// cannot be known, so nothing is stored for that payment until the rule is defined.</item>
/// <item>An unknown <c>money_release_status</c> maps to <see cref="MoneyReleaseStatus.Pending"/> (defined fallback:
/// money is never shown as credited on a value nobody defined); an absent one stays null (the ledger then uses the
/// release date).</item>
/// <item>Every instant is converted to UTC (the offset Mercado Pago sends is honoured, never assumed).
/// A missing <c>date_last_updated</c> falls back to <c>date_approved</c>, then <c>date_created</c>.</item>
/// <item><see cref="Payment.EventId"/>, <see cref="Payment.PurchaseId"/> and <see cref="Payment.Tickets"/> come
/// from the purchase matched through <c>external_reference</c> (none: null, null, 0).</item>
/// <item>The status history gets one change: the status observed now, dated by <c>date_last_updated</c>; the
/// caller merges it with the changes it already stored.</item>
/// </list>
/// </remarks>
public static class PaymentMapper
{
    /// <summary>The stored description is cut to this length (the column's).</summary>
    public const int DescriptionMaxLength = 300;

    /// <summary>Maps a Mercado Pago payment; see the type's remarks for every rule.</summary>
    /// <param name="source">The payment as Mercado Pago returned it.</param>
    /// <param name="organizerId">The organizer whose account collected it (found by <c>collector_id</c>).</param>
    /// <param name="matched">The purchase whose id equals <c>external_reference</c>, if any.</param>
    /// <param name="syncedAt">When the portal stores this version.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Payment ToEntity(MpPayment source, int organizerId, Purchase? matched, DateTimeOffset syncedAt)
    {
        ArgumentNullException.ThrowIfNull(source);
        var id = source.Id;
        if (!MercadoPagoStatuses.TryParse(source.Status, out var status))
            throw new MercadoPagoMappingException(id, "status", $"tiene un valor desconocido «{source.Status}».");
        if (source.CollectorId is not { } collectorId)
            throw new MercadoPagoMappingException(id, "collector_id", "es obligatorio.");
        if (string.IsNullOrEmpty(source.CurrencyId))
            throw new MercadoPagoMappingException(id, "currency_id", "es obligatorio.");
        if (source.DateCreated == default)
            throw new MercadoPagoMappingException(id, "date_created", "es obligatorio.");
        if (matched is not null && !string.Equals(matched.ExternalId, source.ExternalReference, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The purchase {matched.ExternalId} does not match external_reference {source.ExternalReference} of payment {id}.", nameof(matched));
        }

        var lastUpdated = (source.DateLastUpdated ?? source.DateApproved ?? source.DateCreated).ToUniversalTime();
        var payment = new Payment
        {
            Id = id,
            OrganizerId = organizerId,
            CollectorId = collectorId,
            PurchaseId = matched?.Id,
            EventId = matched?.EventId,
            Tickets = matched?.Tickets ?? 0,
            ExternalReference = source.ExternalReference,
            Status = status,
            StatusDetail = source.StatusDetail,
            CurrencyId = source.CurrencyId,
            TransactionAmount = source.TransactionAmount,
            NetReceivedAmount = source.TransactionDetails?.NetReceivedAmount ?? 0m,
            TotalPaidAmount = source.TransactionDetails?.TotalPaidAmount ?? source.TransactionAmount,
            DateCreated = source.DateCreated.ToUniversalTime(),
            DateApproved = source.DateApproved?.ToUniversalTime(),
            DateLastUpdated = lastUpdated,
            MoneyReleaseDate = source.MoneyReleaseDate?.ToUniversalTime(),
            MoneyReleaseStatus = ReleaseStatus(source.MoneyReleaseStatus),
            PaymentMethodId = source.PaymentMethodId,
            PaymentTypeId = source.PaymentTypeId,
            Installments = source.Installments ?? 1,
            PayerEmail = source.Payer?.Email,
            PayerIdentificationType = source.Payer?.Identification?.Type,
            PayerIdentificationNumber = source.Payer?.Identification?.Number,
            Description = source.Description is { Length: > DescriptionMaxLength } d ? d[..DescriptionMaxLength] : source.Description,
            LiveMode = source.LiveMode,
            SyncedAt = syncedAt.ToUniversalTime(),
        };

        AddFees(source, payment);
        AddRefunds(source, payment);
        payment.TransactionAmountRefunded = source.TransactionAmountRefunded
                                            ?? payment.Refunds.Where(IsApproved).Sum(r => r.Amount);
        payment.StatusHistory.Add(new PaymentStatusChange
        {
            PaymentId = id,
            Status = status,
            StatusDetail = source.StatusDetail,
            ChangedAt = lastUpdated,
            RecordedAt = payment.SyncedAt,
        });
        return payment;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void AddFees(MpPayment source, Payment payment)
    {
        if (source.FeeDetails is null) return;
        for (var i = 0; i < source.FeeDetails.Count; i++)
        {
            var fee = source.FeeDetails[i];
            if (string.IsNullOrEmpty(fee.Type))
                throw new MercadoPagoMappingException(source.Id, $"fee_details[{i}].type", "es obligatorio.");
            var payer = fee.FeePayer?.ToLowerInvariant() switch
            {
                MercadoPagoFeePayers.Collector => FeePayer.Collector,
                MercadoPagoFeePayers.Payer => FeePayer.Payer,
                _ => throw new MercadoPagoMappingException(source.Id, $"fee_details[{i}].fee_payer",
                    $"tiene un valor desconocido «{fee.FeePayer}» (se espera collector o payer)."),
            };

            payment.Fees.Add(new PaymentFee { PaymentId = source.Id, Type = fee.Type, Amount = fee.Amount, FeePayer = payer });
            if (payer == FeePayer.Payer)
            {
                payment.PayerFees += fee.Amount;
                continue;
            }

            switch (fee.Type)
            {
                case MercadoPagoFeeTypes.MercadoPagoFee:
                    payment.MercadoPagoFee += fee.Amount;
                    break;
                case MercadoPagoFeeTypes.ApplicationFee:
                    payment.ApplicationFee += fee.Amount;
                    break;
                default:
                    payment.OtherCollectorFees += fee.Amount;
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void AddRefunds(MpPayment source, Payment payment)
    {
        if (source.Refunds is null) return;
        for (var i = 0; i < source.Refunds.Count; i++)
        {
            var refund = source.Refunds[i];
            if (string.IsNullOrEmpty(refund.Status))
                throw new MercadoPagoMappingException(source.Id, $"refunds[{i}].status", "es obligatorio.");
            payment.Refunds.Add(new PaymentRefund
            {
                Id = refund.Id,
                PaymentId = source.Id,
                Amount = refund.Amount,
                Status = refund.Status.ToLowerInvariant(),
                DateCreated = refund.DateCreated.ToUniversalTime(),
                SourceType = refund.Source?.Type,
            });
        }
    }

    private static bool IsApproved(PaymentRefund refund) =>
        string.Equals(refund.Status, MercadoPagoRefundStatuses.Approved, StringComparison.Ordinal);

    private static MoneyReleaseStatus? ReleaseStatus(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        MercadoPagoReleaseStatuses.Released => MoneyReleaseStatus.Released,
        _ => MoneyReleaseStatus.Pending,
    };
}
