using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using CsCheck;

namespace BillingPortal.Tests.Unit.Billing;

/// <summary>
/// Properties that hold for every payment: random amounts S/ 0.01..20,000.00, fees, 0–4 refunds (some completing the
/// whole), chargebacks and reimbursements, every status and every policy. On failure CsCheck prints the seed and the
/// smallest failing payment it found.
/// </summary>
public sealed class LedgerPropertyTests
{
    private const int Iterations = 400;

    private static readonly Gen<Payment> Payments = LedgerGenerators.Payment(LedgerGenerators.DefaultStart);

    private static readonly Gen<(Payment Payment, LedgerPolicy Policy)> Cases = Gen.Select(Payments, LedgerGenerators.Policy);

    private static List<LedgerEntry> Compute(Payment payment, LedgerPolicy policy) =>
        LedgerEngine.Compute(payment, policy, AccountingCalendar.Lima);

    private static string Print((Payment Payment, LedgerPolicy Policy) c) => $"{c.Policy} {LedgerGenerators.Describe(c.Payment)}";

    [Fact]
    public void Summarize_AnyLedgerAndPeriod_EqualsTheSumOfItsEntries()
    {
        var gen = Gen.Select(Payments.Array[1, 12], LedgerGenerators.Policy, Gen.Int[0, 150], Gen.Int[0, 150]);

        gen.Sample((payments, policy, startDay, length) =>
        {
            var entries = payments.SelectMany(p => Compute(p, policy)).ToList();
            var from = DateOnly.FromDateTime(LedgerGenerators.DefaultStart.DateTime).AddDays(startDay);
            var period = new DatePeriod(from, from.AddDays(length));

            var summary = LedgerSummaries.Summarize(entries, period);

            var lines = entries.Where(e => period.Contains(e.LocalDate) && e.Currency == Money.Pen).ToList();
            var sales = lines.Where(e => e.Kind == LedgerEntryKind.Sale).ToList();
            var refunds = lines.Where(e => e.Kind == LedgerEntryKind.Refund).ToList();
            var chargebacks = lines.Where(e => e.Kind is LedgerEntryKind.Chargeback or LedgerEntryKind.ChargebackReversal).ToList();
            Assert.Equal(new PeriodSummary(period,
                Sales: sales.Count,
                TicketsSold: sales.Sum(e => e.Tickets),
                TicketsNet: lines.Sum(e => e.Tickets),
                GrossSales: sales.Sum(e => e.Gross),
                RefundCount: refunds.Count,
                Refunds: refunds.Sum(e => e.Gross),
                ChargebackCount: chargebacks.Count(e => e.Kind == LedgerEntryKind.Chargeback),
                Chargebacks: chargebacks.Sum(e => e.Gross),
                MercadoPagoFees: lines.Sum(e => e.MercadoPagoFee),
                CommissionBase: lines.Sum(e => e.CommissionBase),
                CommissionIgv: lines.Sum(e => e.CommissionIgv),
                OtherFees: lines.Sum(e => e.OtherFees),
                Net: lines.Sum(e => e.Net)), summary);
            Assert.Equal(summary.Net, summary.GrossSales + summary.Refunds + summary.Chargebacks + summary.MercadoPagoFees
                                      + summary.CommissionBase + summary.CommissionIgv + summary.OtherFees);
            Assert.All(entries, e => Assert.Equal(e.Net, e.Gross + e.MercadoPagoFee + e.CommissionBase + e.CommissionIgv + e.OtherFees));
        }, iter: Iterations / 2, print: t => string.Join(Environment.NewLine, t.Item1.Select(LedgerGenerators.Describe)));
    }

