using BillingPortal.Components.Pages.Summary;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.MercadoPago.Ops;

/// <summary>
/// Live updates of the summary (issue #5 §5): a payment written to the database (payment + ledger rows, through the
/// ledger writer) and published on <see cref="IPaymentChangeNotifier"/> changes the open page's figures after the
/// debounce, without a reload; a change of another organizer does not touch it.
/// </summary>
public sealed class SummaryLiveUpdateTests : MudTestContext
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly DatePeriod March = DatePeriod.Month(2026, 3);

    private Organizer _organizer = null!;
    private Organizer _other = null!;

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IPaymentChangeNotifier Notifier => Services.GetRequiredService<IPaymentChangeNotifier>();

    private async Task<IRenderedComponent<Summary>> RenderSeededAsync()
    {
        _organizer = new OrganizerBuilder().Build();
        _other = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer, _other);
        await AddPaymentsAsync(new PaymentBuilder().ForOrganizer(_organizer.Id).WithTickets(2).WithAmounts(150.00m, 7.08m, 7.50m)
            .ApprovedAt(new DateTimeOffset(2026, 3, 3, 12, 0, 0, Lima)).Build());
        var (user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, OrganizerRole.Owner, "carmen@example.pe", Ct);
        SignIn(user);

        Render<MudPopoverProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"resumen?org={_organizer.Id}&desde=2026-03-01&hasta=2026-03-31");
        var cut = Render<Summary>();
        cut.WaitForElement("[data-testid=summary-gross-sales]");
        return cut;
    }

    private static string Text(IRenderedComponent<Summary> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").TextContent.Replace('\u00A0', ' ').Trim();

    private async Task<PeriodSummary> ExpectedAsync() =>
        await new LedgerQueries(Database.Factory).GetPeriodSummaryAsync(_organizer.Id, March, null, Ct);

    /// <summary>Moves fake time on in small steps (the debounce runs on it) until <paramref name="condition"/> holds or a bound is reached.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, int steps = 200)
    {
        for (var i = 0; i < steps && !condition(); i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(25, Ct);
        }
    }

    [Fact]
    public async Task Summary_APaymentLandsAndIsPublished_TheFiguresChangeWithoutReload()
    {
        var cut = await RenderSeededAsync();
        Assert.Equal(Money.Format(150.00m), Text(cut, "summary-gross-sales"));
        Assert.Equal("2", Text(cut, "summary-tickets-sold"));
        Assert.Empty(cut.FindAll("[data-testid=summary-live-updated]"));
        var navigations = Services.GetRequiredService<NavigationManager>().Uri;

        var payment = new PaymentBuilder().ForOrganizer(_organizer.Id).WithTickets(3).WithAmounts(420.00m, 19.82m, 21.00m)
            .ApprovedAt(new DateTimeOffset(2026, 3, 19, 21, 30, 0, Lima)).Build();
        await AddPaymentsAsync(payment);
        await AdvanceUntilAsync(() => false, steps: 8);
        Assert.Equal(Money.Format(150.00m), Text(cut, "summary-gross-sales"));

        Notifier.Publish([new PaymentChange(_organizer.Id, payment.Id, PaymentUpsertResult.Created, Now)]);
        await AdvanceUntilAsync(() => Text(cut, "summary-gross-sales") != Money.Format(150.00m));

        var expected = await ExpectedAsync();
        Assert.Equal(570.00m, expected.GrossSales);
        Assert.Equal(Money.Format(expected.GrossSales), Text(cut, "summary-gross-sales"));
        Assert.Equal("5", Text(cut, "summary-tickets-sold"));
        Assert.Equal(Money.Format(expected.Net), Text(cut, "summary-net"));
        Assert.StartsWith("Actualizado en vivo", Text(cut, "summary-live-updated"), StringComparison.Ordinal);
        Assert.Equal(navigations, Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task Summary_AnotherOrganizersPaymentIsPublished_NothingChanges()
    {
        var cut = await RenderSeededAsync();
        await AddPaymentsAsync(new PaymentBuilder().ForOrganizer(_other.Id).WithAmounts(999.00m, 40.00m, 50.00m)
            .ApprovedAt(new DateTimeOffset(2026, 3, 19, 21, 30, 0, Lima)).Build());

        Notifier.Publish([new PaymentChange(_other.Id, 1, PaymentUpsertResult.Created, Now)]);
        await AdvanceUntilAsync(() => false, steps: 12);

        Assert.Empty(cut.FindAll("[data-testid=summary-live-updated]"));
        Assert.Equal(Money.Format(150.00m), Text(cut, "summary-gross-sales"));
    }

    [Fact]
    public async Task Summary_ManyChangesInABurst_ShowTheFiguresWithAllOfThem()
    {
        var cut = await RenderSeededAsync();
        var payments = Enumerable.Range(0, 5)
            .Select(i => new PaymentBuilder().ForOrganizer(_organizer.Id).WithTickets(1).WithAmounts(100.00m, 4.72m, 5.00m)
                .ApprovedAt(new DateTimeOffset(2026, 3, 10 + i, 12, 0, 0, Lima)).Build())
            .ToArray();
        await AddPaymentsAsync(payments);

        foreach (var payment in payments) Notifier.Publish([new PaymentChange(_organizer.Id, payment.Id, PaymentUpsertResult.Created, Now)]);
        await AdvanceUntilAsync(() => Text(cut, "summary-gross-sales") == Money.Format(650.00m));

        Assert.Equal(Money.Format(650.00m), Text(cut, "summary-gross-sales"));
        Assert.Equal("7", Text(cut, "summary-tickets-sold"));
    }
}
