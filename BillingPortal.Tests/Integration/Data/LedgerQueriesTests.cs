using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
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
}
