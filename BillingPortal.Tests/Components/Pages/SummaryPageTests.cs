using BillingPortal.Components.Pages.Summary;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.Pages;

/// <summary>
/// The summary page over real Core services and a real SQLite file: it shows what the ledger computes, for the organizer
/// the signed-in user may open, and nothing for one they may not.
/// </summary>
public sealed class SummaryPageTests : MudTestContext
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly DatePeriod March = DatePeriod.Month(2026, 3);

    private Organizer _first = null!;
    private Organizer _second = null!;

    protected override bool UsesDatabase => true;

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private async Task SeedAsync()
    {
        _first = new OrganizerBuilder().Build();
        _second = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_first, _second);

        await AddPaymentsAsync(
            // First organizer, March: two sales, a partial refund, a chargeback, a financed sale, one still pending.
            new PaymentBuilder().ForOrganizer(_first.Id).WithTickets(2)
                .ApprovedAt(new DateTimeOffset(2026, 3, 1, 0, 30, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 15, 10, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(_first.Id).WithTickets(1).WithAmounts(99.99m, 4.72m, 5.00m)
                .ApprovedAt(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 30, 10, 0, 0, Lima), MoneyReleaseStatus.Pending)
                .WithRefund(33.33m, new DateTimeOffset(2026, 3, 5, 9, 0, 0, Lima)).Build(),
            new PaymentBuilder().ForOrganizer(_first.Id).WithTickets(4).WithAmounts(1_250.00m, 59.00m, 62.50m, 12.40m)
                .ApprovedAt(new DateTimeOffset(2026, 3, 10, 20, 0, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 24, 20, 0, 0, Lima), null).Build(),
            new PaymentBuilder().ForOrganizer(_first.Id).WithTickets(3).WithAmounts(300.00m, 14.16m, 15.00m)
                .ApprovedAt(new DateTimeOffset(2026, 3, 12, 20, 0, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 26, 20, 0, 0, Lima), MoneyReleaseStatus.Pending)
                .WithStatusChange(PaymentStatus.ChargedBack, "settled", new DateTimeOffset(2026, 3, 18, 9, 0, 0, Lima)).Build(),
            // Outside March (31 March 23:59:59 UTC is still March in Lima; 1 April 00:00 Lima is not).
            new PaymentBuilder().ForOrganizer(_first.Id).ApprovedAt(new DateTimeOffset(2026, 4, 1, 0, 0, 0, Lima)).Build(),
            // Second organizer: different figures in the same month.
            new PaymentBuilder().ForOrganizer(_second.Id).WithTickets(6).WithAmounts(480.00m, 22.66m, 24.00m)
                .ApprovedAt(new DateTimeOffset(2026, 3, 8, 18, 0, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 28, 18, 0, 0, Lima), MoneyReleaseStatus.Pending).Build());
    }

    /// <summary>Signs in a new user who is a member of each given organizer with <paramref name="role"/>.</summary>
    private async Task<PortalUser> SignInMemberAsync(OrganizerRole role, params Organizer[] organizers)
    {
        var user = await IdentitySeed.AddUserAsync(Database.Factory, cancellationToken: TestContext.Current.CancellationToken);
        foreach (var organizer in organizers)
        {
            await IdentitySeed.AddMemberAsync(Database.Factory, organizer.Id, user, role, TestContext.Current.CancellationToken);
        }

        SignIn(user);
        return user;
    }

    private IRenderedComponent<Summary> RenderAt(string relativeUri)
    {
        Render<MudPopoverProvider>();
        Navigation.NavigateTo(relativeUri);
        return Render<Summary>();
    }

    private static string Text(IRenderedComponent<Summary> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").TextContent.Replace('\u00A0', ' ').Trim();

    private static string Term(decimal amount) => $"{(amount > 0 ? "+" : "−")} {Money.Format(Math.Abs(amount))}";

    private async Task<(PeriodSummary Summary, BalanceSnapshot Balance)> ExpectedAsync(int organizerId, DatePeriod period)
    {
        var entries = await LedgerOfAsync(organizerId);
        var summary = LedgerSummaries.Summarize(entries, period);
        var fromDatabase = await new LedgerQueries(Database.Factory).GetPeriodSummaryAsync(organizerId, period, null, TestContext.Current.CancellationToken);
        Assert.Equal(summary, fromDatabase);
        return (summary, LedgerSummaries.Balance(entries, Now));
    }

    private static void AssertShows(IRenderedComponent<Summary> cut, PeriodSummary expected, BalanceSnapshot balance)
    {
        Assert.Equal(expected.TicketsSold.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("es-PE")), Text(cut, "summary-tickets-sold"));
        Assert.Equal(Money.Format(expected.GrossSales), Text(cut, "summary-gross-sales"));
        Assert.Equal(Money.Format(expected.Refunds), Text(cut, "summary-refunds"));
        Assert.Equal(Money.Format(expected.Chargebacks), Text(cut, "summary-chargebacks"));
        Assert.Equal(Money.Format(expected.MercadoPagoFees), Text(cut, "summary-mp-fees"));
        Assert.Equal(Money.Format(expected.CommissionBase), Text(cut, "summary-commission-base"));
        Assert.Equal(Money.Format(expected.CommissionIgv), Text(cut, "summary-commission-igv"));
        Assert.Equal(Money.Format(expected.OtherFees), Text(cut, "summary-other-fees"));
        Assert.Equal(Money.Format(expected.Net), Text(cut, "summary-net"));

        Assert.Equal(Money.Format(expected.GrossSales), Text(cut, "breakdown-gross"));
        Assert.Equal(Term(expected.Refunds), Text(cut, "breakdown-refunds"));
        Assert.Equal(Term(expected.Chargebacks), Text(cut, "breakdown-chargebacks"));
        Assert.Equal(Term(expected.MercadoPagoFees), Text(cut, "breakdown-mp-fees"));
        Assert.Equal(Term(expected.CommissionBase), Text(cut, "breakdown-commission-base"));
        Assert.Equal(Term(expected.CommissionIgv), Text(cut, "breakdown-commission-igv"));
        Assert.Equal(Term(expected.OtherFees), Text(cut, "breakdown-other-fees"));
        Assert.Equal(Money.Format(expected.Net), Text(cut, "breakdown-net"));

        Assert.Equal(Money.Format(balance.Credited), Text(cut, "balance-credited"));
        Assert.Equal(Money.Format(balance.Pending), Text(cut, "balance-pending"));
        if (balance.Held == 0m) Assert.Empty(cut.FindAll("[data-testid=balance-held]"));
        else Assert.Equal(Money.Format(balance.Held), Text(cut, "balance-held"));
        Assert.Equal(Money.Format(expected.Refunds + expected.Chargebacks), Text(cut, "summary-refunds-chargebacks"));
        Assert.Equal(Money.Format(expected.CommissionBase + expected.CommissionIgv), Text(cut, "summary-commission"));
        Assert.Equal(balance.NextReleases.Count, cut.FindAll("[data-testid=balance-releases] tbody tr").Count);
        foreach (var release in balance.NextReleases)
        {
            var day = release.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(release.Date.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture), Text(cut, $"balance-release-{day}-date"));
            Assert.Equal(Money.Format(release.Amount), Text(cut, $"balance-release-{day}-amount"));
        }
    }

    [Fact]
    public async Task Summary_SeededPeriod_ShowsExactlyTheLedgerFigures()
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Owner, _first);
        var (expected, balance) = await ExpectedAsync(_first.Id, March);

        var cut = RenderAt($"resumen?org={_first.Id}&desde=2026-03-01&hasta=2026-03-31");
        cut.WaitForElement("[data-testid=summary-net]");

        AssertShows(cut, expected, balance);
        Assert.Equal(4, expected.Sales);
        Assert.NotEqual(0m, expected.Refunds);
        Assert.NotEqual(0m, expected.Chargebacks);
        Assert.NotEqual(0m, expected.OtherFees);
        Assert.NotEmpty(balance.NextReleases);
        Assert.Equal(expected.Net, expected.GrossSales + expected.Refunds + expected.Chargebacks + expected.MercadoPagoFees
                                   + expected.CommissionBase + expected.CommissionIgv + expected.OtherFees);
        Assert.Equal("Del 01/03/2026 al 31/03/2026", Text(cut, "summary-period"));
        Assert.Equal("Al 20/03/2026 10:00, hora de Lima. No depende del período elegido.", Text(cut, "balance-as-of"));
    }

    [Fact]
    public async Task Summary_PeriodWithoutSales_ShowsEmptyState()
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Viewer, _first);

        var cut = RenderAt($"resumen?org={_first.Id}&desde=2026-01-01&hasta=2026-01-31");
        cut.WaitForElement("[data-testid=summary-empty]");

        Assert.Contains("No hay ventas en este período", Text(cut, "summary-empty"));
        Assert.Empty(cut.FindAll("[data-testid=summary-net]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=balance-credited]"));
    }

    [Fact]
    public async Task Summary_OtherOfTheUsersOrganizersInUrl_ShowsOnlyThatOrganizersFigures()
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Viewer, _first, _second);
        var (first, _) = await ExpectedAsync(_first.Id, March);
        var (second, secondBalance) = await ExpectedAsync(_second.Id, March);

        var cut = RenderAt($"resumen?org={_second.Id}&desde=2026-03-01&hasta=2026-03-31");
        cut.WaitForAssertion(() => Assert.Equal(Money.Format(second.Net), Text(cut, "summary-net")));

        AssertShows(cut, second, secondBalance);
        Assert.Contains(_second.LegalName, Text(cut, "summary-organizer"));
        Assert.DoesNotContain(_first.LegalName, cut.Markup, StringComparison.Ordinal);
        foreach (var leaked in new[] { first.GrossSales, first.Net, first.Refunds, first.Chargebacks })
        {
            Assert.DoesNotContain(Money.Format(leaked), cut.Find("[data-testid=summary-figures]").TextContent);
        }

        Assert.Equal("Solo lectura", Text(cut, "summary-read-only"));
    }

    [Fact]
    public async Task Summary_NoQuery_DefaultsToTheUsersOrganizerAndThisMonthInTheUrl()
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Owner, _second);
        // «Este mes» is the month to date (today is 20 March in Lima).
        var (expected, balance) = await ExpectedAsync(_second.Id, new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 20)));

        var cut = RenderAt("");
        cut.WaitForElement("[data-testid=summary-net]");

        AssertShows(cut, expected, balance);
        Assert.EndsWith($"resumen?org={_second.Id}&desde=2026-03-01&hasta=2026-03-20&preset=este-mes", Navigation.Uri);
        Assert.Equal("true", cut.Find("[data-testid=preset-this-month]").GetAttribute("aria-pressed"));
        Assert.Empty(cut.FindAll("[data-testid=summary-read-only]"));
    }

    [Fact]
    public async Task Summary_PlatformAdminWithoutMembership_OpensTheFirstOrganizerReadOnly()
    {
        await SeedAsync();
        var admin = await IdentitySeed.AddUserAsync(Database.Factory, cancellationToken: TestContext.Current.CancellationToken);
        SignIn(admin, platformAdmin: true);
        var (expected, balance) = await ExpectedAsync(_first.Id, March);

        var cut = RenderAt("resumen");
        cut.WaitForElement("[data-testid=summary-net]");

        AssertShows(cut, expected, balance);
        Assert.Equal("Solo lectura", Text(cut, "summary-read-only"));
    }

    [Fact]
    public async Task Summary_UserWithoutMembership_GoesToTheNoOrganizerPage()
    {
        await SeedAsync();
        var loner = await IdentitySeed.AddUserAsync(Database.Factory, cancellationToken: TestContext.Current.CancellationToken);
        SignIn(loner);

        var cut = RenderAt("resumen");

        cut.WaitForAssertion(() => Assert.EndsWith("/sin-organizador", Navigation.Uri, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=summary-figures]"));
        Assert.DoesNotContain(_first.LegalName, cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("desde=2026-04-10&hasta=2026-04-01", "period-from-error", "La fecha «Desde» no puede ser posterior a «Hasta».")]
    [InlineData("desde=2025-01-01&hasta=2026-03-31", "period-to-error", "El período no puede superar 366 días.")]
    [InlineData("desde=ayer&hasta=2026-03-31", "period-from-error", "Indique la fecha «Desde».")]
    [InlineData("desde=2026-03-01&hasta=", "period-to-error", "Indique la fecha «Hasta».")]
    public async Task Summary_InvalidPeriodInUrl_ShowsValidationMessageAndNoFigures(string query, string errorId, string message)
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Viewer, _first);

        var cut = RenderAt($"resumen?org={_first.Id}&{query}");
        cut.WaitForElement("[data-testid=period-invalid]");

        Assert.Equal(message, cut.Find($"#{errorId}").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=summary-figures]"));
        Assert.Empty(cut.FindAll("[data-testid=balance-panel]"));
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("second")]
    public async Task Summary_OrganizerTheUserMayNotOpenInUrl_IsNotFoundAndShowsNothingOfIt(string org)
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Owner, _first);
        var (second, _) = await ExpectedAsync(_second.Id, March);
        var notFound = false;
        Navigation.OnNotFound += (_, _) => notFound = true;

        var cut = RenderAt($"resumen?org={(org == "second" ? _second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : org)}&desde=2026-03-01&hasta=2026-03-31");

        cut.WaitForAssertion(() => Assert.True(notFound));
        Assert.Empty(cut.FindAll("[data-testid=summary-figures]"));
        Assert.Empty(cut.FindAll("[data-testid=balance-panel]"));
        Assert.DoesNotContain(_second.LegalName, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(_second.TaxId, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(Money.Format(second.GrossSales), cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_UserMakesPeriodInvalid_HidesFiguresUntilItIsValidAgain()
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Owner, _first);
        var (expected, _) = await ExpectedAsync(_first.Id, March);
        var cut = RenderAt($"resumen?org={_first.Id}&desde=2026-03-01&hasta=2026-03-31");
        cut.WaitForElement("[data-testid=summary-net]");

        await cut.InvokeAsync(() => cut.Find("input[data-testid=period-from]").Change("15/04/2026"));

        cut.WaitForElement("[data-testid=period-invalid]");
        Assert.Empty(cut.FindAll("[data-testid=summary-figures]"));
        Assert.EndsWith("desde=2026-03-01&hasta=2026-03-31", Navigation.Uri);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=period-from]").Change("01/03/2026"));

        cut.WaitForAssertion(() => Assert.Equal(Money.Format(expected.Net), Text(cut, "summary-net")));
    }

    [Fact]
    public async Task Summary_Preset_ReloadsFiguresForThatPeriod()
    {
        await SeedAsync();
        await SignInMemberAsync(OrganizerRole.Viewer, _first);
        var (february, _) = await ExpectedAsync(_first.Id, DatePeriod.Month(2026, 2));
        var cut = RenderAt($"resumen?org={_first.Id}&desde=2026-03-01&hasta=2026-03-31");
        cut.WaitForElement("[data-testid=summary-net]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=preset-previous-month]").Click());

        cut.WaitForElement("[data-testid=summary-empty]");
        Assert.Equal(PeriodSummary.Empty(DatePeriod.Month(2026, 2)), february);
        Assert.EndsWith($"resumen?org={_first.Id}&desde=2026-02-01&hasta=2026-02-28&preset=mes-anterior", Navigation.Uri);
    }
}
