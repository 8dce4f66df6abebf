using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;

namespace BillingPortal.Core.Demo;

/// <summary>
/// Generates the purchases of each day of a <see cref="DemoWorld"/> with their Mercado Pago payments, and maps
/// every payment through <see cref="PaymentMapper"/>, <see cref="LedgerEngine"/> and <see cref="AnomalyDetector"/>
/// exactly as the payments sync will. Pure and thread-safe: day <c>d</c> depends only on (world, d), so days can be
/// generated in parallel and the result is byte-identical for the same (purchases, seed, anchor date).
/// </summary>
/// <remarks>
/// Lifecycle rates (illustrative): card payments are rejected 2.5% of the time and Yape 1.5% (60% of those buyers
/// retry and pay); PagoEfectivo CIPs are paid 20 minutes to 40 hours after checkout, 12% expire unpaid after
/// 72 hours (cancelled/expired), and unpaid recent ones stay pending; 1% of card payments made in the last two
/// days are still in_process. About 2% of sales are refunded (1.7% at random: 55% whole, 25% partially by
/// tickets, 20% in two parts that complete the whole; plus every sale of a cancelled event, ~0.3%), and 0.12% of credit
/// card sales are charged back (resolved as settled 60%, reimbursed 25%, or still in process). Money is released
/// 14 days after approval for cards, 2 for Yape, 3 for PagoEfectivo: <c>money_release_status</c> is released
/// when that date is before the anchor instant, pending otherwise. All timestamps use <c>-04:00</c> like the API.
/// </remarks>
internal sealed class DemoDataGenerator
{
    /// <summary>Share of sales refunded at random (cancelled events add roughly 0.3 points more).</summary>
    internal const double RandomRefundRate = 0.017;

    /// <summary>Share of credit card sales charged back.</summary>
    internal const double ChargebackRate = 0.0012;

    private static readonly TimeSpan MercadoPagoOffset = TimeSpan.FromHours(-4);
    private static readonly DemoPaymentMethod[] Methods = DemoCatalog.Methods;
    private static readonly double[] MethodWeights = Methods.Select(m => m.Weight).ToArray();
    private static readonly double[] RetryWeights = Methods.Select(m => m.IsCash ? 0 : m.Weight).ToArray();

    public DemoDataGenerator(DemoWorld world) => World = world;

    public DemoWorld World { get; }

    /// <summary>Payment ids: 11 digits, increasing with the purchase sequence (two slots per purchase).</summary>
    public static long PaymentId(long seq, int attempt) => 90_000_000_000L + (seq * 2) + attempt;

    /// <summary>Refund ids: up to two refunds per purchase.</summary>
    public static long RefundId(long seq, int part) => 1_030_000_000L + (seq * 2) + part;

    /// <summary>The purchase id sent as external_reference.</summary>
    public static string PurchaseReference(long seq) => "ord_" + (seq + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Every day in order (sequentially).</summary>
    public IEnumerable<DemoDay> GenerateAll()
    {
        for (var d = 0; d < DemoWorld.Days; d++) yield return GenerateDay(d);
    }

    /// <summary>Generates day <paramref name="dayIndex"/> (0 = anchor − 365).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DemoDay GenerateDay(int dayIndex)
    {
        var count = World.DayCounts[dayIndex];
        var rng = new DemoRandom(World.Seed, 1000UL + (ulong)dayIndex);
        var dayStart = AccountingCalendar.Lima.StartOfDayUtc(World.StartDate.AddDays(dayIndex));
        var lastDay = dayIndex == DemoWorld.Days - 1;

        // Times of day (ms since local midnight), then sorted: the sequence follows creation time.
        var times = new long[count];
        for (var i = 0; i < count; i++)
        {
            long ms;
            do
            {
                var hour = rng.Pick(DemoCatalog.HourWeights);
                ms = (hour * 3_600_000L) + rng.Next(3_600_000);
            }
            while (lastDay && ms > ((23 * 60) + 45) * 60_000L); // the last day stops at 23:45 so nothing lands after "now"

            times[i] = ms;
        }

        Array.Sort(times);
        var schedule = World.Schedule[dayIndex];
        var sales = new List<DemoSale>(count);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < count; i++)
        {
            var seq = World.DayFirstSeq[dayIndex] + i;
            var evt = PickEvent(rng, schedule);
            var sale = GenerateSale(rng, seq, dayStart.AddMilliseconds(times[i]), evt);
            sales.Add(sale);
            AppendHash(hash, sale);
        }

        return new DemoDay(dayIndex, sales, hash.GetHashAndReset());
    }

