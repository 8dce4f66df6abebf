using System.Globalization;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Data;

public sealed class LedgerQueriesTests : IAsyncLifetime
{
    private SqliteTestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task PeriodSummaryAndBalance_FromDatabase_EqualInMemoryLedger()
    {
        var ct = TestContext.Current.CancellationToken;
        var organizer = new OrganizerBuilder().Build();
        await using (var db = _db.CreateContext())
        {
            db.Organizers.Add(organizer);
            await db.SaveChangesAsync(ct);
        }

        var lima = TimeSpan.FromHours(-5);
        var payments = new List<Payment>
        {
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 3, 1, 10, 0, 0, lima)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithAmounts(99.99m, 4.72m, 5.00m)
                .ApprovedAt(new DateTimeOffset(2026, 3, 2, 10, 0, 0, lima))
                .WithRelease(new DateTimeOffset(2026, 3, 16, 10, 0, 0, lima), MoneyReleaseStatus.Released)
                .WithRefund(33.33m, new DateTimeOffset(2026, 3, 5, 9, 0, 0, lima)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 3, 31, 23, 59, 59, lima))
                .WithRelease(new DateTimeOffset(2026, 4, 14, 10, 0, 0, lima), null).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithStatus(PaymentStatus.Rejected, "cc_rejected_other_reason").Build(),
        };

        var writer = new PaymentLedgerWriter(new FakeTimeProvider(new DateTimeOffset(2026, 4, 20, 0, 0, 0, TimeSpan.Zero)));
        await using (var db = _db.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.AddRange(payments);
            await writer.ReplaceAsync(db, payments, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        List<LedgerEntry> entries;
        await using (var db = _db.CreateContext())
        {
            entries = [.. db.LedgerEntries];
        }

        var period = new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
        var queries = new LedgerQueries(_db.Factory);

        var fromDb = await queries.GetPeriodSummaryAsync(organizer.Id, period, null, ct);
        var inMemory = LedgerSummaries.Summarize(entries, period);

        Assert.Equal(inMemory, fromDb);
        Assert.Equal(3, fromDb.Sales);
        Assert.Equal(150.00m + 99.99m + 150.00m, fromDb.GrossSales);
        Assert.Equal(-33.33m, fromDb.Refunds);

        var asOf = new DateTimeOffset(2026, 4, 20, 0, 0, 0, TimeSpan.Zero);
        var balanceDb = await queries.GetBalanceAsync(organizer.Id, asOf, null, ct);
        var balanceMemory = LedgerSummaries.Balance(entries, asOf);
        Assert.Equal(balanceMemory.Credited, balanceDb.Credited);
        Assert.Equal(balanceMemory.Pending, balanceDb.Pending);
        Assert.Equal(balanceMemory.NextReleases, balanceDb.NextReleases);
        Assert.Equal(fromDb.Net, balanceDb.Credited + balanceDb.Pending + balanceDb.Held);
    }

    /// <summary>
    /// A few hundred generated payments (every status, refunds, chargebacks, release states, USD among PEN) for two
    /// organizers across January–April, each organizer with its own refund/chargeback policies, stored through the one
    /// write path. The database's summaries and balances must equal the in-memory ledger's for every period and event
    /// scope, and never include the other organizer's money.
    /// </summary>
    [Fact]
    public async Task PeriodSummaryAndBalance_GeneratedPaymentsAcrossMonths_EqualInMemoryPerOrganizerAndEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = LedgerGenerators.DefaultStart;
        var gen = Gen.Select(
            LedgerGenerators.Payment(start, spanDays: 120, eventIds: [null, 1, 2]).Array[250],
            LedgerGenerators.Payment(start, spanDays: 120, eventIds: [null, 1]).Array[80],
            LedgerGenerators.Policy,
            LedgerGenerators.Policy);

        await gen.SampleAsync(async (paymentsA, paymentsB, policyA, policyB) =>
        {
            var (organizerA, eventsA) = await AddOrganizerAsync(policyA, events: 2, ct);
            var (organizerB, eventsB) = await AddOrganizerAsync(policyB, events: 1, ct);
            Assign(paymentsA, organizerA, eventsA);
            Assign(paymentsB, organizerB, eventsB);
            await StoreAsync([.. paymentsA, .. paymentsB], ct);

            var queries = new LedgerQueries(_db.Factory);
            var ledgerA = paymentsA.SelectMany(p => LedgerEngine.Compute(p, policyA, AccountingCalendar.Lima)).ToList();
            var ledgerB = paymentsB.SelectMany(p => LedgerEngine.Compute(p, policyB, AccountingCalendar.Lima)).ToList();
            await AssertStoredEntriesEqualAsync(organizerA.Id, ledgerA, ct);
            await AssertStoredEntriesEqualAsync(organizerB.Id, ledgerB, ct);

            DatePeriod[] periods =
            [
                DatePeriod.Month(2026, 1), DatePeriod.Month(2026, 2), DatePeriod.Month(2026, 3), DatePeriod.Month(2026, 4),
                DatePeriod.Month(2026, 5), new(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)),
                new(new DateOnly(2026, 1, 15), new DateOnly(2026, 3, 10)), new(new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31)),
            ];
            DateTimeOffset[] asOfs =
            [
                new(2026, 2, 1, 0, 0, 0, TimeSpan.FromHours(-5)), new(2026, 3, 31, 23, 59, 59, TimeSpan.FromHours(-5)),
                new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(-5)),
            ];
            foreach (var (organizer, ledger, events) in new[] { (organizerA, ledgerA, eventsA), (organizerB, ledgerB, eventsB) })
            {
                foreach (var eventId in events.Select(e => (int?)e.Id).Prepend(null))
                {
                    var scoped = ledger.Where(e => eventId is null || e.EventId == eventId).ToList();
                    foreach (var period in periods)
                    {
                        var fromDb = await queries.GetPeriodSummaryAsync(organizer.Id, period, eventId, ct);
                        Assert.Equal(LedgerSummaries.Summarize(scoped, period), fromDb);
                    }

                    foreach (var asOf in asOfs)
                    {
                        var fromDb = await queries.GetBalanceAsync(organizer.Id, asOf, eventId, ct, maxReleases: 200);
                        var inMemory = LedgerSummaries.Balance(scoped, asOf, maxReleases: 200);
                        Assert.Equal((inMemory.Credited, inMemory.Pending, inMemory.Held), (fromDb.Credited, fromDb.Pending, fromDb.Held));
                        Assert.Equal(inMemory.NextReleases, fromDb.NextReleases);
                    }
                }
            }

            // The year's figures are really there (so the comparisons above are not between two empty summaries)...
            var year = periods[5];
            Assert.NotEqual(PeriodSummary.Empty(year), await queries.GetPeriodSummaryAsync(organizerA.Id, year, null, ct));
            // ...and another organizer's event id scopes to nothing, never to that organizer's money.
            Assert.Equal(PeriodSummary.Empty(year), await queries.GetPeriodSummaryAsync(organizerA.Id, year, eventsB[0].Id, ct));
            Assert.Equal(PeriodSummary.Empty(year), await queries.GetPeriodSummaryAsync(organizerB.Id, year, eventsA[0].Id, ct));
            var foreignBalance = await queries.GetBalanceAsync(organizerA.Id, asOfs[2], eventsB[0].Id, ct);
            Assert.Equal((0m, 0m, 0m, 0), (foreignBalance.Credited, foreignBalance.Pending, foreignBalance.Held, foreignBalance.NextReleases.Count));
        }, iter: 2, threads: 1, print: t => $"A: {t.Item3}, B: {t.Item4}");
    }

    [Fact]
    public async Task PeriodSummary_MonthBoundaryInLima_CountsInTheLimaMonth()
    {
        // 23:59:59 Lima on 31 March and 2026-04-01T00:30:00-04:00 (23:30 Lima) are March's; 00:00:00 Lima on 1 April is April's.
        var ct = TestContext.Current.CancellationToken;
        var (organizer, _) = await AddOrganizerAsync(LedgerPolicy.Default, events: 0, ct);
        Payment[] payments =
        [
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.FromHours(-5))).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(DateTimeOffset.Parse("2026-04-01T00:30:00-04:00", CultureInfo.InvariantCulture)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(-5))).Build(),
        ];
        await StoreAsync(payments, ct);
        var queries = new LedgerQueries(_db.Factory);

        var march = await queries.GetPeriodSummaryAsync(organizer.Id, DatePeriod.Month(2026, 3), null, ct);
        var april = await queries.GetPeriodSummaryAsync(organizer.Id, DatePeriod.Month(2026, 4), null, ct);

        Assert.Equal((2, 300.00m, 270.84m), (march.Sales, march.GrossSales, march.Net));
        Assert.Equal((1, 150.00m, 135.42m), (april.Sales, april.GrossSales, april.Net));
        var (marchStart, marchEnd) = AccountingCalendar.Lima.Range(DatePeriod.Month(2026, 3));
        await using var db = _db.CreateContext();
        var inMarchByInstant = await db.LedgerEntries.CountAsync(e => e.OrganizerId == organizer.Id && e.OccurredAt >= marchStart && e.OccurredAt < marchEnd, ct);
        Assert.Equal(2, inMarchByInstant);
    }

    private async Task<(Organizer Organizer, List<Event> Events)> AddOrganizerAsync(LedgerPolicy policy, int events, CancellationToken ct)
    {
        var organizer = new OrganizerBuilder().WithPlan(new CommissionPlan
        {
            Name = "Plan de prueba",
            Rate = 0.05m,
            ReturnMercadoPagoFeeOnRefund = policy.ReturnMercadoPagoFeeOnRefund,
            ReturnCommissionOnRefund = policy.ReturnCommissionOnRefund,
            ReturnMercadoPagoFeeOnChargeback = policy.ReturnMercadoPagoFeeOnChargeback,
            ReturnCommissionOnChargeback = policy.ReturnCommissionOnChargeback,
        }).Build();
        await using var db = _db.CreateContext();
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(ct);
        var list = Enumerable.Range(1, events).Select(i => new Event
        {
            OrganizerId = organizer.Id,
            ExternalId = $"{organizer.ExternalId}_evt_{i}",
            Name = $"Concierto {i}",
            Venue = "Estadio Nacional",
            StartsAt = new DateTimeOffset(2026, 5, i, 20, 0, 0, TimeSpan.FromHours(-5)),
            Capacity = 1000,
        }).ToList();
        db.Events.AddRange(list);
        await db.SaveChangesAsync(ct);
        return (organizer, list);
    }

    /// <summary>Moves generated payments to a stored organizer, mapping generated event numbers 1, 2, … to its events.</summary>
    private static void Assign(IEnumerable<Payment> payments, Organizer organizer, List<Event> events)
    {
        foreach (var payment in payments)
        {
            payment.OrganizerId = organizer.Id;
            payment.EventId = payment.EventId is { } n ? events[n - 1].Id : null;
        }
    }

    /// <summary>Stores payments and their ledger the way ingestion does: one transaction, through <see cref="PaymentLedgerWriter"/>.</summary>
    private async Task StoreAsync(IReadOnlyCollection<Payment> payments, CancellationToken ct)
    {
        var writer = new PaymentLedgerWriter(new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        await using var db = _db.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Payments.AddRange(payments);
        await writer.ReplaceAsync(db, payments, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The stored lines are the computed ones, column for column, after the round trip through céntimos.</summary>
    private async Task AssertStoredEntriesEqualAsync(int organizerId, List<LedgerEntry> expected, CancellationToken ct)
    {
        await using var db = _db.CreateContext();
        var stored = await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId).ToListAsync(ct);
        Assert.Equal(Rows(expected), Rows(stored));

        static List<Row> Rows(IEnumerable<LedgerEntry> entries) => [.. entries
            .Select(e => new Row(e.PaymentId, e.Kind, e.RefundId, e.OccurredAt.UtcTicks, e.LocalDate, e.EventId, e.Currency, e.Tickets,
                e.Gross, e.MercadoPagoFee, e.CommissionBase, e.CommissionIgv, e.OtherFees, e.Net, e.ReleaseState,
                e.MoneyReleaseDate?.UtcTicks, e.ReleaseLocalDate, e.PaymentStatus))
            .OrderBy(r => r.PaymentId).ThenBy(r => r.OccurredAtTicks).ThenBy(r => r.Kind).ThenBy(r => r.RefundId)];
    }

    private sealed record Row(long PaymentId, LedgerEntryKind Kind, long? RefundId, long OccurredAtTicks, DateOnly LocalDate, int? EventId,
        string Currency, int Tickets, decimal Gross, decimal MercadoPagoFee, decimal CommissionBase, decimal CommissionIgv, decimal OtherFees,
        decimal Net, ReleaseState ReleaseState, long? MoneyReleaseTicks, DateOnly? ReleaseLocalDate, PaymentStatus PaymentStatus);
}
