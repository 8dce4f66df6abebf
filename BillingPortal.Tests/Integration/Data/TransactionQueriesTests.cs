using BillingPortal.Core.Common;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Events;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Data;

/// <summary>A real SQLite file with two organizers' payments, shared by the tests of one class (they only read).</summary>
public sealed class TransactionQueriesFixture : IAsyncLifetime
{
    public SqliteTestDatabase Database { get; private set; } = null!;

    public Organizer OrganizerA { get; private set; } = null!;

    public Organizer OrganizerB { get; private set; } = null!;

    public List<Event> EventsA { get; } = [];

    public Event EventB { get; private set; } = null!;

    public List<Payment> PaymentsA { get; private set; } = [];

    public List<Payment> PaymentsB { get; private set; } = [];

    public TransactionQueries Queries { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Database = await SqliteTestDatabase.CreateAsync(ct);
        OrganizerA = new OrganizerBuilder().Build();
        OrganizerB = new OrganizerBuilder().Build();
        await using (var db = Database.CreateContext())
        {
            db.Organizers.AddRange(OrganizerA, OrganizerB);
            await db.SaveChangesAsync(ct);
            EventsA.AddRange([NewEvent(OrganizerA, "Festival del Sol"), NewEvent(OrganizerA, "Noche Criolla")]);
            EventB = NewEvent(OrganizerB, "Rock en el Parque");
            db.Events.AddRange([.. EventsA, EventB]);
            await db.SaveChangesAsync(ct);
        }

        PaymentsA = TransactionSeed.Payments(OrganizerA.Id, EventsA.Select(e => e.Id).ToList(), 173, seed: 11, firstId: 70_000_000_000);
        PaymentsB = TransactionSeed.Payments(OrganizerB.Id, [EventB.Id], 40, seed: 12, firstId: 71_000_000_000);
        await using (var db = Database.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var all = PaymentsA.Concat(PaymentsB).ToList();
            db.Payments.AddRange(all);
            await new PaymentLedgerWriter(new FakeTimeProvider(TransactionSeed.Now)).ReplaceAsync(db, all, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        Queries = new TransactionQueries(Database.Factory, new FakeTimeProvider(TransactionSeed.Now));
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();

    private static Event NewEvent(Organizer organizer, string name) => new()
    {
        OrganizerId = organizer.Id,
        ExternalId = $"{organizer.ExternalId}_{Guid.NewGuid():N}",
        Name = name,
        Venue = "Parque de la Exposición",
        StartsAt = new DateTimeOffset(2026, 4, 10, 20, 0, 0, TransactionSeed.Lima),
    };
}

/// <summary>
/// <see cref="TransactionQueries"/> on a real SQLite file against a LINQ-to-objects reference: every filter, every search
/// kind, keyset paging in both directions for every order, tenancy and masking.
/// </summary>
public sealed class TransactionQueriesTests(TransactionQueriesFixture fixture) : IClassFixture<TransactionQueriesFixture>
{
    private TransactionQueries Queries => fixture.Queries;

    private int OrganizerA => fixture.OrganizerA.Id;

    public static TheoryData<TransactionSort> Sorts => [.. Enum.GetValues<TransactionSort>()];

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task Pages_WalkedForwardAndBackward_YieldEveryRowOnceInReferenceOrder(TransactionSort sort)
    {
        var expected = TransactionSeed.Sort(fixture.PaymentsA, sort).Select(p => p.Id).ToList();

        var forward = await WalkForwardAsync(TransactionFilter.None, sort, limit: 7);
        var backward = await WalkBackwardAsync(TransactionFilter.None, sort, limit: 7);

        Assert.Equal(173, expected.Count);
        Assert.Equal(expected, forward);
        Assert.Equal(expected, backward);
    }

    [Fact]
    public async Task Pages_NextThenPrevious_ReturnsTheSamePage()
    {
        var ct = TestContext.Current.CancellationToken;
        var request = new TransactionPageRequest(TransactionFilter.None, Limit: 10);

        var first = await Queries.GetPageAsync(OrganizerA, request, false, ct);
        var second = await Queries.GetPageAsync(OrganizerA, request with { Cursor = first.NextCursor }, false, ct);
        var third = await Queries.GetPageAsync(OrganizerA, request with { Cursor = second.NextCursor }, false, ct);
        var backToSecond = await Queries.GetPageAsync(OrganizerA, request with { Cursor = third.PreviousCursor }, false, ct);
        var backToFirst = await Queries.GetPageAsync(OrganizerA, request with { Cursor = backToSecond.PreviousCursor }, false, ct);
        var last = await Queries.GetPageAsync(OrganizerA, request with { Last = true }, false, ct);

        Assert.Null(first.PreviousCursor);
        Assert.Equal(second.Items.Select(r => r.Id), backToSecond.Items.Select(r => r.Id));
        Assert.Equal(first.Items.Select(r => r.Id), backToFirst.Items.Select(r => r.Id));
        Assert.Null(backToFirst.PreviousCursor);
        Assert.Null(last.NextCursor);
        Assert.Equal(TransactionSeed.Sort(fixture.PaymentsA, TransactionSort.DateDescending).TakeLast(10).Select(p => p.Id), last.Items.Select(r => r.Id));
    }

    public static TheoryData<string> Filters => ["from-to", "event", "no-event-other", "status", "method", "credited", "pending", "held", "none", "refund", "no-refund", "combined"];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filter_Alone_EqualsTheReferenceAndItsCount(string name)
    {
        var filter = FilterNamed(name);
        var expected = TransactionSeed.Sort(TransactionSeed.Apply(fixture.PaymentsA, filter, TransactionSeed.Now), TransactionSort.DateDescending)
            .Select(p => p.Id).ToList();

        var forward = await WalkForwardAsync(filter, TransactionSort.DateDescending, limit: 6);
        var backward = await WalkBackwardAsync(filter, TransactionSort.AmountAscending, limit: 6);
        var count = await Queries.CountAsync(OrganizerA, filter, TestContext.Current.CancellationToken);

        if (name != "no-event-other") Assert.NotEmpty(expected);
        Assert.True(expected.Count < fixture.PaymentsA.Count, "the filter keeps only part of the rows");
        Assert.Equal(expected, forward);
        Assert.Equal(TransactionSeed.Sort(TransactionSeed.Apply(fixture.PaymentsA, filter, TransactionSeed.Now), TransactionSort.AmountAscending).Select(p => p.Id), backward);
        Assert.Equal(expected.Count, count);
    }

    [Fact]
    public async Task Search_EachKind_FindsWhatTheReferenceFinds()
    {
        var ct = TestContext.Current.CancellationToken;
        var byId = fixture.PaymentsA[42];
        var mixedCase = fixture.PaymentsA.First(p => p.PayerEmail!.StartsWith("Comprador", StringComparison.Ordinal));
        var lowerCase = fixture.PaymentsA.First(p => p.PayerEmail!.StartsWith("comprador", StringComparison.Ordinal));

        async Task<List<long>> Find(string search) =>
            [.. (await Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(new TransactionFilter(Search: search), Limit: 500), false, ct)).Items.Select(r => r.Id)];

        Assert.Equal([byId.Id], await Find(byId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([byId.Id], await Find("  " + byId.ExternalReference + " "));
        var prefix = byId.ExternalReference![..^1];
        var expectedPrefix = TransactionSeed.Sort(fixture.PaymentsA.Where(p => p.ExternalReference!.StartsWith(prefix, StringComparison.Ordinal)), TransactionSort.DateDescending).Select(p => p.Id);
        Assert.Equal(10, expectedPrefix.Count());
        Assert.Equal(expectedPrefix, await Find(prefix));
        Assert.Equal([mixedCase.Id], await Find(mixedCase.PayerEmail!));
        Assert.Equal([lowerCase.Id], await Find(lowerCase.PayerEmail!.ToUpperInvariant()));
        Assert.Equal([lowerCase.Id], await Find(lowerCase.PayerEmail!));
        Assert.Empty(await Find("nadie@example.com"));
        Assert.Empty(await Find(fixture.PaymentsB[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(await Find(fixture.PaymentsB[0].ExternalReference!));
    }

    [Fact]
    public async Task Cursor_MalformedOrOfAnotherSort_IsRejectedClearly()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(TransactionFilter.None, Limit: 5), false, ct);

        var garbage = await Assert.ThrowsAsync<InvalidTransactionCursorException>(() =>
            Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(TransactionFilter.None, Cursor: "not-a-cursor!"), false, ct));
        var otherSort = await Assert.ThrowsAsync<InvalidTransactionCursorException>(() =>
            Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(TransactionFilter.None, TransactionSort.AmountAscending, Cursor: first.NextCursor), false, ct));
        var truncated = await Assert.ThrowsAsync<InvalidTransactionCursorException>(() =>
            Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(TransactionFilter.None, Cursor: first.NextCursor![..12]), false, ct));

        Assert.Contains("cursor", garbage.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("otro orden", otherSort.Message, StringComparison.Ordinal);
        Assert.Equal("cursor", truncated.ParamName);
    }

    [Fact]
    public async Task Tenancy_AnotherOrganizersIds_GiveNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var foreign = fixture.PaymentsB[0];

        var detail = await Queries.GetDetailAsync(OrganizerA, foreign.Id, true, ct);
        var byEvent = await Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(new TransactionFilter(EventId: fixture.EventB.Id)), true, ct);
        var options = await Queries.GetFilterOptionsAsync(OrganizerA, ct);
        var own = await Queries.GetDetailAsync(fixture.OrganizerB.Id, foreign.Id, true, ct);

        Assert.Null(detail);
        Assert.Empty(byEvent.Items);
        Assert.DoesNotContain(options.Events, e => e.Id == fixture.EventB.Id);
        Assert.Equal(fixture.EventsA.Select(e => e.Id).Order(), options.Events.Select(e => e.Id).Order());
        Assert.NotNull(own);
    }

    [Fact]
    public async Task Masking_WithoutReveal_HidesEmailAndDocument()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = fixture.PaymentsA.First(p => p.PayerEmail!.StartsWith("comprador", StringComparison.Ordinal));
        var filter = new TransactionFilter(Search: payment.PayerEmail);

        var masked = await Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(filter), false, ct);
        var revealed = await Queries.GetPageAsync(OrganizerA, new TransactionPageRequest(filter), true, ct);
        var maskedDetail = await Queries.GetDetailAsync(OrganizerA, payment.Id, false, ct);
        var ownerDetail = await Queries.GetDetailAsync(OrganizerA, payment.Id, true, ct);

