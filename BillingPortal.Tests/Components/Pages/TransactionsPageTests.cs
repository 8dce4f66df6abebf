using System.Globalization;
using BillingPortal.Components.Pages.Transactions;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
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
/// The transactions page over real Core services and a real SQLite file: the grid pages with cursors, the drawer's
/// breakdown adds up to the net and equals the ledger, and viewers see buyers' data masked.
/// </summary>
public sealed class TransactionsPageTests : MudTestContext
{
    private static readonly string[] FeeIds = ["detail-mp-fee", "detail-commission-base", "detail-igv", "detail-other-fees"];

    private Organizer _organizer = null!;
    private List<Payment> _payments = null!;

    protected override bool UsesDatabase => true;

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private async Task SeedAsync(int count = 30)
    {
        var ct = TestContext.Current.CancellationToken;
        _organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer);
        var ev = new Event
        {
            OrganizerId = _organizer.Id,
            ExternalId = "evt_" + Guid.NewGuid().ToString("N"),
            Name = "Festival del Sol",
            Venue = "Playa Agua Dulce",
            StartsAt = new DateTimeOffset(2026, 4, 4, 20, 0, 0, TransactionSeed.Lima),
        };
        await using (var db = Database.CreateContext())
        {
            db.Events.Add(ev);
            await db.SaveChangesAsync(ct);
        }

