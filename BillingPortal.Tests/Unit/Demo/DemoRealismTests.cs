using System.Text.RegularExpressions;
using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Demo;
using BillingPortal.Core.Events;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;

namespace BillingPortal.Tests.Unit.Demo;

/// <summary>Bounds a realistic Peruvian demo must respect, checked on 5,000 generated purchases (seed 42).</summary>
public sealed partial class DemoRealismTests(GeneratedDemo demo) : IClassFixture<GeneratedDemo>
{
    private List<DemoPaymentRecord> Sales => [.. demo.Payments.Where(p => LedgerEngine.IsSaleStatus(p.Entity.Status))];

    [Fact]
    public void Organizers_CountRucsAndDemoOrganizer_AreRealistic()
    {
        var organizers = demo.World.Organizers.Select(o => o.Entity).ToList();
        var purchasesByOrganizer = demo.Sales.GroupBy(s => s.Purchase.OrganizerId).ToDictionary(g => g.Key, g => g.Count());

        Assert.InRange(organizers.Count, 3, 12);
        Assert.All(organizers, o => Assert.Null(TaxIdValidator.Validate(o.TaxIdKind, o.TaxId)));
        Assert.Contains(organizers, o => o.TaxIdKind == TaxIdKind.Dni);
        Assert.Contains(organizers, o => o.TaxIdKind == TaxIdKind.Ruc && o.LegalName.EndsWith("S.A.C.", StringComparison.Ordinal));
        Assert.Contains(organizers, o => o.LegalName.EndsWith("E.I.R.L.", StringComparison.Ordinal) || o.LegalName.EndsWith("S.R.L.", StringComparison.Ordinal));
        Assert.Equal(organizers.Count, organizers.Select(o => o.TaxId).Distinct().Count());
        Assert.Equal(purchasesByOrganizer.MaxBy(kv => kv.Value).Key, organizers[0].Id);
        Assert.All(organizers, o => Assert.EndsWith(".example", o.ContactEmail, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1_000, 3)]
    [InlineData(20_000, 7)]
    [InlineData(1_000_000, 12)]
    [InlineData(5_000_000, 12)]
    public void OrganizerCount_GrowsWithScale(int purchases, int expected) =>
        Assert.Equal(expected, DemoWorld.OrganizerCount(purchases));

    [Fact]
    public void Payments_CollectorIsTheirOrganizersMercadoPagoUser()
    {
        var collectors = demo.World.Organizers.ToDictionary(o => o.Entity.Id, o => o.Entity.MercadoPagoUserId);

        Assert.All(demo.Payments, p => Assert.Equal(collectors[p.Entity.OrganizerId], p.Mp.CollectorId));
    }

    [Fact]
    public void Events_CitiesDatesAndStatuses_AreRealistic()
    {
        var events = demo.World.Events.Select(e => e.Entity).ToList();
        var now = demo.World.Now;

        Assert.All(events, e => Assert.Contains(e.City, DemoCatalog.Cities));
        Assert.True(events.Select(e => e.City).Distinct().Count() >= 3);
        Assert.Contains(events, e => e.StartsAt > now && e.Status == EventStatus.Scheduled);
        Assert.Contains(events, e => e.StartsAt < now && e.Status == EventStatus.Finished);
        Assert.Contains(events, e => e.Status == EventStatus.Cancelled);
        Assert.All(events.Where(e => e.Status == EventStatus.Finished), e => Assert.True(e.StartsAt < now));
        Assert.All(events, e => Assert.InRange(e.StartsAt, now.AddDays(-DemoWorld.Days), now.AddDays(120)));
        Assert.Single(events, e => e.CommissionPlan is not null);
    }

    [Fact]
    public void Purchases_PricesTicketsAndDates_AreWithinBounds()
    {
        var start = AccountingCalendar.Lima.StartOfDayUtc(demo.World.StartDate);

        foreach (var purchase in demo.Sales.Select(s => s.Purchase))
        {
            Assert.InRange(purchase.Tickets, 1, 6);
            Assert.InRange(purchase.Amount / purchase.Tickets, 30m, 450m);
            Assert.Equal(purchase.Amount, Money.Round2(purchase.Amount));
            Assert.InRange(purchase.CreatedAt, start, demo.World.Now);
            Assert.Matches(EmailPattern(), purchase.BuyerEmail);
            Assert.Matches("^[1-7][0-9]{7}$", purchase.BuyerDocument);
        }

        Assert.Equal(demo.Sales.Count(), demo.Sales.Select(s => s.Purchase.ExternalId).Distinct().Count());
    }

    [Fact]
    public void Purchases_FollowWeeklySeasonality()
    {
        var byWeekday = demo.Sales.GroupBy(s => AccountingCalendar.Lima.LocalDate(s.Purchase.CreatedAt).DayOfWeek).ToDictionary(g => g.Key, g => g.Count());

        Assert.True(byWeekday[DayOfWeek.Friday] > byWeekday[DayOfWeek.Monday]);
        Assert.True(byWeekday[DayOfWeek.Saturday] > byWeekday[DayOfWeek.Tuesday]);
    }

    [Fact]
    public void Payments_ExternalReferenceMatchesTheirPurchase()
    {
        var purchases = demo.Sales.ToDictionary(s => s.Purchase.ExternalId, s => s.Purchase);

        foreach (var sale in demo.Sales)
        {
            foreach (var payment in sale.Payments)
            {
                Assert.Same(sale.Purchase, purchases[payment.Mp.ExternalReference!]);
                Assert.Equal((sale.Purchase.Id, sale.Purchase.EventId, sale.Purchase.Tickets), (payment.Entity.PurchaseId!.Value, payment.Entity.EventId!.Value, payment.Entity.Tickets));
                Assert.Equal(sale.Purchase.Amount, payment.Entity.TransactionAmount);
            }
        }

        Assert.Equal(demo.Payments.Count(), demo.Payments.Select(p => p.Entity.Id).Distinct().Count());
    }

    [Fact]
    public void PaymentMethods_CoverCardsYapeAndPagoEfectivo()
    {
        var methods = demo.Payments.Select(p => (p.Mp.PaymentMethodId, p.Mp.PaymentTypeId)).ToHashSet();

        Assert.Contains(("visa", "credit_card"), methods);
        Assert.Contains(("master", "credit_card"), methods);
        Assert.Contains(("amex", "credit_card"), methods);
        Assert.Contains(("diners", "credit_card"), methods);
        Assert.Contains(("visa", "debit_card"), methods);
        Assert.Contains(("master", "debit_card"), methods);
        Assert.Contains((DemoCatalog.YapeMethodId, "digital_wallet"), methods);
        Assert.Contains(("pagoefectivo_atm", "atm"), methods);
        Assert.Equal(8, methods.Count);
    }

    [Fact]
    public void Refunds_AboutTwoPercentOfSales_SomePartialSomeInTwoParts()
    {
        var sales = Sales;
        var refunded = sales.Where(p => p.Entity.Refunds.Count > 0).ToList();

        Assert.InRange(refunded.Count / (double)sales.Count, 0.012, 0.03);
        Assert.Contains(refunded, p => p.Mp.StatusDetail == "partially_refunded" && p.Entity.TransactionAmountRefunded < p.Entity.TransactionAmount);
        Assert.Contains(refunded, p => p.Entity.Refunds.Count == 2 && p.Entity.Status == PaymentStatus.Refunded);
        Assert.All(refunded, p => Assert.Equal(p.Entity.Refunds.Sum(r => r.Amount), p.Entity.TransactionAmountRefunded));
        Assert.All(refunded.Where(p => p.Entity.Status == PaymentStatus.Refunded), p => Assert.Equal(p.Entity.TransactionAmount, p.Entity.TransactionAmountRefunded));
        Assert.All(refunded, p => Assert.All(p.Entity.Refunds, r => Assert.InRange(r.DateCreated, p.Entity.DateApproved!.Value, demo.World.Now)));
    }

    [Fact]
    public void Chargebacks_AreRareAndKeepTheirHistory()
    {
        var chargebacks = demo.Payments.Where(p => p.Entity.Status == PaymentStatus.ChargedBack).ToList();

        Assert.InRange(chargebacks.Count / (double)Sales.Count, 0.0001, 0.005);
        Assert.All(chargebacks, p =>
        {
            var history = p.Entity.StatusHistory;
            Assert.Equal((PaymentStatus.Approved, "accredited"), (history[0].Status, history[0].StatusDetail));
            Assert.Equal((PaymentStatus.ChargedBack, "in_process"), (history[1].Status, history[1].StatusDetail));
            Assert.Equal(p.Entity.DateLastUpdated, history[^1].ChangedAt);
            Assert.Equal("credit_card", p.Mp.PaymentTypeId);
        });
    }

    [Fact]
    public void FailedPayments_AreAFewPercent_WithoutLedgerEffect()
    {
        var all = demo.Payments.ToList();
        var failed = all.Where(p => !LedgerEngine.IsSaleStatus(p.Entity.Status)).ToList();

        Assert.InRange(failed.Count / (double)all.Count, 0.01, 0.08);
        Assert.Contains(failed, p => p.Entity.Status == PaymentStatus.Rejected);
        Assert.Contains(failed, p => p.Entity.Status == PaymentStatus.Cancelled && p.Mp.StatusDetail == "expired");
        Assert.All(failed, p =>
        {
            Assert.Empty(p.Ledger);
            Assert.Null(p.Mp.Payer!.Email);
            Assert.Null(p.Mp.MoneyReleaseDate);
            Assert.Empty(p.Mp.FeeDetails!);
        });
    }

    [Fact]
    public void Ledger_SaleNet_EqualsNetReceived_ExceptTheInjectedNetMismatch()
    {
        foreach (var payment in Sales)
        {
            var sale = payment.Ledger.Single(e => e.Kind == LedgerEntryKind.Sale);
            if (payment.Injected == AnomalyKind.NetMismatch) Assert.Equal(payment.Entity.NetReceivedAmount + 0.50m, sale.Net);
            else Assert.Equal(payment.Entity.NetReceivedAmount, sale.Net);
        }
    }

    [Fact]
    public void Commission_IsThePlansExactly_ExceptTheInjectedAnomalies()
    {
        var plans = demo.World.Events.ToDictionary(e => e.Entity.Id, e => e.EffectivePlan);
        var injected = Sales.Where(p => p.Injected is not null).ToList();

        Assert.Equal(DemoWorld.InjectedAnomalyCount(5_000), demo.World.Injections.Count);
        Assert.InRange(injected.Count, 1, demo.World.Injections.Count);
        Assert.Single(injected, p => p.Injected == AnomalyKind.NetMismatch);
        foreach (var payment in Sales)
        {
            var expected = CommissionCalculator.Expected(plans[payment.Entity.EventId!.Value], payment.Entity.TransactionAmount, payment.Entity.Tickets);
            var mismatch = CommissionCalculator.IsMismatch(expected, payment.Entity.ApplicationFee);
            Assert.Equal(payment.Injected == AnomalyKind.CommissionMismatch, mismatch);
        }

        var anomalies = demo.Payments.SelectMany(p => p.Anomalies).ToList();
        Assert.Equal(injected.Select(p => p.Entity.Id).Order(), anomalies.Select(a => a.PaymentId!.Value).Order());
        Assert.Equal(injected.Select(p => p.Injected!.Value).Order(), anomalies.Select(a => a.Kind).Order());
    }

    [Fact]
    public void MercadoPagoJson_EveryTimestampHasTheMinusFourOffset()
    {
        foreach (var payment in demo.Payments.Take(2_000))
        {
            var json = System.Text.Encoding.UTF8.GetString(payment.Json);
            var dates = TimestampPattern().Matches(json);
            Assert.NotEmpty(dates);
            Assert.All(dates, d => Assert.EndsWith("-04:00\"", d.Value, StringComparison.Ordinal));
            Assert.DoesNotContain("+00:00", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Release_DelaysByMethod_AndStatusRelativeToTheAnchor()
    {
        var now = demo.World.Now;
        foreach (var payment in Sales)
        {
            var days = payment.Mp.PaymentTypeId switch { "digital_wallet" => 2, "atm" => 3, _ => 14 };
            Assert.Equal(payment.Mp.DateApproved!.Value.AddDays(days), payment.Mp.MoneyReleaseDate);
            Assert.Equal(payment.Mp.MoneyReleaseDate <= now ? "released" : "pending", payment.Mp.MoneyReleaseStatus);
        }

        Assert.Contains(Sales, p => p.Mp.MoneyReleaseStatus == "pending");
        Assert.True(Sales.Count(p => p.Mp.MoneyReleaseStatus == "released") > Sales.Count / 2);
    }

    [Fact]
    public void StatusHistory_EndsWithTheObservedStatus()
    {
        foreach (var payment in demo.Payments)
        {
            var last = payment.Entity.StatusHistory[^1];
            Assert.Equal((payment.Entity.Status, payment.Entity.StatusDetail, payment.Entity.DateLastUpdated), (last.Status, last.StatusDetail, last.ChangedAt));
            Assert.Equal(payment.Entity.StatusHistory.OrderBy(h => h.ChangedAt).Select(h => h.ChangedAt), payment.Entity.StatusHistory.Select(h => h.ChangedAt));
        }
    }

    [Fact]
    public void Purchases_StatusFollowsTheirLastPayment()
    {
        foreach (var sale in demo.Sales)
        {
            var expected = sale.Payments[^1].Entity.Status switch
            {
                PaymentStatus.Refunded => PurchaseStatus.Refunded,
                PaymentStatus.Rejected or PaymentStatus.Cancelled => PurchaseStatus.Cancelled,
                PaymentStatus.Pending or PaymentStatus.InProcess => PurchaseStatus.Pending,
                _ => PurchaseStatus.Paid,
            };
            Assert.Equal(expected, sale.Purchase.Status);
        }
    }

    [GeneratedRegex("^[a-z0-9._]+@(example\\.com|example\\.net|example\\.org|correo\\.example)$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}[+-]\\d{2}:\\d{2}\"")]
    private static partial Regex TimestampPattern();
}