    [Fact]
    public void Compute_FullyRefundedSale_NetsToZeroOnEveryReversedColumn()
    {
        var fullyRefunded = Cases.Where((p, _) => LedgerEngine.IsSaleStatus(p.Status) && p.Status != PaymentStatus.InMediation
                                                  && LedgerGenerators.ApprovedRefunded(p) == p.TransactionAmount);

        fullyRefunded.Sample((payment, policy) =>
        {
            var entries = Compute(payment, policy);
            var sale = entries.Single(e => e.Kind == LedgerEntryKind.Sale);

            var (gross, mp, @base, igv, other, net) = LedgerAssert.Totals(entries);

            Assert.Equal(0m, gross);
            Assert.Equal(0, entries.Sum(e => e.Tickets));
            Assert.Equal(policy.ReturnMercadoPagoFeeOnRefund ? 0m : sale.MercadoPagoFee, mp);
            Assert.Equal(policy.ReturnMercadoPagoFeeOnRefund ? 0m : sale.OtherFees, other);
            Assert.Equal(policy.ReturnCommissionOnRefund ? (0m, 0m) : (sale.CommissionBase, sale.CommissionIgv), (@base, igv));
            if (policy is { ReturnMercadoPagoFeeOnRefund: true, ReturnCommissionOnRefund: true }) Assert.Equal(0m, net);
        }, iter: Iterations, print: Print);
    }

    [Fact]
    public void Compute_RefundsAndChargeback_NeverReturnMoreThanTheSaleTook()
    {
        Cases.Sample((payment, policy) =>
        {
            var entries = Compute(payment, policy);
            if (entries.Count == 0) return;
            var sale = entries.Single(e => e.Kind == LedgerEntryKind.Sale);

            // Walk the later lines in date order (a reversal gives back what its chargeback took): at every step the
            // running totals returned stay within what the sale took, column by column.
            decimal gross = 0, mp = 0, @base = 0, igv = 0, other = 0;
            foreach (var e in entries.Where(e => e.Kind != LedgerEntryKind.Sale).OrderBy(e => e.OccurredAt).ThenBy(e => e.Kind))
            {
                var sign = e.Kind == LedgerEntryKind.ChargebackReversal ? -1m : 1m;
                Assert.True(sign * e.Gross <= 0m && sign * e.MercadoPagoFee >= 0m && sign * e.CommissionBase >= 0m
                            && sign * e.CommissionIgv >= 0m && sign * e.OtherFees >= 0m, $"{e.Kind} has a column with the wrong sign");
                (gross, mp, @base, igv, other) = (gross - e.Gross, mp + e.MercadoPagoFee, @base + e.CommissionBase,
                    igv + e.CommissionIgv, other + e.OtherFees);
                Assert.True(mp <= -sale.MercadoPagoFee, $"MP fee returned {mp} > {-sale.MercadoPagoFee}");
                Assert.True(@base <= -sale.CommissionBase, $"commission base returned {@base} > {-sale.CommissionBase}");
                Assert.True(igv <= -sale.CommissionIgv, $"IGV returned {igv} > {-sale.CommissionIgv}");
                Assert.True(other <= -sale.OtherFees, $"other fees returned {other} > {-sale.OtherFees}");
                Assert.True(gross <= sale.Gross, $"refunded + charged back {gross} > {sale.Gross}");
            }

            Assert.True(entries.Where(e => e.Kind == LedgerEntryKind.Refund).Sum(e => -e.Gross) <= sale.Gross);
        }, iter: Iterations, print: Print);
    }

    [Fact]
    public void Compute_AnyPayment_EveryAmountHasAtMostTwoDecimals()
    {
        Cases.Sample((payment, policy) =>
        {
            foreach (var e in Compute(payment, policy))
            {
                foreach (var amount in new[] { e.Gross, e.MercadoPagoFee, e.CommissionBase, e.CommissionIgv, e.OtherFees, e.Net })
                {
                    Assert.True(decimal.Round(amount, 2) == amount && (amount * 100m) % 1m == 0m, $"{e.Kind}: {amount} has more than 2 decimals");
                }
            }
        }, iter: Iterations, print: Print);
    }

