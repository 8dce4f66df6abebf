using System.Globalization;
using System.Net;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Statements;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BillingPortal.Tests.Integration.Statements;

/// <summary>
/// The portal notification of a queued statement (issue #7 §5): the real portal queues it over HTTP, the Quartz job
/// generates it, and <see cref="StatementExportNotifier"/> tells the organizer's subscribers, and only them.
/// </summary>
public sealed class StatementNotificationTests(StatementsPortalFactory portal) : IClassFixture<StatementsPortalFactory>
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(PortalBrowser Browser, int OrganizerId)> ViewerWithSalesAsync(int sales)
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"notificada{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Viewer);
        var payments = Enumerable.Range(0, sales)
            .Select(i => new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 10, 1 + i, 11, 0, 0, Lima)).Build())
            .ToList();
        await using (var db = portal.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            db.Payments.AddRange(payments);
            await portal.Services.GetRequiredService<PaymentLedgerWriter>().ReplaceAsync(db, payments, Ct);
            await db.SaveChangesAsync(Ct);
            await tx.CommitAsync(Ct);
        }

        return (await portal.SignInWithEmailAsync(email), organizer.Id);
    }

    [Fact]
    public async Task QueuedStatement_WhenTheJobCompletesIt_ItsOrganizersSubscribersAreToldOnce_OthersNot()
    {
        var (browser, organizerId) = await ViewerWithSalesAsync(12);
        var (_, otherId) = await ViewerWithSalesAsync(1);
        using var _ = browser;
        var notifier = portal.Services.GetRequiredService<StatementExportNotifier>();
        var received = new TaskCompletionSource<StatementExportFinished>(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        var foreign = 0;
        using var subscription = notifier.Subscribe(organizerId, finished =>
        {
            Interlocked.Increment(ref count);
            received.TrySetResult(finished);
            return Task.CompletedTask;
        });
        using var other = notifier.Subscribe(otherId, _ =>
        {
            Interlocked.Increment(ref foreign);
            return Task.CompletedTask;
        });

        var token = await browser.AntiforgeryTokenAsync("/sin-organizador");
        using var response = await browser.PostFormAsync("/estados-de-cuenta/generar", ("__RequestVerificationToken", token),
            ("organizerId", organizerId.ToString(CultureInfo.InvariantCulture)), ("desde", "2026-10-01"), ("hasta", "2026-10-31"), ("evento", ""),
            ("formato", "csv"), ("separador", "coma"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var id = Guid.Parse(location[(location.LastIndexOf('=') + 1)..]);

        var finished = await received.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal((organizerId, id, StatementExportStatus.Completed, StatementFormat.Csv), (finished.OrganizerId, finished.ExportId, finished.Status, finished.Format));
        var export = await portal.Services.GetRequiredService<StatementExports>().GetAsync(organizerId, id, Ct);
        Assert.Equal((StatementExportStatus.Completed, export!.FileName), (export.Status, finished.FileName));
        Assert.EndsWith("_2026-10-01_2026-10-31.csv", finished.FileName, StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref count));
        Assert.Equal(0, Volatile.Read(ref foreign));
    }

    [Fact]
    public async Task Notifier_ASubscriberThatThrows_DoesNotStopTheOthers_AndADisposedOneGetsNothing()
    {
        var notifier = new StatementExportNotifier(NullLogger<StatementExportNotifier>.Instance);
        var good = new TaskCompletionSource<StatementExportFinished>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gone = 0;
        using var failing = notifier.Subscribe(7, _ => throw new InvalidOperationException("boom"));
        using var working = notifier.Subscribe(7, f =>
        {
            good.TrySetResult(f);
            return Task.CompletedTask;
        });
        var disposed = notifier.Subscribe(7, _ =>
        {
            Interlocked.Increment(ref gone);
            return Task.CompletedTask;
        });
        disposed.Dispose();
        Assert.Equal(2, notifier.SubscriberCount);

        var sent = new StatementExportFinished(7, Guid.NewGuid(), "estado-de-cuenta_x_2026-10-01_2026-10-31.pdf", StatementFormat.Pdf, StatementExportStatus.Completed);
        notifier.Publish(sent);
        notifier.Publish(sent with { OrganizerId = 8 });

        Assert.Equal(sent, await good.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(0, Volatile.Read(ref gone));
    }
}
