using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using CsCheck;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Statements;

/// <summary>The statement model: its lines add up to its summary, which is the dashboard's, and it is scoped to the organizer.</summary>
public sealed class StatementComposerTests : IAsyncLifetime
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private SqliteTestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Compose_GeneratedLedger_LinesAddUpToTheSummaryAndTheDashboard()
    {
        var ct = TestContext.Current.CancellationToken;
        await LedgerGenerators.Payment(LedgerGenerators.DefaultStart, spanDays: 90, eventIds: [null, 1, 2]).Array[300]
            .SampleAsync(payments => ComposeAndCheckAsync(payments, ct), iter: 1, threads: 1);
    }

    private async Task ComposeAndCheckAsync(Payment[] payments, CancellationToken ct)
    {
        var (organizer, events) = await AddOrganizerAsync(ct);
        var (other, otherEvents) = await AddOrganizerAsync(ct);
        foreach (var p in payments)
        {
            p.OrganizerId = organizer.Id;
            p.EventId = p.EventId is { } n ? events[n - 1].Id : null;
            p.PayerEmail = $"comprador{p.Id}@example.com";
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, Lima));
        await using (var db = _db.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.AddRange(payments);
            await new PaymentLedgerWriter(time).ReplaceAsync(db, payments, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        var dashboard = new DashboardQueries(_db.Factory, time);
        var composer = new StatementComposer(_db.Factory, dashboard, new LedgerQueries(_db.Factory), time, Options.Create(new PlatformIdentityOptions()));
        foreach (var (period, eventId) in new (DatePeriod, int?)[]
                 {
                     (DatePeriod.Month(2026, 2), null), (new DatePeriod(new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30)), null),
                     (DatePeriod.Month(2026, 1), events[0].Id),
                 })
        {
            var statement = await composer.ComposeAsync(new StatementRequest(organizer.Id, period, eventId), ct);
            Assert.NotNull(statement);
            var lines = await statement.Lines(ct).ToListAsync(ct);
            var summary = statement.Summary;

            Assert.Equal(await dashboard.GetPeriodSummaryAsync(organizer.Id, period, eventId, ct), summary);
            Assert.NotEqual(0, summary.Sales);
            Assert.Equal(statement.LineCount, lines.Count);
            Assert.Equal(summary.GrossSales, lines.Where(l => l.Kind == LedgerEntryKind.Sale).Sum(l => l.Gross));
            Assert.Equal(summary.Refunds, lines.Where(l => l.Kind == LedgerEntryKind.Refund).Sum(l => l.Gross));
            Assert.Equal(summary.Chargebacks, lines.Where(l => l.Kind is LedgerEntryKind.Chargeback or LedgerEntryKind.ChargebackReversal).Sum(l => l.Gross));
            Assert.Equal((summary.MercadoPagoFees, summary.CommissionBase, summary.CommissionIgv, summary.OtherFees, summary.Net),
                (lines.Sum(l => l.MercadoPagoFee), lines.Sum(l => l.CommissionBase), lines.Sum(l => l.CommissionIgv), lines.Sum(l => l.OtherFees), lines.Sum(l => l.Net)));
            Assert.All(lines, l => Assert.InRange(DateOnly.FromDateTime(l.LocalDateTime), period.From, period.To));
            Assert.Equal(lines.OrderBy(l => l.LocalDateTime).Select(l => l.LocalDateTime), lines.Select(l => l.LocalDateTime));
            Assert.All(lines, l => Assert.Matches("^c\\*\\*\\*@example\\.com$", l.BuyerEmailMasked));
            if (eventId is not null) Assert.All(lines, l => Assert.Equal(events[0].Name, l.EventName));

            // A closed period's statement is as of its last instant, and its balance is the ledger's at that instant.
            var end = AccountingCalendar.Lima.StartOfDayUtc(period.To.AddDays(1)).AddTicks(-1);
            Assert.Equal(end, statement.Header.AsOf);
            var balance = await new LedgerQueries(_db.Factory).GetBalanceAsync(organizer.Id, end, eventId, ct);
            Assert.Equal((balance.Credited, balance.Pending, balance.Held), (statement.Balance.Credited, statement.Balance.Pending, statement.Balance.Held));
            Assert.Equal((organizer.LegalName, organizer.TaxId), (statement.Header.OrganizerLegalName, statement.Header.OrganizerTaxId));
        }

        // Nothing of another organizer: its own statement is empty, and another organizer's event is not found.
        var foreign = await composer.ComposeAsync(new StatementRequest(other.Id, DatePeriod.Month(2026, 2)), ct);
        Assert.NotNull(foreign);
        Assert.Equal(0, foreign.LineCount);
        Assert.Empty(await foreign.Lines(ct).ToListAsync(ct));
        Assert.Null(await composer.ComposeAsync(new StatementRequest(other.Id, DatePeriod.Month(2026, 2), events[0].Id), ct));
        Assert.Null(await composer.ComposeAsync(new StatementRequest(organizer.Id, DatePeriod.Month(2026, 2), otherEvents[0].Id), ct));
        Assert.Null(await composer.ComposeAsync(new StatementRequest(999_999, DatePeriod.Month(2026, 2)), ct));
    }

    private async Task<(Organizer Organizer, List<Event> Events)> AddOrganizerAsync(CancellationToken ct)
    {
        var organizer = new OrganizerBuilder().WithPlan(new CommissionPlan { Name = "Plan estándar", Rate = 0.05m, FixedPerTicket = 1.00m }).Build();
        await using var db = _db.CreateContext();
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(ct);
        var list = Enumerable.Range(1, 2).Select(i => new Event
        {
            OrganizerId = organizer.Id,
            ExternalId = $"{organizer.ExternalId}_evt_{i}",
            Name = $"Festival {i}",
            Venue = "Parque de la Exposición",
            StartsAt = new DateTimeOffset(2026, 6, i, 20, 0, 0, Lima),
            Capacity = 5000,
        }).ToList();
        db.Events.AddRange(list);
        await db.SaveChangesAsync(ct);
        return (organizer, list);
    }
}