        Assert.Equal(PersonalDataMask.Email(payment.PayerEmail), Assert.Single(masked.Items).PayerEmail);
        Assert.Matches(@"^c\*\*\*@example\.com$", masked.Items[0].PayerEmail!);
        Assert.Equal(payment.PayerEmail, Assert.Single(revealed.Items).PayerEmail);
        Assert.Equal("*****" + payment.PayerIdentificationNumber![^3..], maskedDetail!.PayerDocument);
        Assert.DoesNotContain(payment.PayerEmail!, maskedDetail.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((payment.PayerEmail, payment.PayerIdentificationNumber), (ownerDetail!.PayerEmail, ownerDetail.PayerDocument));
    }

    [Fact]
    public async Task Detail_RefundedPayment_BreakdownEqualsItsLedgerAndAddsUp()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = fixture.PaymentsA.First(p => p.Refunds.Count > 0 && p.Status == PaymentStatus.Approved);

        var detail = await Queries.GetDetailAsync(OrganizerA, payment.Id, false, ct);

        await using var db = fixture.Database.CreateContext();
        var ledger = await db.LedgerEntries.AsNoTracking().Where(e => e.PaymentId == payment.Id).ToListAsync(ct);
        Assert.NotNull(detail);
        Assert.Equal([LedgerEntryKind.Sale, LedgerEntryKind.Refund], detail.Breakdown.Lines.Select(l => l.Kind));
        Assert.All(detail.Breakdown.Lines, l => Assert.True(l.AddsUp));
        var total = detail.Breakdown.Total!;
        Assert.True(total.AddsUp);
        Assert.Equal(ledger.Sum(e => e.Net), total.Net);
        Assert.Equal(ledger.Sum(e => e.Gross), total.Gross);
        Assert.Equal(ledger.Sum(e => e.CommissionIgv), total.CommissionIgv);
        Assert.Equal(total.Net, detail.Row.Net);
        Assert.Equal(payment.Refunds.Single().Amount, Assert.Single(detail.Refunds).Amount);
        Assert.Equal(payment.TransactionAmount, total.Gross + payment.Refunds.Single().Amount);
        Assert.Equal(payment.Status, detail.Timeline[^1].Status);
        Assert.Equal(TransactionSeed.ReleaseOf(payment, TransactionSeed.Now), detail.Row.Release);
    }

    [Fact]
    public async Task Detail_ChargedBackPayment_HasTimelineAndChargebackLine()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = fixture.PaymentsA.First(p => p.Status == PaymentStatus.ChargedBack);

        var detail = await Queries.GetDetailAsync(OrganizerA, payment.Id, false, ct);

        Assert.NotNull(detail);
        Assert.Equal([LedgerEntryKind.Sale, LedgerEntryKind.Chargeback], detail.Breakdown.Lines.Select(l => l.Kind));
        Assert.Equal(0m, detail.Breakdown.Total!.Gross);
        Assert.Equal(PaymentStatus.ChargedBack, Assert.Single(detail.Timeline).Status);
        Assert.Equal(fixture.EventsA.SingleOrDefault(e => e.Id == payment.EventId)?.Name, detail.Event?.Name);
    }

    private TransactionFilter FilterNamed(string name) => name switch
    {
        "from-to" => new TransactionFilter(From: new DateOnly(2026, 3, 10), To: new DateOnly(2026, 3, 16)),
        "event" => new TransactionFilter(EventId: fixture.EventsA[1].Id),
        "no-event-other" => new TransactionFilter(EventId: fixture.EventB.Id),
        "status" => new TransactionFilter(Status: PaymentStatus.Refunded),
        "method" => new TransactionFilter(PaymentMethodId: "yape"),
        "credited" => new TransactionFilter(Release: TransactionRelease.Credited),
        "pending" => new TransactionFilter(Release: TransactionRelease.Pending),
        "held" => new TransactionFilter(Release: TransactionRelease.Held),
        "none" => new TransactionFilter(Release: TransactionRelease.None),
        "refund" => new TransactionFilter(HasRefund: true),
        "no-refund" => new TransactionFilter(HasRefund: false),
        "combined" => new TransactionFilter(From: new DateOnly(2026, 3, 5), To: new DateOnly(2026, 3, 25), EventId: fixture.EventsA[0].Id,
            Release: TransactionRelease.Credited, HasRefund: false),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static TheoryData<string, TransactionSort> PendingCases => new()
    {
        { "pending", TransactionSort.DateDescending },
        { "pending", TransactionSort.DateAscending },
        { "pending-refunded", TransactionSort.DateDescending },
        { "pending-event", TransactionSort.DateAscending },
    };

    /// <summary>
    /// «Pending» by date is read as six index ranges (release status × status) merged page by page: walked both ways,
    /// from the first and from the last page, alone and with other filters, it is exactly the reference's list.
    /// </summary>
    [Theory]
    [MemberData(nameof(PendingCases))]
    public async Task Pending_ByDate_InRangesMerged_EqualsTheReferenceBothWays(string name, TransactionSort sort)
    {
        var filter = name switch
        {
            "pending-refunded" => new TransactionFilter(Release: TransactionRelease.Pending, Status: PaymentStatus.Refunded),
            "pending-event" => new TransactionFilter(Release: TransactionRelease.Pending, EventId: fixture.EventsA[1].Id),
            _ => new TransactionFilter(Release: TransactionRelease.Pending),
        };
        var pending = TransactionSeed.Apply(fixture.PaymentsA, filter, TransactionSeed.Now);
        var expected = TransactionSeed.Sort(pending, sort).Select(p => p.Id).ToList();
        // The seed has pending payments in several of the ranges (so the merge is exercised), not only one.
        var ranges = pending.Select(p => (p.MoneyReleaseStatus, p.Status)).Distinct().Count();

        var forward = await WalkForwardAsync(filter, sort, limit: 4);
        var backward = await WalkBackwardAsync(filter, sort, limit: 4);

        Assert.NotEmpty(expected);
        if (name == "pending") Assert.True(ranges >= 3, $"only {ranges} release/status ranges hold pending payments");
        Assert.All(pending, p => Assert.Equal(TransactionRelease.Pending, TransactionQueries.ReleaseOf(p.Status, p.MoneyReleaseStatus, p.MoneyReleaseDate, TransactionSeed.Now)));
        Assert.Equal(expected, forward);
        Assert.Equal(expected, backward);
    }

    private async Task<List<long>> WalkForwardAsync(TransactionFilter filter, TransactionSort sort, int limit)
    {
        var ct = TestContext.Current.CancellationToken;
        var request = new TransactionPageRequest(filter, sort, limit);
        var page = await Queries.GetPageAsync(OrganizerA, request, false, ct);
        var ids = page.Items.Select(r => r.Id).ToList();
        Assert.Null(page.PreviousCursor);
        while (page.NextCursor is { } next)
        {
            page = await Queries.GetPageAsync(OrganizerA, request with { Cursor = next }, false, ct);
            Assert.InRange(page.Items.Count, 1, limit);
            ids.AddRange(page.Items.Select(r => r.Id));
        }

        return ids;
    }

    private async Task<List<long>> WalkBackwardAsync(TransactionFilter filter, TransactionSort sort, int limit)
    {
        var ct = TestContext.Current.CancellationToken;
        var request = new TransactionPageRequest(filter, sort, limit);
        var page = await Queries.GetPageAsync(OrganizerA, request with { Last = true }, false, ct);
        var ids = page.Items.Select(r => r.Id).ToList();
        Assert.Null(page.NextCursor);
        while (page.PreviousCursor is { } previous)
        {
            page = await Queries.GetPageAsync(OrganizerA, request with { Cursor = previous }, false, ct);
            Assert.InRange(page.Items.Count, 1, limit);
            ids.InsertRange(0, page.Items.Select(r => r.Id));
        }

        return ids;
    }
}
