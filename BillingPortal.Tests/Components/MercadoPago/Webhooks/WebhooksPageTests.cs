using BillingPortal.Core.Auditing;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.MercadoPago.Webhooks;

/// <summary>The admins' webhook page: counts by status, the dead letters, «Reintentar» and «Reintentar todas».</summary>
public sealed class WebhooksPageTests : MudTestContext
{
    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Webhooks_DeadLetters_ListedWithCountsAndRetriedOneThenAll()
    {
        var organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(organizer);
        var admin = await IdentitySeed.AddUserAsync(Database.Factory, "admin@billingportal.pe", Ct);
        SignIn(admin, platformAdmin: true);
        var first = await AddEntryAsync("1001", WebhookInboxStatus.DeadLettered, organizer.Id);
        var second = await AddEntryAsync("1002", WebhookInboxStatus.DeadLettered, null);
        await AddEntryAsync("1003", WebhookInboxStatus.Processed, organizer.Id);
        await AddEntryAsync("1004", WebhookInboxStatus.Pending, null);
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();

        var cut = Render<BillingPortal.Components.Pages.Admin.Webhooks>();

        cut.WaitForElement("[data-testid=webhooks-table]");
        Assert.Equal("2 notificaciones fallidas", cut.Find("[data-testid=webhooks-dead-count]").TextContent.Trim());
        Assert.Equal("Fallidas: 2", cut.Find("[data-testid=webhooks-count-DeadLettered]").TextContent.Trim());
        Assert.Equal("Procesadas: 1", cut.Find("[data-testid=webhooks-count-Processed]").TextContent.Trim());
        Assert.Equal("Pendientes: 1", cut.Find("[data-testid=webhooks-count-Pending]").TextContent.Trim());
        var rows = cut.FindAll("tbody tr");
        Assert.Contains("1002", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("1001", cut.Find($"[data-testid=webhook-{first}-resource]").TextContent.Trim());
        Assert.Contains("300100200", cut.Find($"[data-testid=webhook-{first}-seller]").TextContent, StringComparison.Ordinal);
        Assert.Contains(organizer.LegalName, cut.Find($"[data-testid=webhook-{first}-seller]").TextContent, StringComparison.Ordinal);
        Assert.Equal("8", cut.Find($"[data-testid=webhook-{first}-attempts]").TextContent.Trim());
        Assert.Equal("ServerError: Mercado Pago tiene un problema.", cut.Find($"[data-testid=webhook-{first}-error]").TextContent.Trim());
        Assert.Equal("20/03/2026 09:00", cut.Find($"[data-testid=webhook-{first}-received]").TextContent.Trim());

        await cut.InvokeAsync(() => cut.Find($"button[data-testid=webhook-{first}-retry]").Click());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-testid=webhook-{first}-retry]")));
        Assert.Equal("Pendientes: 2", cut.Find("[data-testid=webhooks-count-Pending]").TextContent.Trim());
        await using (var db = Database.CreateContext())
        {
            var retried = await db.WebhookInbox.AsNoTracking().SingleAsync(e => e.Id == first, Ct);
            Assert.Equal(WebhookInboxStatus.Pending, retried.Status);
            Assert.Equal(0, retried.Attempts);
            Assert.Equal(Now, retried.NextAttemptAt);
            Assert.Equal("admin@billingportal.pe", (await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == AuditAction.WebhookReplayed, Ct)).Actor);
        }

        await cut.InvokeAsync(() => cut.Find("button[data-testid=webhooks-retry-all]").Click());

        cut.WaitForElement("[data-testid=webhooks-empty]");
        Assert.Equal("0 notificaciones fallidas", cut.Find("[data-testid=webhooks-dead-count]").TextContent.Trim());
        Assert.True(cut.Find("button[data-testid=webhooks-retry-all]").HasAttribute("disabled"));
        await using var after = Database.CreateContext();
        Assert.Equal(WebhookInboxStatus.Pending, (await after.WebhookInbox.AsNoTracking().SingleAsync(e => e.Id == second, Ct)).Status);
        Assert.Equal(2, await after.AuditLog.CountAsync(a => a.Action == AuditAction.WebhookReplayed, Ct));
    }

    [Fact]
    public async Task Webhooks_NoDeadLetters_ShowsTheEmptyStateAndNoRetryAll()
    {
        var admin = await IdentitySeed.AddUserAsync(Database.Factory, "admin@billingportal.pe", Ct);
        SignIn(admin, platformAdmin: true);

        var cut = Render<BillingPortal.Components.Pages.Admin.Webhooks>();

        cut.WaitForElement("[data-testid=webhooks-empty]");
        Assert.True(cut.Find("button[data-testid=webhooks-retry-all]").HasAttribute("disabled"));
    }

    private async Task<long> AddEntryAsync(string resourceId, WebhookInboxStatus status, int? organizerId)
    {
        await using var db = Database.CreateContext();
        var entry = new WebhookInboxEntry
        {
            DedupKey = "id:" + resourceId,
            Topic = "payment",
            Action = "payment.updated",
            ResourceId = resourceId,
            SellerUserId = 300_100_200,
            OrganizerId = organizerId,
            RequestId = Guid.NewGuid().ToString(),
            ReceivedAt = Now.AddHours(-1),
            NextAttemptAt = Now.AddHours(-1),
            Status = status,
            Attempts = status == WebhookInboxStatus.DeadLettered ? 8 : 0,
            LastError = status == WebhookInboxStatus.DeadLettered ? "ServerError: Mercado Pago tiene un problema." : null,
        };
        db.WebhookInbox.Add(entry);
        await db.SaveChangesAsync(Ct);
        return entry.Id;
    }
}