        _payments = TransactionSeed.Payments(_organizer.Id, [ev.Id], count, seed: 3, firstId: 74_000_000_000);
        await AddPaymentsAsync([.. _payments]);
    }

    private async Task SignInAsync(OrganizerRole role)
    {
        var user = await IdentitySeed.AddUserAsync(Database.Factory, cancellationToken: TestContext.Current.CancellationToken);
        await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, user, role, TestContext.Current.CancellationToken);
        SignIn(user);
    }

    private IRenderedComponent<Transactions> RenderAt(string relativeUri)
    {
        Render<MudPopoverProvider>();
        Navigation.NavigateTo(relativeUri);
        return Render<Transactions>();
    }

    private static string Text(IRenderedComponent<Transactions> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").TextContent.Replace('\u00A0', ' ').Trim();

    /// <summary>Reads "S/ 1,234.56", "-S/ 1.00", "− S/ 7.08" or "+ S/ 1.00" back into a number.</summary>
    private static decimal Amount(string text)
    {
        var negative = text.StartsWith('-') || text.StartsWith('−');
        var digits = text.Replace("S/", "", StringComparison.Ordinal).Trim('-', '−', '+', ' ').Replace(",", "", StringComparison.Ordinal);
        var value = decimal.Parse(digits, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    private static List<long> ShownIds(IRenderedComponent<Transactions> cut) =>
        [.. cut.FindAll("[data-testid=row-open]").Select(a => long.Parse(a.TextContent.Trim(), CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Transactions_Owner_PagesForwardAndBackWithCursors()
    {
        await SeedAsync();
        await SignInAsync(OrganizerRole.Owner);
        var expected = TransactionSeed.Sort(_payments, TransactionSort.DateDescending).Select(p => p.Id).ToList();

        var cut = RenderAt($"transacciones?org={_organizer.Id}");
        cut.WaitForAssertion(() => Assert.Equal(25, ShownIds(cut).Count));
        cut.WaitForAssertion(() => Assert.Contains("30", Text(cut, "transactions-total"), StringComparison.Ordinal));

        Assert.Equal(expected.Take(25), ShownIds(cut));
        Assert.Equal("Página 1 de 2", Text(cut, "page-number"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=page-next]").Click());
        cut.WaitForAssertion(() => Assert.Equal(expected.Skip(25), ShownIds(cut)));
        Assert.Equal("Página 2 de 2", Text(cut, "page-number"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=page-previous]").Click());
        cut.WaitForAssertion(() => Assert.Equal(expected.Take(25), ShownIds(cut)));
        await cut.InvokeAsync(() => cut.Find("[data-testid=page-last]").Click());
        cut.WaitForAssertion(() => Assert.Equal(expected.Skip(25), ShownIds(cut)));
        Assert.Contains(_payments.Single(p => p.Id == expected[^1]).PayerEmail!, cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transactions_FilterInUrl_ShowsOnlyMatchingRowsAndEmptyState()
    {
        await SeedAsync();
        await SignInAsync(OrganizerRole.Owner);
        var refunded = TransactionSeed.Sort(TransactionSeed.Apply(_payments, new TransactionFilter(HasRefund: true), Now), TransactionSort.DateDescending)
            .Select(p => p.Id).ToList();

        var cut = RenderAt($"transacciones?org={_organizer.Id}&reembolso=si");
        cut.WaitForAssertion(() => Assert.Equal(refunded, ShownIds(cut)));

        Assert.NotEmpty(refunded);
        await cut.InvokeAsync(() => Navigation.NavigateTo($"transacciones?org={_organizer.Id}&q=nadie%40example.com"));
        cut.WaitForElement("[data-testid=transactions-empty]");
        Assert.Contains("Ninguna transacción", Text(cut, "transactions-empty"), StringComparison.Ordinal);
        Assert.Contains("0", Text(cut, "transactions-total"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drawer_Owner_BreakdownAddsUpToTheNetAndEqualsTheLedger()
    {
        await SeedAsync();
        await SignInAsync(OrganizerRole.Owner);
        var payment = _payments.First(p => p.Refunds.Count > 0 && p.Status == PaymentStatus.Approved);
        var ledger = (await LedgerOfAsync(_organizer.Id)).Where(e => e.PaymentId == payment.Id).ToList();

        var cut = RenderAt($"transacciones?org={_organizer.Id}&q={payment.Id}");
        cut.WaitForAssertion(() => Assert.Equal([payment.Id], ShownIds(cut)));
        await cut.InvokeAsync(() => cut.Find("[data-testid=row-open]").Click());
        cut.WaitForElement("[data-testid=detail-net]");

        var gross = Amount(Text(cut, "detail-gross"));
        var parts = FeeIds.Select(id => Amount(Text(cut, id))).ToList();
        var net = Amount(Text(cut, "detail-net"));
        Assert.Equal(net, gross + parts.Sum());
        Assert.Equal(ledger.Sum(e => e.Net), net);
        Assert.Equal(ledger.Sum(e => e.Gross), gross);
        Assert.Equal(Money.Format(net), Text(cut, "row-net"));
        Assert.Equal(payment.PayerEmail, Text(cut, "detail-payer-email"));
        Assert.Equal(2, cut.FindAll("[data-testid=detail-line-net]").Count);
        Assert.Empty(cut.FindAll("[data-testid=detail-masked-note]"));
    }

    [Fact]
    public async Task Drawer_Viewer_SeesBuyerDataMasked()
    {
        await SeedAsync(8);
        await SignInAsync(OrganizerRole.Viewer);
        var payment = _payments[1];

        var cut = RenderAt($"transacciones?org={_organizer.Id}&q={payment.Id}");
        cut.WaitForAssertion(() => Assert.Equal([payment.Id], ShownIds(cut)));
        await cut.InvokeAsync(() => cut.Find("[data-testid=row-open]").Click());
        cut.WaitForElement("[data-testid=detail-masked-note]");

        Assert.Equal(PersonalDataMask.Email(payment.PayerEmail), Text(cut, "row-email"));
        Assert.Equal(PersonalDataMask.Email(payment.PayerEmail), Text(cut, "detail-payer-email"));
        Assert.EndsWith("*****" + payment.PayerIdentificationNumber![^3..], Text(cut, "detail-payer-document"), StringComparison.Ordinal);
        Assert.DoesNotContain(payment.PayerEmail!, cut.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(payment.PayerIdentificationNumber!, cut.Markup, StringComparison.Ordinal);
    }
}
