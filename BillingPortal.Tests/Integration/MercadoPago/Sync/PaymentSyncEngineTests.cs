using System.Diagnostics.Metrics;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Payments;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.Sync;

/// <summary>
/// The sync engine end to end: the emulator over real HTTP, the portal's real services and a real SQLite file; the
/// organizer linked through the consent flow; faults from the emulator's fault injection.
/// </summary>
public sealed class PaymentSyncEngineTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_FirstSync_StoresExactlyTheSandboxsPaymentsAndLedger()
    {
        await using var h = await SyncHarness.StartAsync(s => s["MercadoPago:Sync:PageSize"] = "5", Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var other = await h.NewOrganizerAsync(Ct);
        await SeedHistoryAsync(h, org);
        await h.SaleAsync(other, 99m, 3 * Day, Ct);
        using var runs = new MeterRecorder(h.Portal.GetRequiredService<IMeterFactory>(), "billingportal.mp.sync.runs");
        using var pages = new MeterRecorder(h.Portal.GetRequiredService<IMeterFactory>(), "billingportal.mp.sync.pages");
        var total = (await h.SandboxPaymentsAsync(org.SellerId, Ct)).Count;

        var summary = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.Equal(SyncRunStatus.Succeeded, summary.Status);
        Assert.Equal((total, total, 0), (summary.PaymentsSeen, summary.PaymentsNew, summary.PaymentsChanged));
        Assert.True(summary.Pages >= 12 + 1, $"{summary.Pages} pages: a year is read in 31-day windows, one page at least each");
        await h.AssertMirrorsSandboxAsync(org, Ct);
        var truth = await h.SandboxPaymentsAsync(org.SellerId, Ct);
        var state = await h.StateAsync(org.OrganizerId, Ct);
        Assert.Equal(truth.Max(PaymentUpserter.LastUpdated), state.Cursor);
        Assert.NotNull(state.InitialSyncCompletedAt);
        Assert.Null(state.LeaseId);
        var run = Assert.Single(await h.RunsAsync(org.OrganizerId, Ct));
        Assert.Equal((SyncRunStatus.Succeeded, summary.Pages, total, total), (run.Status, run.Pages, run.PaymentsSeen, run.PaymentsNew));
        Assert.Equal((summary.RunId, (DateTimeOffset?)null, state.Cursor), (run.Id, run.CursorBefore, run.CursorAfter));
        Assert.NotNull(run.FinishedAt);
        Assert.Equal(1, runs.Sum(("kind", "incremental"), ("status", "succeeded")));
        Assert.Equal(summary.Pages, pages.Sum(("kind", "incremental")));
        Assert.DoesNotContain(h.Logs, l => l.Contains("APP_USR", StringComparison.Ordinal) || l.Contains("@example.com", StringComparison.Ordinal));
        Assert.Contains(h.Logs, l => l.Contains($"run {summary.RunId}", StringComparison.Ordinal) && l.Contains("succeeded", StringComparison.Ordinal));
        await using var db = h.Database.CreateContext();
        Assert.Empty(await db.Payments.Where(p => p.OrganizerId == other.OrganizerId).ToListAsync(Ct));
    }

    [Fact]
    public async Task RunAsync_IncrementalAfterNewSalesARefundAndAChargeback_PicksUpExactlyTheChanges()
    {
        await using var h = await SyncHarness.StartAsync(s => s["MercadoPago:Sync:PageSize"] = "4", Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var sales = await SeedHistoryAsync(h, org);
        await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        // New sales are updated "now" (approved seconds after creation), as Mercado Pago's are.
        await h.SaleAsync(org, 45m, TimeSpan.FromSeconds(10), Ct);
        await h.SaleAsync(org, 55m, TimeSpan.FromSeconds(10), Ct);
        await h.Payments.RefundAsync(sales[0].Id, null, 10m, null, Ct);
        await h.Payments.ChargebackAsync(sales[1].Id, "in_process", Ct);
        var summary = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.Equal((SyncRunStatus.Succeeded, 2, 2), (summary.Status, summary.PaymentsNew, summary.PaymentsChanged));
        await h.AssertMirrorsSandboxAsync(org, Ct);
        var refunded = await SyncTestKit.StoredPaymentAsync(h.Database, sales[0].Id, Ct);
        Assert.Equal([(PaymentStatus.Approved, "accredited"), (PaymentStatus.Approved, "partially_refunded")], refunded!.StatusHistory.OrderBy(x => x.ChangedAt).Select(x => (x.Status, x.StatusDetail)));
        var chargedBack = await SyncTestKit.StoredPaymentAsync(h.Database, sales[1].Id, Ct);
        Assert.Equal(PaymentStatus.ChargedBack, chargedBack!.Status);
    }

    [Fact]
    public async Task RunAsync_NothingChanged_UnchangedAndLedgerRowsUntouched()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        await SeedHistoryAsync(h, org);
        await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);
        var before = await SyncTestKit.FingerprintAsync(h.Database, org.OrganizerId, Ct);

        var incremental = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);
        var manual = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Manual, org.Owner.UserId, Ct);

        Assert.Equal((0, 0), (incremental.PaymentsNew, incremental.PaymentsChanged));
        Assert.Equal((SyncRunStatus.Succeeded, 0, 0), (manual.Status, manual.PaymentsNew, manual.PaymentsChanged));
        Assert.Equal(before, await SyncTestKit.FingerprintAsync(h.Database, org.OrganizerId, Ct));
        Assert.Equal(org.Owner.UserId, (await h.RunsAsync(org.OrganizerId, Ct))[^1].TriggeredByUserId);
    }

    [Fact]
    public async Task RunAsync_SandboxServesAnOlderVersion_StaleIsIgnored()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var sale = await h.SaleAsync(org, 80m, 5 * Day, Ct);
        await h.Payments.RefundAsync(sale.Id, null, null, null, Ct);
        await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        // A lagging replica answers the approved version again (older date_last_updated).
        await h.PutAsync([sale], Ct);
        var summary = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Reconciliation, null, Ct);

        Assert.Equal((0, 0), (summary.PaymentsNew, summary.PaymentsChanged));
        Assert.Equal(PaymentStatus.Refunded, (await SyncTestKit.StoredPaymentAsync(h.Database, sale.Id, Ct))!.Status);
    }

    [Fact]
    public async Task RunAsync_UnmatchedAndMismatchedPayments_KeptWithAnomalies()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var unmatched = await h.SaleAsync(org, 70m, 3 * Day, Ct, withPurchase: false);
        var reference = await SyncTestKit.NewPurchaseAsync(h.Database, org.OrganizerId, org.EventId, 100m, Ct);
        var mismatched = await h.Payments.CreateSaleAsync(new SandboxSaleRequest { SellerId = org.SellerId, Amount = 120m, ExternalReference = reference, DateCreated = h.Clock.GetUtcNow() - Day }, Ct);

        await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        await h.AssertMirrorsSandboxAsync(org, Ct);
        await using var db = h.Database.CreateContext();
        var kinds = await db.Anomalies.Where(a => a.OrganizerId == org.OrganizerId).Select(a => new { a.PaymentId, a.Kind }).ToListAsync(Ct);
        Assert.Contains(kinds, a => a.PaymentId == unmatched.Id && a.Kind == Core.Billing.Anomalies.AnomalyKind.UnmatchedPayment);
        Assert.Contains(kinds, a => a.PaymentId == mismatched.Id && a.Kind == Core.Billing.Anomalies.AnomalyKind.AmountMismatch);
    }

    [Fact]
    public async Task RunAsync_Meets429s500sAndTimeouts_StillCompletesExactly()
    {
        await using var h = await SyncHarness.StartAsync(s =>
        {
            s["MercadoPago:Sync:PageSize"] = "4";
            s["MercadoPago:Client:MaxRetries"] = "6";
            s["MercadoPago:Client:RetryMaxDelay"] = "00:00:02";
            s["MercadoPago:Client:AttemptTimeout"] = "00:00:00.500";
        }, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        await SeedHistoryAsync(h, org);
        const string search = "/v1/payments/search";
        h.Faults.Add(SandboxFaultKind.ServerError, 0, 2, search);
        h.Faults.Add(SandboxFaultKind.RateLimit, 0, 2, search, retryAfterSeconds: 1);
        h.Faults.Add(SandboxFaultKind.Timeout, 0, 1, search, holdMs: 5_000);
        h.Observer.AfterPage = page =>
        {
            // More faults in the middle of the run, between committed pages.
            if (page == 2)
            {
                h.Faults.Add(SandboxFaultKind.RateLimit, 0, 1, search, retryAfterSeconds: 1);
                h.Faults.Add(SandboxFaultKind.Timeout, 0, 1, search, holdMs: 5_000);
                h.Faults.Add(SandboxFaultKind.ServerError, 0, 1, search);
            }

            return Task.CompletedTask;
        };

        var summary = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.True(summary.Status == SyncRunStatus.Succeeded, summary.ErrorMessage);
        await h.AssertMirrorsSandboxAsync(org, Ct);
        var statuses = h.Observer.Attempts.Select(a => a.Status).ToList();
        Assert.Contains(500, statuses);
        Assert.Contains(429, statuses);
        Assert.Equal(6, h.Faults.List().Count);
        Assert.All(h.Faults.List(), f => Assert.True(f.Hits == f.Count, $"fault {f.Kind} hit {f.Hits} of {f.Count}"));
    }

    [Fact]
    public async Task RunAsync_CancelledAfterAPage_ResumesToTheSameStateWithoutDuplicates()
    {
        // One window for the year, so that the pages before the kill carry payments (and move the cursor).
        await using var h = await SyncHarness.StartAsync(s =>
        {
            s["MercadoPago:Sync:PageSize"] = "3";
            s["MercadoPago:Sync:WindowDays"] = "364";
        }, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        await SeedHistoryAsync(h, org);
        var total = (await h.SandboxPaymentsAsync(org.SellerId, Ct)).Count;
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        h.Observer.AfterPage = page =>
        {
            if (page == 3) kill.Cancel();
            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, kill.Token));
        var interrupted = await h.StateAsync(org.OrganizerId, Ct);
        h.Observer.AfterPage = null;
        var resumed = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.NotNull(interrupted.Cursor);
        Assert.Null(interrupted.LeaseId);
        Assert.Equal(SyncRunStatus.Succeeded, resumed.Status);
        await h.AssertMirrorsSandboxAsync(org, Ct);
        var runs = await h.RunsAsync(org.OrganizerId, Ct);
        Assert.Equal([SyncRunStatus.Abandoned, SyncRunStatus.Succeeded], runs.Select(r => r.Status));
        Assert.InRange(runs[0].Pages, 1, 3);
        Assert.Equal(total, runs.Sum(r => r.PaymentsNew));
        Assert.Equal(runs[0].CursorAfter, runs[1].CursorBefore);
    }

    [Fact]
    public async Task RunAsync_500StormBeyondTheRetryBudget_FailsThenTheNextRunResumes()
    {
        await using var h = await SyncHarness.StartAsync(s =>
        {
            s["MercadoPago:Sync:PageSize"] = "3";
            s["MercadoPago:Sync:WindowDays"] = "364";
            s["MercadoPago:Client:MaxRetries"] = "2";
        }, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        await SeedHistoryAsync(h, org);
        var total = (await h.SandboxPaymentsAsync(org.SellerId, Ct)).Count;
        h.Observer.AfterPage = page =>
        {
            if (page == 2) h.Faults.Add(SandboxFaultKind.ServerError, 1.0, null, "/v1/payments/search");
            return Task.CompletedTask;
        };

        var failed = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);
        h.Faults.Clear();
        var resumed = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.Equal((SyncRunStatus.Failed, 2, "internal_server_error"), (failed.Status, failed.Pages, failed.ErrorCode));
        Assert.Equal(MercadoPagoErrorMessages.Spanish(new MercadoPagoError(MercadoPagoErrorKind.ServerError, 500, null, null, [], null, null)), failed.ErrorMessage);
        Assert.Equal(SyncRunStatus.Succeeded, resumed.Status);
        Assert.Equal(total, failed.PaymentsNew + resumed.PaymentsNew);
        await h.AssertMirrorsSandboxAsync(org, Ct);
    }

    [Fact]
    public async Task RunAsync_RunLeftRunningByADeadProcess_SkippedUntilTheLeaseExpiresThenMarkedAbandoned()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        await SeedHistoryAsync(h, org);
        await using (var db = h.Database.CreateContext())
        {
            var now = h.Clock.GetUtcNow();
            db.MercadoPagoSyncStates.Add(new MercadoPagoSyncState { OrganizerId = org.OrganizerId, LeaseId = Guid.NewGuid(), LeaseUntil = now + TimeSpan.FromMinutes(10) });
            db.MercadoPagoSyncRuns.Add(new MercadoPagoSyncRun { OrganizerId = org.OrganizerId, Kind = SyncRunKind.Incremental, Status = SyncRunStatus.Running, StartedAt = now });
            await db.SaveChangesAsync(Ct);
        }

        var skipped = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);
        h.Clock.Advance(TimeSpan.FromMinutes(11));
        var next = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.True(skipped.Skipped);
        Assert.Equal(SyncRunStatus.Succeeded, next.Status);
        var runs = await h.RunsAsync(org.OrganizerId, Ct);
        Assert.Equal([SyncRunStatus.Abandoned, SyncRunStatus.Succeeded], runs.Select(r => r.Status));
        await h.AssertMirrorsSandboxAsync(org, Ct);
    }

    [Fact]
    public async Task RunAsync_MorePaymentsThanMaxOffset_ReWindowsAndGetsEverything()
    {
        await using var h = await SyncHarness.StartAsync(s =>
        {
            s["MercadoPago:Sync:PageSize"] = "3";
            s["MercadoPago:Sync:MaxOffset"] = "6";
        }, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var now = h.Clock.GetUtcNow();
        var payments = Enumerable.Range(0, 20).Select(i => SyncTestKit.Sale(org.SellerId, 10m + i, null, now, TimeSpan.FromHours(100 - (i * 3)))).ToList();
        var sameInstant = SyncTestKit.Sale(org.SellerId, 33m, null, now, TimeSpan.FromHours(50)).DateLastUpdated!.Value;
        payments.AddRange(Enumerable.Range(0, 8).Select(i => SyncTestKit.Sale(org.SellerId, 40m + i, null, now, TimeSpan.FromHours(50)) with { DateLastUpdated = sameInstant }));
        await h.PutAsync(payments, Ct);

        var summary = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.Equal((SyncRunStatus.Succeeded, 28), (summary.Status, summary.PaymentsNew));
        await h.AssertMirrorsSandboxAsync(org, Ct);
        var attempts = h.Observer.Attempts.ToList();
        Assert.True(attempts.Select(a => a.Begin).Distinct().Count() > 3, "the window never restarted");
        Assert.Contains(attempts, a => a.Offset >= 6);
        Assert.All(attempts.Where(a => a.Offset >= 6), a => Assert.Equal(MpPaymentSearch.FormatDate(sameInstant), a.Begin));
    }

    [Fact]
    public async Task RunAsync_Reconciliation_ZeroAfterACleanSyncThenFixesAnUnnotifiedChange()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var sales = await SeedHistoryAsync(h, org);
        await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);
        var cursor = (await h.StateAsync(org.OrganizerId, Ct)).Cursor!.Value;

        var clean = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Reconciliation, null, Ct);
        var quiet = (await h.SandboxPaymentsAsync(org.SellerId, Ct)).Single(p => p.Id == sales[2].Id);
        await h.PutAsync([SyncTestKit.Refunded(quiet, null, cursor - 5 * Day)], Ct);
        var incremental = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);
        var reconciliation = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Reconciliation, null, Ct);

        Assert.Equal((SyncRunStatus.Succeeded, 0, 0), (clean.Status, clean.PaymentsNew, clean.PaymentsChanged));
        Assert.True(clean.PaymentsSeen > 0);
        Assert.Equal((0, 0), (incremental.PaymentsNew, incremental.PaymentsChanged));
        Assert.Equal((0, 1), (reconciliation.PaymentsNew, reconciliation.PaymentsChanged));
        await h.AssertMirrorsSandboxAsync(org, Ct);
        var state = await h.StateAsync(org.OrganizerId, Ct);
        Assert.Equal(cursor, state.Cursor);
        Assert.NotNull(state.LastReconciliationAt);
    }

    [Fact]
    public async Task RunAsync_FailuresBackOffAndAlertAtTheThreshold_ASuccessResolvesIt()
    {
        await using var h = await SyncHarness.StartAsync(s => s["MercadoPago:Client:MaxRetries"] = "0", Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        await h.SaleAsync(org, 50m, Day, Ct);
        var storm = h.Faults.Add(SandboxFaultKind.ServerError, 1.0, null, "/v1/payments/search");
        var backoffs = new List<TimeSpan>();
        var dueAfterFailure = new List<bool>();

        for (var i = 1; i <= 3; i++)
        {
            var failed = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);
            Assert.Equal(SyncRunStatus.Failed, failed.Status);
            var state = await h.StateAsync(org.OrganizerId, Ct);
            Assert.Equal(i, state.ConsecutiveFailures);
            backoffs.Add(state.NextAttemptAt!.Value - state.LastFailureAt!.Value);
            dueAfterFailure.Add((await h.Sync.DueOrganizersAsync(Ct)).Contains(org.OrganizerId));
            Assert.Equal(i == 3, await OpenSyncAlertAsync(h, org.OrganizerId));
            h.Clock.Advance(backoffs[^1] + TimeSpan.FromSeconds(1));
            Assert.Contains(org.OrganizerId, await h.Sync.DueOrganizersAsync(Ct));
        }

        h.Faults.Remove(storm.Id);
        var status = await h.Sync.GetStatusAsync(org.Owner, 10, Ct);
        var success = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4)], backoffs);
        Assert.Equal([false, false, false], dueAfterFailure);
        Assert.True(status!.FailureAlertRaised);
        Assert.Equal(3, status.RecentRuns.Count);
        Assert.Equal(MercadoPagoErrorMessages.Spanish(new MercadoPagoError(MercadoPagoErrorKind.ServerError, 500, null, null, [], null, null)), status.LastErrorMessage);
        Assert.Equal(SyncRunStatus.Succeeded, success.Status);
        var after = await h.StateAsync(org.OrganizerId, Ct);
        Assert.Equal((0, (DateTimeOffset?)null, (string?)null), (after.ConsecutiveFailures, after.NextAttemptAt, after.LastErrorMessage));
        Assert.False(await OpenSyncAlertAsync(h, org.OrganizerId));
    }

    [Fact]
    public async Task RunAsync_OrganizerNotLinked_FailsWithASpanishMessage()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewOrganizerAsync(Ct);

        var summary = await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        Assert.Equal((SyncRunStatus.Failed, PaymentSyncEngine.LinkUnavailableCode), (summary.Status, summary.ErrorCode));
        Assert.Contains("Mercado Pago", summary.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(org.OrganizerId, await h.Sync.DueOrganizersAsync(Ct));
    }

    [Fact]
    public async Task RequestManualSyncAsync_TwiceInARow_SecondRefusedWithTheTimeLeftUntilTheIntervalPasses()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);

        var first = await h.Sync.RequestManualSyncAsync(org.Owner, Ct);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await h.Sync.RequestManualSyncAsync(org.Owner, Ct);
        h.Clock.Advance(TimeSpan.FromMinutes(4));
        var third = await h.Sync.RequestManualSyncAsync(org.Owner, Ct);

        Assert.True(first.Accepted);
        Assert.False(second.Accepted);
        Assert.Equal("Podrás sincronizar de nuevo en 4 min.", second.Message);
        Assert.InRange(second.RetryAfter!.Value, TimeSpan.FromMinutes(3.9), TimeSpan.FromMinutes(4));
        Assert.True(third.Accepted);
    }

    [Fact]
    public async Task RequestManualSyncAsync_TwoClicksAtOnce_OneAccepted()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var other = await h.AddMemberAsync(org.OrganizerId, OrganizerRole.Owner, Ct);

        var decisions = await Task.WhenAll(
            Task.Run(() => h.Sync.RequestManualSyncAsync(org.Owner, Ct), Ct),
            Task.Run(() => h.Sync.RequestManualSyncAsync(other, Ct), Ct));

        Assert.Single(decisions, d => d.Accepted);
        Assert.Single(decisions, d => !d.Accepted && d.RetryAfter is not null);
    }

    [Fact]
    public async Task RequestManualSyncAsync_Viewer_RefusedButCanSeeTheStatus()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewLinkedOrganizerAsync(Ct);
        var viewer = await h.AddMemberAsync(org.OrganizerId, OrganizerRole.Viewer, Ct);
        await h.Sync.RunAsync(org.OrganizerId, SyncRunKind.Incremental, null, Ct);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => h.Sync.RequestManualSyncAsync(viewer, Ct));
        var status = await h.Sync.GetStatusAsync(viewer, 5, Ct);

        Assert.NotNull(status);
        Assert.Equal(SyncRunStatus.Succeeded, Assert.Single(status.RecentRuns).Status);
        Assert.Null((await h.StateAsync(org.OrganizerId, Ct)).LastManualSyncAt);
    }

    [Fact]
    public async Task RequestManualSyncAsync_NotLinked_NotAcceptedWithAMessage()
    {
        await using var h = await SyncHarness.StartAsync(null, Ct);
        var org = await h.NewOrganizerAsync(Ct);

        var decision = await h.Sync.RequestManualSyncAsync(org.Owner, Ct);

        Assert.False(decision.Accepted);
        Assert.Null(decision.RetryAfter);
        Assert.Contains("Conecta", decision.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Twelve payments over the last ten months of the organizer's seller: approved sales with purchases, one pending,
    /// one partially and one fully refunded, one charged back. Returns the approved sales in creation order.
    /// </summary>
    private static async Task<List<MpPayment>> SeedHistoryAsync(SyncHarness h, LinkedOrganizer org)
    {
        var sales = new List<MpPayment>();
        foreach (var days in new[] { 300, 250, 200, 150, 100, 60, 30, 20, 10, 2 })
            sales.Add(await h.SaleAsync(org, 50m + days, days * Day, Ct));
        await h.SaleAsync(org, 35m, 4 * Day, Ct, pending: true);
        await h.SaleAsync(org, 64m, 7 * Day, Ct, withPurchase: false);
        await h.Payments.RefundAsync(sales[5].Id, null, 20m, null, Ct);
        await h.Payments.RefundAsync(sales[6].Id, null, null, null, Ct);
        await h.Payments.ChargebackAsync(sales[7].Id, "in_process", Ct);
        return sales;
    }

    private static async Task<bool> OpenSyncAlertAsync(SyncHarness h, int organizerId)
    {
        await using var db = h.Database.CreateContext();
        return await db.AdminAlerts.AnyAsync(a => a.Key == PaymentSyncEngine.AlertKey(organizerId) && a.ResolvedAt == null, Ct);
    }
}
