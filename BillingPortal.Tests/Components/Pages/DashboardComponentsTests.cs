using System.Globalization;
using BillingPortal.Components.Pages.Events;
using BillingPortal.Components.Pages.Summary;
using BillingPortal.Components.Pages.Summary.Components;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Purchases;
using BillingPortal.Core.Reporting;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.Pages;

/// <summary>
/// The dashboard's parts (cards with the comparison, the IGV shown apart, the balance, the chart tables), its empty
/// states, and the events list and event page over real Core services and a real SQLite file.
/// </summary>
public sealed class DashboardComponentsTests : MudTestContext
{
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);
    private static readonly CultureInfo Peru = CultureInfo.GetCultureInfo("es-PE");

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private static string Text<T>(IRenderedComponent<T> cut, string testId)
        where T : IComponent =>
        cut.Find($"[data-testid={testId}]").TextContent.Replace('\u00A0', ' ').Trim();

    /// <summary>Reads "S/ 1,234.56" or "-S/ 33.33" back as a number.</summary>
    private static decimal Soles(string text)
    {
        var t = text.Replace('\u00A0', ' ').Trim();
        var negative = t.StartsWith('-');
        var amount = decimal.Parse(t.TrimStart('-').Replace("S/", "", StringComparison.Ordinal).Trim(), NumberStyles.Number, CultureInfo.InvariantCulture);
        return negative ? -amount : amount;
    }

    private static string Percent(decimal value) => value.ToString("0.0", Peru) + " %";

    [Theory]
    [InlineData(150, 100, false, "▲", "50.0", "comparison-good")]
    [InlineData(80, 100, false, "▼", "20.0", "comparison-bad")]
    [InlineData(-60, -40, true, "▲", "50.0", "comparison-bad")]
    [InlineData(-30, -40, true, "▼", "25.0", "comparison-good")]
    public void ComparisonBadge_ChangeAgainstPrevious_ShowsArrowPercentAndTone(double current, double previous, bool lowerIsBetter, string arrow, string percent, string tone)
    {
        var cut = Render<ComparisonBadge>(p => p
            .Add(c => c.Current, (decimal)current)
            .Add(c => c.Previous, (decimal)previous)
            .Add(c => c.LowerIsBetter, lowerIsBetter)
            .Add(c => c.TestId, "badge"));

        var badge = cut.Find("[data-testid=badge]");
        Assert.Equal($"{arrow} {Percent(decimal.Parse(percent, CultureInfo.InvariantCulture))}", badge.TextContent.Replace('\u00A0', ' ').Trim());
        Assert.Contains(tone, badge.ClassList);
        Assert.StartsWith(arrow == "▲" ? "Sube" : "Baja", badge.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void ComparisonBadge_PreviousZero_ShowsDashWithoutArrow()
    {
        var cut = Render<ComparisonBadge>(p => p.Add(c => c.Current, 120m).Add(c => c.Previous, 0m).Add(c => c.TestId, "badge"));

        Assert.Equal("—", Text(cut, "badge"));
        Assert.Equal("Sin datos del período anterior para comparar", cut.Find("[data-testid=badge]").GetAttribute("aria-label"));
    }

    private static Dashboard SampleDashboard(decimal held = 0m)
    {
        var march = new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3));
        var february = new DatePeriod(new DateOnly(2026, 2, 26), new DateOnly(2026, 2, 28));
        var current = new PeriodSummary(march, Sales: 3, TicketsSold: 7, TicketsNet: 6, GrossSales: 1000.00m, RefundCount: 1, Refunds: -100.00m,
            ChargebackCount: 1, Chargebacks: -50.00m, MercadoPagoFees: -47.20m, CommissionBase: -50.00m, CommissionIgv: -9.00m, OtherFees: -3.50m, Net: 740.30m);
        var previous = current with { Period = february, TicketsSold = 5, GrossSales = 800.00m, Refunds = 0m, Chargebacks = 0m, Net = 0m };
        var balance = new BalanceSnapshot(Now, Credited: 500.00m, Pending: 240.30m, Held: held, [new UpcomingRelease(new DateOnly(2026, 3, 25), 240.30m, 2)]);
        SeriesPoint[] series =
        [
            new(new DateOnly(2026, 3, 1), 2, 5, 700.00m, 0m, 0m, 640.00m),
            new(new DateOnly(2026, 3, 2), 0, 0, 0m, -100.00m, 0m, -95.00m),
            new(new DateOnly(2026, 3, 3), 1, 2, 300.00m, 0m, -50.00m, 195.30m),
        ];
        BreakdownRow[] byMethod =
        [
            new("visa/credit_card", "visa", 2, 5, 700.00m, -100.00m, 0m, -33.04m, -41.30m, 500.00m),
            new("yape/bank_transfer", "yape", 1, 2, 300.00m, 0m, -50.00m, -14.16m, -17.70m, 240.30m),
        ];
        var byEvent = Enumerable.Range(1, 10)
            .Select(i => new BreakdownRow(i.ToString(CultureInfo.InvariantCulture), $"Evento {i}", 1, 1, 100.00m, i == 1 ? -100.00m : 0m, i == 2 ? -50.00m : 0m, -4.72m, -5.90m, 74.03m))
            .ToArray();
        return new Dashboard(1, null, current, previous, balance, SeriesGranularity.Day, series, byEvent, byMethod);
    }

    [Fact]
    public void DashboardView_Figures_ShowCardsWithComparisonIgvApartAndChartTablesThatAddUp()
    {
        Render<MudPopoverProvider>();
        var cut = Render<DashboardView>(p => p.Add(c => c.Dashboard, SampleDashboard()).Add(c => c.Calendar, AccountingCalendar.Lima));

        Assert.Equal("7", Text(cut, "summary-tickets-sold"));
        Assert.Equal("S/ 1,000.00", Text(cut, "summary-gross-sales"));
        Assert.Equal("-S/ 150.00", Text(cut, "summary-refunds-chargebacks"));
        Assert.Equal("-S/ 100.00", Text(cut, "summary-refunds"));
        Assert.Equal("-S/ 50.00", Text(cut, "summary-chargebacks"));
        Assert.Equal("-S/ 47.20", Text(cut, "summary-mp-fees"));
        Assert.Equal("-S/ 59.00", Text(cut, "summary-commission"));
        Assert.Equal("-S/ 50.00", Text(cut, "summary-commission-base"));
        Assert.Equal("-S/ 9.00", Text(cut, "summary-commission-igv"));
        Assert.Contains("IGV (18 %)", cut.Find("[data-testid=kpi-commission]").TextContent, StringComparison.Ordinal);
        Assert.Equal("S/ 740.30", Text(cut, "summary-net"));

        Assert.Equal($"▲ {Percent(40.0m)}", Text(cut, "kpi-tickets-change"));
        Assert.Equal($"▲ {Percent(25.0m)}", Text(cut, "kpi-gross-change"));
        Assert.Equal("—", Text(cut, "kpi-refunds-change"));
        Assert.Equal("—", Text(cut, "kpi-net-change"));
        Assert.Equal("Comparado con el período del 26/02/2026 al 28/02/2026.", Text(cut, "dashboard-comparison"));

        Assert.Equal("S/ 500.00", Text(cut, "balance-credited"));
        Assert.Equal("S/ 240.30", Text(cut, "balance-pending"));
        Assert.Empty(cut.FindAll("[data-testid=balance-held]"));
        Assert.Equal("S/ 240.30", Text(cut, "balance-release-2026-03-25-amount"));

        decimal Sum(string testId) => cut.FindAll($"[data-testid={testId}]").Sum(e => Soles(e.TextContent));
        Assert.Equal(3, cut.FindAll("[data-testid=chart-sales-row]").Count);
        Assert.Equal(1000.00m, Sum("chart-sales-gross"));
        Assert.Equal(740.30m, Sum("chart-sales-net"));
        Assert.Equal(1000.00m, Sum("chart-methods-gross"));
        Assert.Equal(["Visa (crédito)", "Yape"], cut.FindAll("[data-testid=chart-methods-label]").Select(e => e.TextContent.Trim()));
        // Top 8 events and «Otros» with the other two.
        Assert.Equal(9, cut.FindAll("[data-testid=chart-events-row]").Count);
        Assert.Equal("Otros", cut.FindAll("[data-testid=chart-events-label]")[^1].TextContent.Trim());
        Assert.Equal("S/ 200.00", cut.FindAll("[data-testid=chart-events-gross]")[^1].TextContent.Replace('\u00A0', ' ').Trim());
        Assert.Equal(1000.00m, Sum("chart-events-gross"));
        Assert.Equal(-100.00m, Sum("chart-refunds-refunds"));
        Assert.Equal(-50.00m, Sum("chart-refunds-chargebacks"));
        Assert.Contains("visually-hidden", cut.Find("#chart-sales-table").ClassList);
        // The drawn charts are hidden from screen readers (their tables speak for them), so nothing in them may take focus.
        Assert.Equal(4, cut.FindAll(".chart-area[aria-hidden=true]").Count);
        Assert.Empty(cut.FindAll(".chart-area button, .chart-area a[href], .chart-area input, .chart-area [tabindex]:not([tabindex='-1'])"));
    }

    [Fact]
    public async Task DashboardView_ViewAsTable_ShowsTheTableAndHidesTheChart()
    {
        Render<MudPopoverProvider>();
        var cut = Render<DashboardView>(p => p.Add(c => c.Dashboard, SampleDashboard(held: -80.00m)).Add(c => c.Calendar, AccountingCalendar.Lima));

        Assert.Equal("Ver como tabla", Text(cut, "chart-sales-toggle"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=chart-sales-toggle]").Click());

        Assert.DoesNotContain("visually-hidden", cut.Find("#chart-sales-table").ClassList);
        Assert.Equal("true", cut.Find("[data-testid=chart-sales-toggle]").GetAttribute("aria-expanded"));
        Assert.Equal("Ver gráfico", Text(cut, "chart-sales-toggle"));
        Assert.Equal("-S/ 80.00", Text(cut, "balance-held"));
    }

    private async Task<(Organizer Organizer, PortalUser User)> SignedInOwnerAsync()
    {
        var organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(organizer);
        var (user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, organizer.Id, OrganizerRole.Owner, $"owner{organizer.Id}@example.pe", Ct);
        SignIn(user);
        return (organizer, user);
    }

    private IRenderedComponent<T> RenderAt<T>(string relativeUri)
        where T : IComponent
    {
        Render<MudPopoverProvider>();
        Navigation.NavigateTo(relativeUri);
        return Render<T>();
    }

    private IRenderedComponent<EventDetails> RenderEvent(int eventId, string relativeUri)
    {
        Render<MudPopoverProvider>();
        Navigation.NavigateTo(relativeUri);
        return Render<EventDetails>(p => p.Add(c => c.EventId, eventId));
    }

    [Fact]
    public async Task Summary_NoMercadoPagoLinkAndNoPayments_AsksToLinkIt()
    {
        var (organizer, _) = await SignedInOwnerAsync();

        var cut = RenderAt<Summary>($"resumen?org={organizer.Id}&desde=2026-03-01&hasta=2026-03-20");
        cut.WaitForElement("[data-testid=summary-empty-unlinked]");

        Assert.Contains("Conecte su cuenta de Mercado Pago", Text(cut, "summary-empty-unlinked"), StringComparison.Ordinal);
        Assert.Equal($"mercadopago?org={organizer.Id}", cut.Find("[data-testid=summary-link-mercadopago]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=summary-empty-waiting]"));
        Assert.Empty(cut.FindAll("[data-testid=summary-figures]"));
    }

    [Fact]
    public async Task Summary_LinkedButNoPaymentsYet_SaysItWaitsForTheFirstSync()
    {
        var (organizer, _) = await SignedInOwnerAsync();
        await using (var db = Database.CreateContext())
        {
            db.MercadoPagoLinks.Add(new MercadoPagoLink { OrganizerId = organizer.Id, Status = MercadoPagoLinkStatus.Active, MercadoPagoUserId = 123456, LinkedAt = Now.AddHours(-1) });
            await db.SaveChangesAsync(Ct);
        }

        var cut = RenderAt<Summary>($"resumen?org={organizer.Id}&desde=2026-03-01&hasta=2026-03-20");
        cut.WaitForElement("[data-testid=summary-empty-waiting]");

        Assert.Contains("esperando la primera sincronización", Text(cut, "summary-empty-waiting"), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(cut.FindAll("[data-testid=summary-empty-unlinked]"));
    }

    [Fact]
    public async Task Summary_PaymentsButNotInThePeriod_SuggestsAnotherPeriod()
    {
        var (organizer, _) = await SignedInOwnerAsync();
        await AddPaymentsAsync(new PaymentBuilder().ForOrganizer(organizer.Id).ApprovedAt(new DateTimeOffset(2026, 1, 10, 12, 0, 0, Lima)).Build());

        var cut = RenderAt<Summary>($"resumen?org={organizer.Id}&desde=2026-03-01&hasta=2026-03-20");
        cut.WaitForElement("[data-testid=summary-empty]");

        Assert.Contains("No hay ventas en este período", Text(cut, "summary-empty"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=summary-empty-unlinked]"));
    }

    private async Task<List<Event>> AddEventsAsync(Organizer organizer)
    {
        Event Make(string name, DateTimeOffset starts, EventStatus status = EventStatus.Scheduled, bool frozen = false) => new()
        {
            OrganizerId = organizer.Id,
            ExternalId = $"{organizer.ExternalId}_{name}",
            Name = name,
            Venue = "Arena Lima",
            City = "Lima",
            StartsAt = starts,
            Capacity = 500,
            Status = status,
            PayoutsFrozen = frozen,
        };
        List<Event> events =
        [
            Make("Festival de Verano", new DateTimeOffset(2026, 4, 18, 20, 0, 0, Lima)),
            Make("Noche de Jazz", new DateTimeOffset(2026, 2, 14, 21, 0, 0, Lima), frozen: true),
            Make("Rock en el Parque", new DateTimeOffset(2026, 5, 2, 19, 0, 0, Lima), EventStatus.Cancelled),
        ];
        await using var db = Database.CreateContext();
        db.Events.AddRange(events);
        await db.SaveChangesAsync(Ct);
        return events;
    }

    [Fact]
    public async Task Events_List_ShowsStatesFrozenChipFiguresAndLinks()
    {
        var (organizer, _) = await SignedInOwnerAsync();
        var other = new OrganizerBuilder().Build();
        await AddOrganizersAsync(other);
        var events = await AddEventsAsync(organizer);
        var foreign = (await AddEventsAsync(other))[0];
        await AddPaymentsAsync(
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[0].Id).WithTickets(3).WithAmounts(300.00m, 14.16m, 15.00m)
                .ApprovedAt(new DateTimeOffset(2026, 3, 5, 10, 0, 0, Lima)).WithRelease(new DateTimeOffset(2026, 3, 19, 10, 0, 0, Lima), null).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[1].Id).WithTickets(2).WithAmounts(200.00m, 9.44m, 10.00m)
                .ApprovedAt(new DateTimeOffset(2026, 2, 1, 10, 0, 0, Lima)).WithRefund(50.00m, new DateTimeOffset(2026, 2, 3, 10, 0, 0, Lima)).Build());
        var expected = await Services.GetRequiredService<DashboardQueries>().GetEventsAsync(organizer.Id, null, Ct);

        var cut = RenderAt<Events>($"eventos?org={organizer.Id}");
        cut.WaitForElement("[data-testid=events-table]");

        Assert.Equal(3, cut.FindAll("[data-testid^=event-link-]").Count);
        Assert.Empty(cut.FindAll($"[data-testid=event-link-{foreign.Id}]"));
        Assert.Equal("Próximo", Text(cut, $"event-state-{events[0].Id}"));
        Assert.Equal("Finalizado", cut.Find($"[data-testid=event-state-{events[1].Id}] [data-testid=event-state]").TextContent.Trim());
        Assert.Equal("Pagos congelados", cut.Find($"[data-testid=event-state-{events[1].Id}] [data-testid=event-frozen]").TextContent.Trim());
        Assert.Equal("Cancelado", Text(cut, $"event-state-{events[2].Id}"));
        Assert.Single(cut.FindAll("[data-testid=event-frozen]"));
        Assert.Equal($"eventos/{events[0].Id}?org={organizer.Id}", cut.Find($"[data-testid=event-link-{events[0].Id}]").GetAttribute("href"));
        foreach (var row in expected)
        {
            Assert.Equal(Money.Format(row.GrossSales), Text(cut, $"event-gross-{row.EventId}"));
            Assert.Equal(Money.Format(row.Net), Text(cut, $"event-net-{row.EventId}"));
            Assert.Equal(Money.Format(row.Commission), Text(cut, $"event-commission-{row.EventId}"));
            Assert.Equal(Money.Format(row.Credited), Text(cut, $"event-credited-{row.EventId}"));
            Assert.Equal(Money.Format(row.Pending), Text(cut, $"event-pending-{row.EventId}"));
        }

        Assert.Equal("S/ 300.00", Text(cut, $"event-gross-{events[0].Id}"));
        Assert.Equal("-S/ 50.00", Text(cut, $"event-refunds-{events[1].Id}"));
        Assert.Equal(events[0].Id + events[1].Id + events[2].Id, expected.Sum(e => e.EventId));

        await cut.InvokeAsync(() => cut.Find("input[data-testid=events-search]").Input("jazz"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid^=event-link-]")));
        Assert.Equal("Noche de Jazz", cut.Find("[data-testid^=event-link-]").TextContent.Trim());
    }

    [Fact]
    public async Task Events_NoEvents_SaysWhereTheyComeFrom()
    {
        var (organizer, _) = await SignedInOwnerAsync();

        var cut = RenderAt<Events>($"eventos?org={organizer.Id}");
        cut.WaitForElement("[data-testid=events-empty]");

        Assert.Contains("Aún no hay eventos", Text(cut, "events-empty"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventPage_AnotherOrganizersEvent_IsNotFoundAndShowsNothingOfIt()
    {
        var (organizer, _) = await SignedInOwnerAsync();
        var other = new OrganizerBuilder().Build();
        await AddOrganizersAsync(other);
        var foreign = (await AddEventsAsync(other))[0];
        var notFound = false;
        Navigation.OnNotFound += (_, _) => notFound = true;

        var cut = RenderEvent(foreign.Id, $"eventos/{foreign.Id}?org={organizer.Id}");

        cut.WaitForAssertion(() => Assert.True(notFound));
        Assert.DoesNotContain(foreign.Name, cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=summary-figures]"));
    }

    [Fact]
    public async Task EventPage_OwnEvent_ShowsItsDashboardPurchasesAndRefunds()
    {
        var (organizer, _) = await SignedInOwnerAsync();
        var events = await AddEventsAsync(organizer);
        var ev = events[1];
        await using (var db = Database.CreateContext())
        {
            db.Purchases.AddRange(Enumerable.Range(1, 30).Select(i => new Purchase
            {
                ExternalId = $"ord_{organizer.Id}_{i:00}",
                OrganizerId = organizer.Id,
                EventId = ev.Id,
                BuyerEmail = $"comprador{i}@example.pe",
                Tickets = 1 + (i % 3),
                Amount = 50m * (1 + (i % 3)),
                Status = PurchaseStatus.Paid,
                CreatedAt = new DateTimeOffset(2026, 2, 1, 8, 0, 0, Lima).AddHours(i),
                UpdatedAt = new DateTimeOffset(2026, 2, 1, 8, 0, 0, Lima).AddHours(i),
            }));
            await db.SaveChangesAsync(Ct);
        }

        await AddPaymentsAsync(
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(ev.Id).WithTickets(2).WithAmounts(200.00m, 9.44m, 10.00m)
                .ApprovedAt(new DateTimeOffset(2026, 2, 1, 10, 0, 0, Lima)).WithRefund(50.00m, new DateTimeOffset(2026, 2, 3, 10, 0, 0, Lima)).Build(),
            new PaymentBuilder().ForOrganizer(organizer.Id).WithEvent(events[0].Id).WithAmounts(999.00m, 47.15m, 49.95m)
                .ApprovedAt(new DateTimeOffset(2026, 2, 2, 10, 0, 0, Lima)).Build());
        var expected = LedgerSummaries.Summarize((await LedgerOfAsync(organizer.Id)).Where(e => e.EventId == ev.Id), new DatePeriod(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)));

        var cut = RenderEvent(ev.Id, $"eventos/{ev.Id}?org={organizer.Id}&desde=2026-02-01&hasta=2026-02-28");
        cut.WaitForElement("[data-testid=summary-net]");

        Assert.Equal("Noche de Jazz", Text(cut, "event-name"));
        Assert.Equal(Money.Format(expected.GrossSales), Text(cut, "summary-gross-sales"));
        Assert.Equal(Money.Format(expected.Net), Text(cut, "summary-net"));
        Assert.Equal(Money.Format(expected.CommissionIgv), Text(cut, "summary-commission-igv"));
        Assert.Equal("S/ 200.00", Text(cut, "summary-gross-sales"));
        Assert.Empty(cut.FindAll("[data-testid=chart-events]"));
        Assert.Contains("Pagos congelados", Text(cut, "event-state-chips"), StringComparison.Ordinal);

        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("[data-testid=event-purchase-row]").Count));
        Assert.Equal($"ord_{organizer.Id}_30", cut.FindAll("[data-testid=event-purchase-reference]")[0].TextContent.Trim());
        await cut.InvokeAsync(() => cut.Find("[data-testid=event-purchases-more]").Click());
        cut.WaitForAssertion(() => Assert.Equal(30, cut.FindAll("[data-testid=event-purchase-row]").Count));
        Assert.Equal($"ord_{organizer.Id}_01", cut.FindAll("[data-testid=event-purchase-reference]")[^1].TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=event-purchases-more]"));

        Assert.Single(cut.FindAll("[data-testid=event-refund-row]"));
        Assert.Equal("S/ 50.00", Text(cut, "event-refund-amount"));
        Assert.DoesNotContain("@example.pe", cut.Markup, StringComparison.Ordinal);
    }
}
