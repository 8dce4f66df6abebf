using System.Globalization;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Payments;
using CsCheck;

namespace BillingPortal.Tests.Builders;

/// <summary>
/// CsCheck generators of payments shaped like Mercado Pago's, for the ledger's property and integration tests:
/// amounts S/ 0.01..20,000.00 (often tiny, to reach the céntimo edges), fees that rarely divide evenly, 0–4 approved
/// refunds (sometimes completing the whole amount, sometimes not), a non-approved refund now and then, an optional
/// chargeback (with or without status history, reimbursed or not), every status, release states and currencies.
/// </summary>
public static class LedgerGenerators
{
    private static long _nextPaymentId = 95_000_000_000;
    private static long _nextRefundId = 5_000_000_000;

    /// <summary>00:00 on 1 January 2026 in Lima.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5));

    /// <summary>Any combination of the four refund/chargeback policies.</summary>
    public static Gen<LedgerPolicy> Policy { get; } =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, (mpRefund, commissionRefund, mpChargeback, commissionChargeback) =>
            new LedgerPolicy(mpRefund, commissionRefund, mpChargeback, commissionChargeback));

    private static Gen<long> AmountCents { get; } = Gen.Frequency((4, Gen.Long[1, 2_000_000]), (1, Gen.Long[1, 300]));

    private static Gen<PaymentStatus> BaseStatus { get; } = Gen.Frequency(
        (12, Gen.Const(PaymentStatus.Approved)),
        (1, Gen.Const(PaymentStatus.InMediation)),
        (1, Gen.Const(PaymentStatus.Pending)),
        (1, Gen.Const(PaymentStatus.Rejected)),
        (1, Gen.Const(PaymentStatus.Cancelled)),
        (1, Gen.Const(PaymentStatus.Authorized)),
        (1, Gen.Const(PaymentStatus.InProcess)));

    /// <summary>One payment, approved somewhere in <c>[start, start + spanDays)</c>, with new unique ids.</summary>
    public static Gen<Payment> Payment(DateTimeOffset start, int spanDays = 120, int organizerId = 1, IReadOnlyList<int?>? eventIds = null)
    {
        IReadOnlyList<int?> events = eventIds is { Count: > 0 } ? eventIds : [null];
        return
            from cents in AmountCents
            from mpCents in Gen.Long[0, cents / 10]
            from appCents in Gen.Frequency((1, Gen.Const(0L)), (5, Gen.Long[0, cents / 8]))
            from otherCents in Gen.Frequency((3, Gen.Const(0L)), (1, Gen.Long[0, cents / 20]))
            from payerCents in Gen.Frequency((4, Gen.Const(0L)), (1, Gen.Long[1, 2_000]))
            from tickets in Gen.Int[1, 6]
            from approvedMinute in Gen.Int[0, (spanDays * 1440) - 1]
            from status in BaseStatus
            from withoutApprovalDate in Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true)))
            from release in Gen.Int[0, 2]
            from releaseMinutes in Gen.Int[0, 30 * 1440]
            from refundCount in Gen.Int[0, 4]
            from completes in Gen.Bool
            from cuts in Gen.Long[1, Math.Max(1, cents - 1)].Array[4]
            from gaps in Gen.Int[1, 20_000].Array[6]
            from badRefund in Gen.Frequency((4, Gen.Const(0)), (1, Gen.Int[1, 2]))
            from chargeback in Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[1, 4]))
            from chargebackAfter in Gen.Int[0, 4]
            from currency in Gen.Frequency((19, Gen.Const("PEN")), (1, Gen.Const("USD")))
            from eventIndex in Gen.Int[0, events.Count - 1]
            select Build(new Shape(cents, mpCents, appCents, otherCents, payerCents, tickets,
                start.AddMinutes(approvedMinute), status, withoutApprovalDate, release, releaseMinutes, refundCount, completes,
                cuts, gaps, badRefund, chargeback, chargebackAfter, currency, organizerId, events[eventIndex]));
    }

    /// <summary>The amounts of the approved refunds (S/), oldest first.</summary>
    public static decimal ApprovedRefunded(Payment payment) =>
        payment.Refunds.Where(r => r.Status == "approved").Sum(r => r.Amount);

    /// <summary>A one-line description of a generated payment, for CsCheck's failure report.</summary>
    public static string Describe(Payment p) => string.Create(CultureInfo.InvariantCulture,
        $"#{p.Id} {p.Status}/{p.StatusDetail} {p.CurrencyId} {p.TransactionAmount} mp={p.MercadoPagoFee} app={p.ApplicationFee} " +
        $"other={p.OtherCollectorFees} payer={p.PayerFees} tickets={p.Tickets} approved={p.DateApproved:O} created={p.DateCreated:O} " +
        $"updated={p.DateLastUpdated:O} release={p.MoneyReleaseDate:O}/{p.MoneyReleaseStatus} event={p.EventId} " +
        $"refunds=[{string.Join("; ", p.Refunds.Select(r => $"{r.Amount} {r.Status} {r.DateCreated:O}"))}] " +
        $"history=[{string.Join("; ", p.StatusHistory.Select(h => $"{h.Status}/{h.StatusDetail} {h.ChangedAt:O}"))}]");

    private static Payment Build(Shape s)
    {
        var approvedAt = s.ApprovedAt;
        var payment = new Payment
        {
            Id = Interlocked.Increment(ref _nextPaymentId),
            OrganizerId = s.OrganizerId,
            EventId = s.EventId,
            CollectorId = 241983636,
            ExternalReference = "ord_gen",
            Status = s.Status,
            CurrencyId = s.Currency,
            TransactionAmount = s.Cents / 100m,
            MercadoPagoFee = s.MpCents / 100m,
            ApplicationFee = s.AppCents / 100m,
            OtherCollectorFees = s.OtherCents / 100m,
            PayerFees = s.PayerCents / 100m,
            NetReceivedAmount = (s.Cents - s.MpCents - s.AppCents - s.OtherCents) / 100m,
            TotalPaidAmount = (s.Cents + s.PayerCents) / 100m,
            DateCreated = s.WithoutApprovalDate ? approvedAt : approvedAt.AddSeconds(-2),
            DateApproved = s.WithoutApprovalDate ? null : approvedAt,
            DateLastUpdated = approvedAt,
            PaymentMethodId = "visa",
            PaymentTypeId = "credit_card",
            Installments = 1,
            Tickets = s.Tickets,
        };

        if (!LedgerEngine.IsSaleStatus(s.Status))
        {
            payment.DateApproved = null;
            payment.StatusDetail = "pending_waiting_payment";
            return payment;
        }

        payment.MoneyReleaseDate = approvedAt.AddMinutes(s.ReleaseMinutes);
        payment.MoneyReleaseStatus = s.Release switch { 0 => MoneyReleaseStatus.Released, 1 => MoneyReleaseStatus.Pending, _ => null };
        if (s.Status == PaymentStatus.InMediation)
        {
            payment.StatusDetail = "in_process";
            return payment;
        }

        // Approved refund amounts: cut [0, cents] at distinct points; the last part ends at cents only if it completes.
        var points = s.Cuts.Where(c => c > 0 && c < s.Cents).Distinct().Order().ToList();
        var count = s.Completes ? Math.Min(s.RefundCount, points.Count + 1) : Math.Min(s.RefundCount, points.Count);
        List<long> ends = s.Completes && count > 0 ? [.. points.Take(count - 1), s.Cents] : [.. points.Take(count)];
        var amounts = ends.Select((end, i) => end - (i == 0 ? 0 : ends[i - 1])).ToList();

        var chargeback = s.Chargeback;
        var chargebackPosition = Math.Min(s.ChargebackAfter, amounts.Count);
        var refundedBeforeChargeback = amounts.Take(chargebackPosition).Sum();
        if (chargeback != 0 && refundedBeforeChargeback >= s.Cents) chargeback = 0;
        if (chargeback is 1 or 3 or 4) amounts = [.. amounts.Take(chargebackPosition)]; // nothing after an open chargeback

        var t = approvedAt;
        var gap = 0;
        DateTimeOffset Next() => t = t.AddMinutes(s.Gaps[gap++ % s.Gaps.Length]);
        payment.StatusHistory.Add(Change(payment, PaymentStatus.Approved, "accredited", approvedAt));
        for (var i = 0; i <= amounts.Count; i++)
        {
            if (chargeback != 0 && i == chargebackPosition)
            {
                var at = Next();
                switch (chargeback)
                {
                    case 1:
                        payment.StatusHistory.Add(Change(payment, PaymentStatus.ChargedBack, "in_process", at));
                        break;
                    case 2:
                        payment.StatusHistory.Add(Change(payment, PaymentStatus.ChargedBack, "in_process", at));
                        payment.StatusHistory.Add(Change(payment, PaymentStatus.ChargedBack, "reimbursed", Next()));
                        break;
                    default:
                        payment.StatusHistory.Clear(); // seen only in its latest version: dated by date_last_updated
                        break;
                }

                payment.Status = PaymentStatus.ChargedBack;
                payment.StatusDetail = chargeback is 3 ? "reimbursed" : chargeback is 4 ? "settled" : payment.StatusHistory[^1].StatusDetail;
                payment.DateLastUpdated = t;
            }

            if (i == amounts.Count) break;
            AddRefund(payment, amounts[i] / 100m, Next(), "approved");
            payment.DateLastUpdated = t;
        }

        var refunded = amounts.Sum();
        payment.TransactionAmountRefunded = refunded / 100m;
        if (payment.Status != PaymentStatus.ChargedBack)
        {
            (payment.Status, payment.StatusDetail) = refunded >= s.Cents ? (PaymentStatus.Refunded, "refunded")
                : refunded > 0 ? (PaymentStatus.Approved, "partially_refunded")
                : (PaymentStatus.Approved, "accredited");
        }

        if (s.BadRefund != 0)
        {
            AddRefund(payment, Math.Max(1, s.Cents / 2) / 100m, approvedAt.AddMinutes(s.Gaps[0] / 2.0), s.BadRefund == 1 ? "in_process" : "rejected");
        }

        return payment;
    }

    private static void AddRefund(Payment payment, decimal amount, DateTimeOffset at, string status) =>
        payment.Refunds.Add(new PaymentRefund
        {
            Id = Interlocked.Increment(ref _nextRefundId),
            PaymentId = payment.Id,
            Amount = amount,
            Status = status,
            DateCreated = at,
            SourceType = "collector",
        });

    private static PaymentStatusChange Change(Payment payment, PaymentStatus status, string detail, DateTimeOffset at) =>
        new() { PaymentId = payment.Id, Status = status, StatusDetail = detail, ChangedAt = at, RecordedAt = at };

    private sealed record Shape(
        long Cents, long MpCents, long AppCents, long OtherCents, long PayerCents, int Tickets, DateTimeOffset ApprovedAt,
        PaymentStatus Status, bool WithoutApprovalDate, int Release, int ReleaseMinutes, int RefundCount, bool Completes,
        long[] Cuts, int[] Gaps, int BadRefund, int Chargeback, int ChargebackAfter, string Currency, int OrganizerId, int? EventId);
}