    [Fact]
    public void Compute_AnyPayment_CommissionBasePlusIgvIsTheFeeOfEveryEntry()
    {
        Cases.Sample((payment, policy) =>
        {
            var entries = Compute(payment, policy);
            if (entries.Count == 0) return;
            var total = payment.TransactionAmount;
            var fee = payment.ApplicationFee;
            var sale = entries.Single(e => e.Kind == LedgerEntryKind.Sale);
            var saleBase = Money.Round2(fee / 1.18m);

            // The sale: base = round2(fee / 1.18), IGV the rest.
            Assert.Equal((-saleBase, -(fee - saleBase)), (sale.CommissionBase, sale.CommissionIgv));

            decimal refunded = 0, baseBack = 0, igvBack = 0;
            foreach (var refund in entries.Where(e => e.Kind == LedgerEntryKind.Refund))
            {
                var amount = -refund.Gross;
                var reversed = refund.CommissionBase + refund.CommissionIgv;
                var unreturnedBase = saleBase - baseBack;
                var unreturnedIgv = fee - saleBase - igvBack;
                var completes = refunded + amount >= total;
                if (!policy.ReturnCommissionOnRefund || fee == 0m)
                {
                    Assert.Equal((0m, 0m), (refund.CommissionBase, refund.CommissionIgv));
                }
                else if (completes)
                {
                    // The completing refund takes the remainder of each column.
                    Assert.Equal((unreturnedBase, unreturnedIgv), (refund.CommissionBase, refund.CommissionIgv));
                }
                else
                {
                    // Pro-rata, rounded; capped at what is left. Split like the sale, unless that would overshoot a column.
                    var proRata = Money.Round2(fee * amount / total);
                    Assert.Equal(Math.Min(proRata, unreturnedBase + unreturnedIgv), reversed);
                    var splitBase = Money.Round2(reversed / 1.18m);
                    if (splitBase <= unreturnedBase && reversed - splitBase <= unreturnedIgv) Assert.Equal(splitBase, refund.CommissionBase);
                    else Assert.True(refund.CommissionBase == unreturnedBase || refund.CommissionIgv == unreturnedIgv);
                }

                refunded += amount;
                baseBack += refund.CommissionBase;
                igvBack += refund.CommissionIgv;
            }

            var chargeback = entries.SingleOrDefault(e => e.Kind == LedgerEntryKind.Chargeback);
            var reversal = entries.SingleOrDefault(e => e.Kind == LedgerEntryKind.ChargebackReversal);
            if (chargeback is not null && !policy.ReturnCommissionOnChargeback)
                Assert.Equal((0m, 0m), (chargeback.CommissionBase, chargeback.CommissionIgv));
            if (reversal is not null)
            {
                Assert.NotNull(chargeback);
                Assert.Equal((-chargeback.Gross, -chargeback.CommissionBase, -chargeback.CommissionIgv, -chargeback.Net),
                    (reversal.Gross, reversal.CommissionBase, reversal.CommissionIgv, reversal.Net));
            }
        }, iter: Iterations, print: Print);
    }

    [Fact]
    public void Compute_AnyPayment_MercadoPagoShareIsProRataRoundedOrTheRemainder()
    {
        Cases.Sample((payment, policy) =>
        {
            var entries = Compute(payment, policy);
            var total = payment.TransactionAmount;
            var fee = payment.MercadoPagoFee;
            decimal refunded = 0, back = 0;
            foreach (var refund in entries.Where(e => e.Kind == LedgerEntryKind.Refund))
            {
                var amount = -refund.Gross;
                var completes = refunded + amount >= total;
                var expected = !policy.ReturnMercadoPagoFeeOnRefund || fee == 0m ? 0m
                    : completes ? fee - back
                    : Math.Min(Money.Round2(fee * amount / total), fee - back);
                Assert.Equal(expected, refund.MercadoPagoFee);
                refunded += amount;
                back += refund.MercadoPagoFee;
            }
        }, iter: Iterations, print: Print);
    }