    private static DemoEvent PickEvent(DemoRandom rng, DaySchedule schedule)
    {
        if (schedule.Events.Length == 0)
            throw new InvalidOperationException("A day with purchases must have an event on sale.");
        var r = rng.NextDouble() * schedule.Cumulative[^1];
        var index = Array.BinarySearch(schedule.Cumulative, r);
        if (index < 0) index = ~index;
        return schedule.Events[Math.Min(index, schedule.Events.Length - 1)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private DemoSale GenerateSale(DemoRandom rng, long seq, DateTimeOffset createdAt, DemoEvent evt)
    {
        var now = World.Now;
        var buyer = DemoBuyer.Create(rng);
        var tier = evt.Tiers[rng.Pick(evt.TierWeights)];
        var tickets = 1 + rng.Pick(DemoCatalog.TicketWeights);
        var amount = tier.Price * tickets;
        var purchase = new Purchase
        {
            Id = seq + 1,
            ExternalId = PurchaseReference(seq),
            OrganizerId = evt.Organizer.Entity.Id,
            EventId = evt.Entity.Id,
            BuyerEmail = buyer.Email,
            BuyerName = buyer.Name,
            BuyerDocument = buyer.Dni,
            Tickets = tickets,
            Amount = amount,
            Currency = Money.Pen,
            Status = PurchaseStatus.Pending,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        };

        var context = new SaleContext(seq, evt, tier, tickets, amount, buyer, purchase);
        var payments = new List<DemoPaymentRecord>(1);
        var method = Methods[rng.Pick(MethodWeights)];
        var at = createdAt.AddSeconds(rng.Between(20, 180));
        var attempt = 0;

        var rejectRate = method.IsCard ? 0.025 : method.IsWallet ? 0.015 : 0;
        if (rng.Chance(rejectRate))
        {
            var detail = method.IsCard
                ? DemoCatalog.CardRejections[rng.Pick(DemoCatalog.CardRejectionWeights)]
                : rng.Chance(0.5) ? "cc_rejected_insufficient_amount" : "cc_rejected_other_reason";
            var rejected = new PaymentDraft(PaymentId(seq, attempt), method, at);
            rejected.Timeline.Add((PaymentStatus.Rejected, detail, at.AddSeconds(rng.Between(1, 8))));
            payments.Add(Finish(context, rejected, rng));
            purchase.UpdatedAt = rejected.LastUpdated;
            if (!rng.Chance(0.6))
            {
                purchase.Status = PurchaseStatus.Cancelled;
                return new DemoSale(purchase, payments);
            }

            method = Methods[rng.Pick(RetryWeights)];
            at = at.AddSeconds(rng.Between(60, 600));
            attempt = 1;
        }

        var draft = new PaymentDraft(PaymentId(seq, attempt), method, at);
        if (method.IsCash)
        {
            draft.Expiration = at.AddHours(72);
            draft.Timeline.Add((PaymentStatus.Pending, "pending_waiting_payment", at));
            if (rng.Chance(0.12))
            {
                if (draft.Expiration < now) draft.Timeline.Add((PaymentStatus.Cancelled, "expired", draft.Expiration.Value));
            }
            else
            {
                var paidAt = at.AddMinutes(rng.Chance(0.5) ? rng.Between(20, 180) : rng.Between(180, 2400)).AddSeconds(rng.Next(60));
                if (paidAt < now) Approve(draft, paidAt);
            }
        }
        else if (method.IsCard && now - at < TimeSpan.FromHours(48) && rng.Chance(0.01))
        {
            draft.Timeline.Add((PaymentStatus.InProcess, "pending_review_manual", at.AddSeconds(rng.Between(1, 8))));
        }
        else
        {
            Approve(draft, at.AddSeconds(method.IsWallet ? rng.Between(5, 40) : rng.Between(1, 8)));
        }

        if (draft.ApprovedAt is not null) PlanSale(context, draft, rng);
        payments.Add(Finish(context, draft, rng));

        purchase.UpdatedAt = draft.LastUpdated;
        purchase.PaymentDate = draft.ApprovedAt;
        purchase.Status = draft.CurrentStatus switch
        {
            PaymentStatus.Approved or PaymentStatus.ChargedBack or PaymentStatus.InMediation or PaymentStatus.Authorized => PurchaseStatus.Paid,
            PaymentStatus.Refunded => PurchaseStatus.Refunded,
            PaymentStatus.Rejected or PaymentStatus.Cancelled => PurchaseStatus.Cancelled,
            PaymentStatus.Pending or PaymentStatus.InProcess => PurchaseStatus.Pending,
        };
        return new DemoSale(purchase, payments);
    }

    private static void Approve(PaymentDraft draft, DateTimeOffset approvedAt)
    {
        draft.ApprovedAt = approvedAt;
        draft.Timeline.Add((PaymentStatus.Approved, "accredited", approvedAt));
    }

    /// <summary>Fees, installments, refunds and chargebacks of an approved payment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PlanSale(SaleContext sale, PaymentDraft draft, DemoRandom rng)
    {
        var now = World.Now;
        var approvedAt = draft.ApprovedAt!.Value;
        var method = draft.Method;
        draft.MercadoPagoFee = Money.Round2((sale.Amount * method.FeeRate) + method.FeeFixed);

        if (method.IsCredit)
        {
            draft.Installments = rng.Pick([0.85, 0.10, 0.05]) switch { 0 => 1, 1 => 3, _ => 6 };
            if (draft.Installments > 1)
            {
                if (sale.Event.InterestFreeInstallments)
                    draft.FinancingByCollector = Money.Round2(sale.Amount * (draft.Installments == 3 ? 0.025m : 0.045m));
                else
                    draft.FinancingByPayer = Money.Round2(sale.Amount * (draft.Installments == 3 ? 0.045m : 0.085m));
            }
        }

        var plan = sale.Event.EffectivePlan;
        draft.Injected = World.Injections.TryGetValue(sale.Seq, out var kind) ? kind : null;
        draft.ApplicationFee = draft.Injected == AnomalyKind.CommissionMismatch
            ? CommissionCalculator.Expected(
                new CommissionPlan { Name = plan.Name, Rate = plan.Rate + 0.01m, FixedPerTicket = plan.FixedPerTicket }, sale.Amount, sale.Tickets).Total
            : CommissionCalculator.Expected(plan, sale.Amount, sale.Tickets).Total;
        draft.NetAdjustment = draft.Injected == AnomalyKind.NetMismatch ? -0.50m : 0m;
        draft.ReleaseDate = approvedAt.AddDays(method.ReleaseDays);

        // Refunds: every sale of a cancelled event, otherwise ~1.7% at random. Never in the future.
        var refunds = new List<(decimal Amount, DateTimeOffset At)>(2);
        if (sale.Event.CancelDay is { } cancelDay
            && approvedAt < AccountingCalendar.Lima.StartOfDayUtc(World.StartDate.AddDays(cancelDay)))
        {
            var at = sale.Event.Entity.UpdatedAt.AddDays(rng.Between(1, 7)).AddMinutes(rng.Next(600));
            refunds.Add((sale.Amount, at));
        }
        else if (rng.Chance(RandomRefundRate))
        {
            var first = approvedAt.AddDays(rng.Between(1, 20)).AddMinutes(rng.Next(1440));
            var shape = sale.Tickets == 1 ? 0 : rng.Pick([0.55, 0.25, 0.20]);
            var partial = shape == 0 ? sale.Amount : sale.Tier.Price * rng.Between(1, sale.Tickets - 1);
            refunds.Add((partial, first));
            if (shape == 2) refunds.Add((sale.Amount - partial, first.AddDays(rng.Between(1, 10)).AddMinutes(rng.Next(1440))));
        }

        decimal refunded = 0;
        for (var part = 0; part < refunds.Count; part++)
        {
            var (refundAmount, at) = refunds[part];
            if (at >= now) break;
            refunded += refundAmount;
            draft.Refunds.Add(new MpRefund
            {
                Id = RefundId(sale.Seq, part),
                PaymentId = draft.Id,
                Amount = refundAmount,
                Metadata = [],
                Source = new MpRefundSource
                {
                    Id = sale.Event.Organizer.CollectorId.ToString(CultureInfo.InvariantCulture),
                    Name = sale.Event.Organizer.Entity.LegalName,
                    Type = "collector",
                },
                DateCreated = ToMercadoPago(at),
                UniqueSequenceNumber = null,
                RefundMode = "standard",
                AdjustmentAmount = 0m,
                Status = MercadoPagoRefundStatuses.Approved,
                Reason = null,
                Labels = [],
                AmountRefundedToPayer = refundAmount,
                PartitionDetails = [],
            });
            var whole = refunded >= sale.Amount;
            draft.Timeline.Add(whole ? (PaymentStatus.Refunded, "refunded", at) : (PaymentStatus.Approved, "partially_refunded", at));
        }

        // Chargebacks: 0.12% of credit card sales not refunded; status history kept.
        if (draft.Refunds.Count == 0 && method.IsCredit && rng.Chance(ChargebackRate))
        {
            var chargebackAt = approvedAt.AddDays(rng.Between(20, 75)).AddMinutes(rng.Next(1440));
            if (chargebackAt < now)
            {
                draft.Timeline.Add((PaymentStatus.ChargedBack, "in_process", chargebackAt));
                var resolvedAt = chargebackAt.AddDays(rng.Between(15, 45)).AddMinutes(rng.Next(1440));
                var outcome = rng.Pick([0.60, 0.25, 0.15]);
                if (outcome < 2 && resolvedAt < now)
                    draft.Timeline.Add((PaymentStatus.ChargedBack, outcome == 0 ? "settled" : LedgerEngine.ReimbursedDetail, resolvedAt));
            }
        }
    }

    /// <summary>Builds the Mercado Pago object, its JSON and the mapped entity with history, ledger and anomalies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private DemoPaymentRecord Finish(SaleContext sale, PaymentDraft draft, DemoRandom rng)
    {
        var mp = BuildMercadoPago(sale, draft, rng);
        var json = MpPaymentJsonWriter.ToUtf8Bytes(mp);
        var entity = PaymentMapper.ToEntity(mp, sale.Event.Organizer.Entity.Id, sale.Purchase, World.Now);

        // The mapper records the status observed now; the earlier changes are those the sync would have seen.
        for (var i = 0; i < draft.Timeline.Count - 1; i++)
        {
            var (status, detail, at) = draft.Timeline[i];
            entity.StatusHistory.Insert(i, new PaymentStatusChange
            {
                PaymentId = entity.Id,
                Status = status,
                StatusDetail = detail,
                ChangedAt = at.ToUniversalTime(),
                RecordedAt = at.ToUniversalTime(),
            });
        }

        var ledger = LedgerEngine.Compute(entity, sale.Event.Policy, AccountingCalendar.Lima);
        var anomalies = AnomalyDetector.Check(entity, sale.Event.EffectivePlan, World.Now);
        return new DemoPaymentRecord(mp, json, entity, ledger, anomalies, draft.Injected);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private MpPayment BuildMercadoPago(SaleContext sale, PaymentDraft draft, DemoRandom rng)
    {
        var status = draft.CurrentStatus;
        var method = draft.Method;
        var isSale = LedgerEngine.IsSaleStatus(status);
        var created = ToMercadoPago(draft.CreatedAt);
        var feeDetails = new List<MpFeeDetail>(3);
        decimal collectorFees = 0, payerFees = 0;
        if (isSale)
        {
            feeDetails.Add(new MpFeeDetail { Type = MercadoPagoFeeTypes.MercadoPagoFee, Amount = draft.MercadoPagoFee, FeePayer = MercadoPagoFeePayers.Collector });
            feeDetails.Add(new MpFeeDetail { Type = MercadoPagoFeeTypes.ApplicationFee, Amount = draft.ApplicationFee, FeePayer = MercadoPagoFeePayers.Collector });
            collectorFees = draft.MercadoPagoFee + draft.ApplicationFee;
            if (draft.FinancingByCollector > 0)
            {
                feeDetails.Add(new MpFeeDetail { Type = MercadoPagoFeeTypes.FinancingFee, Amount = draft.FinancingByCollector, FeePayer = MercadoPagoFeePayers.Collector });
                collectorFees += draft.FinancingByCollector;
            }

            if (draft.FinancingByPayer > 0)
            {
                feeDetails.Add(new MpFeeDetail { Type = MercadoPagoFeeTypes.FinancingFee, Amount = draft.FinancingByPayer, FeePayer = MercadoPagoFeePayers.Payer });
                payerFees = draft.FinancingByPayer;
            }
        }

        var totalPaid = sale.Amount + payerFees;
        var cip = method.IsCash ? rng.Digits(8, noLeadingZero: true) : null;
        var releaseDate = isSale ? draft.ReleaseDate : null;
        var buyerVisible = status is PaymentStatus.Approved or PaymentStatus.Refunded or PaymentStatus.ChargedBack;
        var identification = new MpIdentification { Type = "DNI", Number = sale.Buyer.Dni };

        return new MpPayment
        {
            Id = draft.Id,
            DateCreated = created,
            DateApproved = draft.ApprovedAt is { } approved ? ToMercadoPago(approved) : null,
            DateLastUpdated = ToMercadoPago(draft.LastUpdated),
            DateOfExpiration = draft.Expiration is { } expiration ? ToMercadoPago(expiration) : null,
            MoneyReleaseDate = releaseDate is { } release ? ToMercadoPago(release) : null,
            MoneyReleaseStatus = releaseDate is { } r ? (r <= World.Now ? MercadoPagoReleaseStatuses.Released : MercadoPagoReleaseStatuses.Pending) : null,
            MoneyReleaseSchema = null,
            OperationType = "regular_payment",
            IssuerId = method.IssuerId,
            PaymentMethodId = method.PaymentMethodId,
            PaymentTypeId = method.PaymentTypeId,
            Status = MercadoPagoStatuses.ToWire(status),
            StatusDetail = draft.CurrentDetail,
            CurrencyId = Money.Pen,
            Description = $"Entrada {sale.Tier.Name} - {sale.Event.Entity.Name}",
            LiveMode = true,
            SponsorId = null,
            AuthorizationCode = method.IsCard && isSale ? rng.Digits(6) : null,
            CollectorId = sale.Event.Organizer.CollectorId,
            MarketplaceOwner = DemoCatalog.MarketplaceUserId,
            Payer = new MpPayer
            {
                Id = sale.Buyer.PayerId,
                Email = buyerVisible ? sale.Buyer.Email : null,
                Identification = buyerVisible ? identification : new MpIdentification(),
                Phone = new MpPhone(),
            },
            Metadata = new JsonObject { ["event_id"] = sale.Event.Entity.ExternalId, ["order_id"] = sale.Purchase.ExternalId },
            AdditionalInfo = new MpAdditionalInfo
            {
                Items = [new MpItem { Id = "TKT-" + sale.Tier.Code, Title = "Entrada " + sale.Tier.Name, Quantity = sale.Tickets, UnitPrice = sale.Tier.Price }],
            },
            Order = new MpOrder { Id = (15_000_000_000L + sale.Seq).ToString(CultureInfo.InvariantCulture), Type = "mercadopago" },
            ExternalReference = sale.Purchase.ExternalId,
            TransactionAmount = sale.Amount,
            TransactionAmountRefunded = draft.Refunds.Sum(r => r.Amount),
            CouponAmount = 0m,
            ShippingAmount = 0m,
            TaxesAmount = 0m,
            Installments = draft.Installments,
            TransactionDetails = new MpTransactionDetails
            {
                NetReceivedAmount = isSale ? sale.Amount - collectorFees + draft.NetAdjustment : 0m,
                TotalPaidAmount = totalPaid,
                OverpaidAmount = 0m,
                InstallmentAmount = Money.Round2(totalPaid / draft.Installments),
                ExternalResourceUrl = cip is null ? null : "https://pagoefectivo.example/cip/" + cip,
                PaymentMethodReferenceId = cip,
            },
            FeeDetails = feeDetails,
            ChargesDetails = [],
            Captured = true,
            BinaryMode = false,
            StatementDescriptor = DemoCatalog.StatementDescriptor,
            Card = method.IsCard
                ? new MpCard
                {
                    FirstSixDigits = method.Bin,
                    LastFourDigits = rng.Digits(4),
                    ExpirationMonth = rng.Between(1, 12),
                    ExpirationYear = World.AnchorDate.Year + rng.Between(1, 5),
                    DateCreated = created,
                    DateLastUpdated = created,
                    Cardholder = new MpCardholder { Name = sale.Buyer.CardholderName, Identification = identification },
                }
                : null,
            NotificationUrl = DemoCatalog.NotificationUrl,
            Refunds = draft.Refunds,
            ProcessingMode = "aggregator",
            MerchantAccountId = null,
            AcquirerReconciliation = [],
            PointOfInteraction = new MpPointOfInteraction
            {
                Type = "UNSPECIFIED",
                BusinessInfo = new MpBusinessInfo { Unit = "online_payments", SubUnit = "checkout_pro" },
            },
        };
    }

    private static DateTimeOffset ToMercadoPago(DateTimeOffset instant) => instant.ToOffset(MercadoPagoOffset);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void AppendHash(IncrementalHash hash, DemoSale sale)
    {
        var p = sale.Purchase;
        var line = string.Join('|',
            p.ExternalId, p.OrganizerId.ToString(CultureInfo.InvariantCulture), p.EventId.ToString(CultureInfo.InvariantCulture),
            p.BuyerEmail, p.BuyerName, p.BuyerDocument, p.Tickets.ToString(CultureInfo.InvariantCulture),
            p.Amount.ToString(CultureInfo.InvariantCulture), p.Status.ToString(), p.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            p.PaymentDate?.UtcTicks.ToString(CultureInfo.InvariantCulture), p.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        hash.AppendData(Encoding.UTF8.GetBytes(line));
        foreach (var payment in sale.Payments) hash.AppendData(payment.Json);
    }

    /// <summary>What a purchase is about, shared by its payment attempts.</summary>
    private sealed record SaleContext(long Seq, DemoEvent Event, DemoTier Tier, int Tickets, decimal Amount, DemoBuyer Buyer, Purchase Purchase);

    /// <summary>A payment being generated: its timeline of statuses and its money.</summary>
    private sealed class PaymentDraft(long id, DemoPaymentMethod method, DateTimeOffset createdAt)
    {
        public long Id { get; } = id;

        public DemoPaymentMethod Method { get; } = method;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset? ApprovedAt { get; set; }

        public DateTimeOffset? Expiration { get; set; }

        public DateTimeOffset? ReleaseDate { get; set; }

        public List<(PaymentStatus Status, string Detail, DateTimeOffset At)> Timeline { get; } = [];

        public List<MpRefund> Refunds { get; } = [];

        public int Installments { get; set; } = 1;

        public decimal MercadoPagoFee { get; set; }

        public decimal ApplicationFee { get; set; }

        public decimal FinancingByCollector { get; set; }

        public decimal FinancingByPayer { get; set; }

        public decimal NetAdjustment { get; set; }

        public AnomalyKind? Injected { get; set; }

        public PaymentStatus CurrentStatus => Timeline[^1].Status;

        public string CurrentDetail => Timeline[^1].Detail;

        public DateTimeOffset LastUpdated => Timeline[^1].At;
    }
}

/// <summary>A fake but plausible Peruvian buyer: name, DNI, email on a reserved example domain, payer id.</summary>
internal sealed record DemoBuyer(string Name, string CardholderName, string Dni, string Email, string PayerId)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DemoBuyer Create(DemoRandom rng)
    {
        var first = rng.Pick(DemoCatalog.FirstNames);
        var surname = rng.Pick(DemoCatalog.Surnames);
        var second = rng.Pick(DemoCatalog.Surnames);
        var dni = rng.Between(1, 7).ToString(CultureInfo.InvariantCulture) + rng.Digits(7);
        var f = Ascii(first);
        var s = Ascii(surname);
        var local = rng.Next(4) switch
        {
            0 => $"{f}.{s}{rng.Between(1, 99).ToString(CultureInfo.InvariantCulture)}",
            1 => $"{f[0]}{s}{Ascii(second)[0]}",
            2 => $"{s}.{f}{rng.Between(1970, 2006).ToString(CultureInfo.InvariantCulture)}",
            _ => $"{f}_{s}",
        };
        var email = local + "@" + rng.Pick(DemoCatalog.EmailDomains);
        var name = $"{first} {surname} {second}";
        return new DemoBuyer(name, Ascii(name, upper: true), dni, email, rng.Digits(10, noLeadingZero: true));
    }

    /// <summary>Folds Spanish accents to ASCII (lowercase for emails, uppercase for embossed card names).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Ascii(string text, bool upper = false)
    {
        Span<char> buffer = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.ToLowerInvariant(text[i]) switch
            {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' or 'ü' => 'u',
                'ñ' => 'n',
                var other => other,
            };
            buffer[i] = upper ? char.ToUpperInvariant(c) : c;
        }

        return new string(buffer);
    }
}
