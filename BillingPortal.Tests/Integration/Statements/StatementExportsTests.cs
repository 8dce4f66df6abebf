using System.Security.Cryptography;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Reporting;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;

namespace BillingPortal.Tests.Integration.Statements;

/// <summary>Background statement files on a real SQLite file and a real folder: queue, progress, file, expiry, monthly numbering.</summary>
public sealed class StatementExportsTests : IAsyncLifetime
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, Lima));
    private SqliteTestDatabase _db = null!;
    private string _directory = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);
        _directory = Directory.CreateTempSubdirectory("bp-exports-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private StatementExports Exports(int threshold = 10) => new(
        _db.Factory,
        new StatementComposer(_db.Factory, new DashboardQueries(_db.Factory, _time), new LedgerQueries(_db.Factory), _time, Options.Create(new PlatformIdentityOptions())),
        _time,
        Options.Create(new StatementOptions { BackgroundThresholdLines = threshold, ResolvedDirectory = _directory, RetentionDays = 7, MaxPdfLines = 50 }),
        NullLogger<StatementExports>.Instance,
        new StatementExportNotifier(NullLogger<StatementExportNotifier>.Instance));

    [Fact]
    public async Task LargeStatement_IsQueuedThenGeneratedIntoAFileTheOrganizerAloneCanOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, other) = await SeedAsync(payments: 40, ct);
        var exports = Exports(threshold: 10);
        var access = new OrganizerAccess(organizer, OrganizerRole.Viewer, 7, "viewer@example.com");
        var request = new StatementRequest(organizer, DatePeriod.Month(2026, 10));

        var decision = await exports.RequestAsync(access, request, StatementFormat.Xlsx, ',', ct);
        var queued = Assert.IsType<StatementExportDecision.Queued>(decision).Export;
        Assert.Equal((StatementExportStatus.Queued, 0, 7), (queued.Status, queued.Progress, queued.RequestedByUserId));
        Assert.StartsWith("estado-de-cuenta_", queued.FileName, StringComparison.Ordinal);
        Assert.EndsWith("_2026-10-01_2026-10-31.xlsx", queued.FileName, StringComparison.Ordinal);

        Assert.True(await exports.RunNextAsync(ct));
        Assert.False(await exports.RunNextAsync(ct));
        var done = await exports.GetAsync(organizer, queued.Id, ct);
        Assert.NotNull(done);
        Assert.Equal((StatementExportStatus.Completed, 100, queued.LinesTotal), (done.Status, done.Progress, done.LinesWritten));
        Assert.Equal(_time.GetUtcNow().AddDays(7), done.ExpiresAt);

        var opened = await exports.OpenAsync(organizer, queued.Id, ct);
        Assert.NotNull(opened);
        await using (var content = opened.Value.Content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, ct);
            Assert.Equal(done.Sha256, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
            copy.Position = 0;
            Assert.Equal(queued.LinesTotal, copy.Query(useHeaderRow: true, sheetName: "Movimientos").Count());
        }

        // Another organizer sees neither the export nor its file.
        Assert.Null(await exports.GetAsync(other, queued.Id, ct));
        Assert.Null(await exports.OpenAsync(other, queued.Id, ct));
        Assert.DoesNotContain(await exports.ListAsync(other, 50, ct), e => e.Id == queued.Id);
        Assert.Contains(await exports.ListAsync(organizer, 50, ct), e => e.Id == queued.Id);
        Assert.IsType<StatementExportDecision.NotFound>(await exports.RequestAsync(access, request with { OrganizerId = other }, StatementFormat.Csv, ',', ct));

        // After the retention the file is gone and the export says so.
        _time.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, await exports.PurgeExpiredAsync(ct));
        Assert.Equal(StatementExportStatus.Expired, (await exports.GetAsync(organizer, queued.Id, ct))!.Status);
        Assert.Null(await exports.OpenAsync(organizer, queued.Id, ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, organizer.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task SmallStatement_IsImmediate_AndAPdfAboveTheLimitIsRefusedNamingTheField()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, _) = await SeedAsync(payments: 60, ct);
        var access = new OrganizerAccess(organizer, OrganizerRole.Owner, 1, "owner@example.com");
        var request = new StatementRequest(organizer, DatePeriod.Month(2026, 10));

        var immediate = Assert.IsType<StatementExportDecision.Immediate>(await Exports(threshold: 1_000).RequestAsync(access, request, StatementFormat.Csv, ';', ct));
        Assert.EndsWith(".csv", immediate.FileName, StringComparison.Ordinal);
        var refused = Assert.IsType<StatementExportDecision.Refused>(await Exports(threshold: 1_000).RequestAsync(access, request, StatementFormat.Pdf, ',', ct));
        Assert.Equal("formato", refused.Field);
        Assert.Contains("Excel o CSV", refused.Message, StringComparison.Ordinal);
        await using var db = _db.CreateContext();
        Assert.Equal(0, await db.StatementExports.CountAsync(ct));
    }

    [Fact]
    public async Task MonthlyStatement_IsNumberedGeneratedOnce_AndALaterRefundDoesNotChangeItsFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        var (organizer, _) = await SeedAsync(payments: 30, ct);
        var exports = Exports();

        var first = await exports.EnsureMonthlyAsync(organizer, 2026, 10, StatementFormat.Pdf, ct);
        var again = await exports.EnsureMonthlyAsync(organizer, 2026, 10, StatementFormat.Pdf, ct);
        Assert.Equal(StatementExportStatus.Completed, first.Status);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Sha256, again.Sha256);
        Assert.Equal($"EC-2026-10-{organizer:D6}", first.Number);
        Assert.Null(first.ExpiresAt);

        // A refund in November of an October sale: a November line, so October's figures stay as they were.
        await using (var db = _db.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var payment = await db.Payments.Include(p => p.Refunds).Include(p => p.Fees).Include(p => p.StatusHistory)
                .FirstAsync(p => p.OrganizerId == organizer && p.Status == PaymentStatus.Approved, ct);
            payment.Refunds.Add(new PaymentRefund { Amount = 10.00m, Status = "approved", DateCreated = new DateTimeOffset(2026, 11, 10, 9, 0, 0, Lima) });
            payment.TransactionAmountRefunded = 10.00m;
            await new PaymentLedgerWriter(_time).ReplaceAsync(db, [payment], ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        var regenerated = Assert.IsType<StatementExportDecision.Queued>(await exports.RequestAsync(
            new OrganizerAccess(organizer, OrganizerRole.Owner, 1, "o"), new StatementRequest(organizer, DatePeriod.Month(2026, 10)), StatementFormat.Pdf, ',', ct)).Export;
        Assert.True(await exports.RunNextAsync(ct));
        Assert.Equal(first.FiguresSha256, (await exports.GetAsync(organizer, regenerated.Id, ct))!.FiguresSha256);
        var november = await exports.EnsureMonthlyAsync(organizer, 2026, 11, StatementFormat.Pdf, ct);
        Assert.NotEqual(first.FiguresSha256, november.FiguresSha256);
    }

    private async Task<(int Organizer, int Other)> SeedAsync(int payments, CancellationToken ct)
    {
        var organizer = new OrganizerBuilder().WithPlan(new CommissionPlan { Name = "Plan", Rate = 0.05m }).Build();
        var other = new OrganizerBuilder().WithPlan(new CommissionPlan { Name = "Plan B", Rate = 0.05m }).Build();
        await using var db = _db.CreateContext();
        db.Organizers.AddRange(organizer, other);
        await db.SaveChangesAsync(ct);
        var list = Enumerable.Range(0, payments)
            .Select(i => new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 10, 1 + (i % 28), 10, i % 60, 0, Lima)).Build())
            .ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Payments.AddRange(list);
        await new PaymentLedgerWriter(_time).ReplaceAsync(db, list, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (organizer.Id, other.Id);
    }
}