    [Fact]
    public void Compute_AnyPayment_SaleMatchesThePaymentAndNonSalesProduceNothing()
    {
        Cases.Sample((payment, policy) =>
        {
            var entries = Compute(payment, policy);

            if (!LedgerEngine.IsSaleStatus(payment.Status))
            {
                Assert.Empty(entries);
                return;
            }

            var sale = entries.Single(e => e.Kind == LedgerEntryKind.Sale);
            Assert.Equal(payment.NetReceivedAmount, sale.Net);
            Assert.Equal(payment.TransactionAmount, sale.Gross);
            Assert.Equal((payment.DateApproved ?? payment.DateCreated).ToUniversalTime(), sale.OccurredAt);
            Assert.Equal(AccountingCalendar.Lima.LocalDate(sale.OccurredAt), sale.LocalDate);
            Assert.All(entries, e => Assert.Equal(payment.CurrencyId, e.Currency));
            Assert.All(entries, e => Assert.Equal(LedgerEngine.ReleaseStateOf(payment), e.ReleaseState));
            Assert.Equal(entries.Count(e => e.Kind == LedgerEntryKind.Refund), payment.Refunds.Count(r => r.Status == "approved"));
        }, iter: Iterations, print: Print);
    }

    [Fact]
    public void Compute_NonApprovedRefunds_ChangeNothing()
    {
        Cases.Sample((payment, policy) =>
        {
            var withAll = Compute(payment, policy);
            var approvedOnly = new Payment
            {
                Id = payment.Id,
                Status = payment.Status,
                StatusDetail = payment.StatusDetail,
                CurrencyId = payment.CurrencyId,
                TransactionAmount = payment.TransactionAmount,
                MercadoPagoFee = payment.MercadoPagoFee,
                ApplicationFee = payment.ApplicationFee,
                OtherCollectorFees = payment.OtherCollectorFees,
                DateCreated = payment.DateCreated,
                DateApproved = payment.DateApproved,
                DateLastUpdated = payment.DateLastUpdated,
                MoneyReleaseDate = payment.MoneyReleaseDate,
                MoneyReleaseStatus = payment.MoneyReleaseStatus,
                Tickets = payment.Tickets,
                StatusHistory = payment.StatusHistory,
                Refunds = [.. payment.Refunds.Where(r => r.Status == "approved")],
            };

            var without = Compute(approvedOnly, policy);

            Assert.Equal(Shape(without), Shape(withAll));
        }, iter: Iterations, print: Print);

        static List<(LedgerEntryKind, DateTimeOffset, decimal, decimal, decimal, decimal, decimal, decimal, int)> Shape(List<LedgerEntry> entries) =>
            [.. entries.Select(e => (e.Kind, e.OccurredAt, e.Gross, e.MercadoPagoFee, e.CommissionBase, e.CommissionIgv, e.OtherFees, e.Net, e.Tickets))];
    }

    [Fact]
    public void Balance_AnyLedger_CreditedPendingHeldSumToTheNetUpToAsOf()
    {
        var gen = Gen.Select(Payments.Array[1, 15], LedgerGenerators.Policy, Gen.Int[0, 200 * 24]);

        gen.Sample((payments, policy, asOfHours) =>
        {
            var entries = payments.SelectMany(p => Compute(p, policy)).ToList();
            var asOf = LedgerGenerators.DefaultStart.AddHours(asOfHours);

            var balance = LedgerSummaries.Balance(entries, asOf, maxReleases: 50);

            var upToAsOf = entries.Where(e => e.Currency == Money.Pen && e.OccurredAt <= asOf).ToList();
            Assert.Equal(upToAsOf.Sum(e => e.Net), balance.Credited + balance.Pending + balance.Held);
            Assert.Equal(upToAsOf.Where(e => e.ReleaseState == ReleaseState.Held).Sum(e => e.Net), balance.Held);
            Assert.Equal(upToAsOf.Where(e => LedgerEngine.IsCredited(e, asOf)).Sum(e => e.Net), balance.Credited);
            Assert.All(balance.NextReleases, r => Assert.NotEqual(0m, r.Amount));
            Assert.Equal(balance.NextReleases.OrderBy(r => r.Date).Select(r => r.Date).Distinct(), balance.NextReleases.Select(r => r.Date));
            var upcoming = upToAsOf.Where(e => e.ReleaseState != ReleaseState.Held && !LedgerEngine.IsCredited(e, asOf) && e.ReleaseLocalDate != null);
            Assert.Equal(upcoming.Sum(e => e.Net), balance.NextReleases.Sum(r => r.Amount));
        }, iter: Iterations / 2, print: t => string.Join(Environment.NewLine, t.Item1.Select(LedgerGenerators.Describe)));
    }
}
