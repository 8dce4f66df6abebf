using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.Api;

/// <summary><c>GET /api/v1/summary</c> over real HTTP with keys created by the portal's own <see cref="ApiKeyService"/>.</summary>
public sealed partial class OrganizerApiTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    private const string March = "?from=2026-03-01&to=2026-03-31";
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    private static readonly string[] AmountFields =
        ["gross_sales", "refunds", "chargebacks", "mercadopago_fees", "commission_base", "commission_igv", "commission", "other_fees", "net"];

    [Fact]
    public async Task Summary_ValidKey_FiguresAndBalanceEqualLedgerQueries()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await factory.AddOrganizerAsync(events: 2);
        await factory.StorePaymentsAsync(MarchPayments(seeded));
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetSummaryAsync(March);

        using var json = await response.ReadJsonAsync();
        var root = json.Root;
        var ledger = factory.Services.GetRequiredService<LedgerQueries>();
        var period = new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
        var expected = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, period, null, ct);
        Assert.True(expected is { Sales: 4, RefundCount: 1 } && expected.Refunds < 0m, "the seeded month has sales and a refund");
        AssertSummary(expected, root.GetProperty("summary"));

        var balance = root.GetProperty("balance");
        var asOf = DateTimeOffset.Parse(balance.GetProperty("as_of").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(asOf, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);
        var expectedBalance = await ledger.GetBalanceAsync(seeded.Organizer.Id, asOf, null, ct);
        Assert.True(expectedBalance.Pending > 0m && expectedBalance.Credited > 0m && expectedBalance.NextReleases.Count > 0, "the seeded balance has both states");
        AssertBalance(expectedBalance, balance);

        Assert.Equal(("2026-03-01", "2026-03-31", "America/Lima"), (
            root.GetProperty("period").GetProperty("from").GetString(),
            root.GetProperty("period").GetProperty("to").GetString(),
            root.GetProperty("period").GetProperty("time_zone").GetString()));
        var organizer = root.GetProperty("organizer");
        Assert.Equal((seeded.Organizer.LegalName, "RUC", seeded.Organizer.TaxId), (
            organizer.GetProperty("legal_name").GetString(), organizer.GetProperty("tax_id_type").GetString(), organizer.GetProperty("tax_id").GetString()));
        Assert.Equal("PEN", root.GetProperty("currency").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("event_id").ValueKind);
        Assert.False(root.TryGetProperty("series", out _), "the series comes only with include=series");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        // Every amount is a JSON number written with exactly two decimals.
        var amounts = AmountOnTheWire().Matches(json.Body);
        Assert.Equal(9 + 3 + expectedBalance.NextReleases.Count + 9, amounts.Count); // summary, balance, one per upcoming release, comparison
        Assert.All(amounts, m => Assert.Matches(@"^-?\d+\.\d{2}$", m.Groups["value"].Value));
    }

    [Fact]
    public async Task Summary_KeyInXApiKeyHeader_AnswersTheSameAsBearer()
    {
        var seeded = await factory.AddOrganizerAsync();
        await factory.StorePaymentsAsync(MarchPayments(seeded));
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var bearer = factory.CreateKeyClient(key.PlainKey);
        using var header = factory.CreateHttpClient();
        header.DefaultRequestHeaders.Add("X-Api-Key", key.PlainKey);

        using var viaBearer = await bearer.GetSummaryAsync(March);
        using var viaHeader = await header.GetSummaryAsync(March);

        using var a = await viaBearer.ReadJsonAsync();
        using var b = await viaHeader.ReadJsonAsync();
        Assert.Equal(a.Root.GetProperty("summary").GetRawText(), b.Root.GetProperty("summary").GetRawText());
        Assert.True(a.Root.GetProperty("summary").GetProperty("sales").GetInt32() > 0);
    }

    [Fact]
    public async Task Summary_OwnEvent_ScopesFiguresToThatEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await factory.AddOrganizerAsync(events: 2);
        await factory.StorePaymentsAsync(MarchPayments(seeded));
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);
        var eventId = seeded.Events[1].Id;

        using var response = await client.GetSummaryAsync($"{March}&event_id={eventId}");

        using var json = await response.ReadJsonAsync();
        var ledger = factory.Services.GetRequiredService<LedgerQueries>();
        var expected = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), eventId, ct);
        var whole = await ledger.GetPeriodSummaryAsync(seeded.Organizer.Id, new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), null, ct);
        Assert.Equal(1, expected.Sales);
        Assert.NotEqual(whole.GrossSales, expected.GrossSales);
        AssertSummary(expected, json.Root.GetProperty("summary"));
        Assert.Equal(eventId, json.Root.GetProperty("event_id").GetInt32());
    }

    [Fact]
    public async Task Summary_OrganizerInTheQuery_IsIgnoredTheKeyDecides()
    {
        var organizerA = await factory.AddOrganizerAsync();
        var organizerB = await factory.AddOrganizerAsync();
        await factory.StorePaymentsAsync(MarchPayments(organizerB));
        var keyOfA = await factory.CreateKeyAsync(organizerA.Owner);
        using var client = factory.CreateKeyClient(keyOfA.PlainKey);

        using var response = await client.GetSummaryAsync($"{March}&organizer_id={organizerB.Organizer.Id}&org={organizerB.Organizer.Id}");

        using var json = await response.ReadJsonAsync();
        Assert.Equal(organizerA.Organizer.LegalName, json.Root.GetProperty("organizer").GetProperty("legal_name").GetString());
        Assert.Equal(0, json.Root.GetProperty("summary").GetProperty("sales").GetInt32());
        Assert.DoesNotContain(organizerB.Organizer.LegalName, json.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(organizerB.Organizer.TaxId, json.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_EventOfAnotherOrganizer_Is404WithNothingOfIt()
    {
        var organizerA = await factory.AddOrganizerAsync();
        var organizerB = await factory.AddOrganizerAsync();
        await factory.StorePaymentsAsync(MarchPayments(organizerB));
        var keyOfA = await factory.CreateKeyAsync(organizerA.Owner);
        using var client = factory.CreateKeyClient(keyOfA.PlainKey);

        using var foreign = await client.GetSummaryAsync($"{March}&event_id={organizerB.Events[0].Id}");
        using var missing = await client.GetSummaryAsync($"{March}&event_id={int.MaxValue}");

        var foreignProblem = await foreign.ReadProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missing.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([("event_id", "not_found")], foreignProblem.Errors.Select(e => (e.Field, e.Rule)));
        // The same answer as for an event that does not exist: nothing tells that B's event exists.
        Assert.Equal((missingProblem.Status, missingProblem.Title, missingProblem.Detail), (foreignProblem.Status, foreignProblem.Title, foreignProblem.Detail));
        Assert.Equal(missingProblem.Errors, foreignProblem.Errors);
        foreach (var secret in new[] { organizerB.Organizer.LegalName, organizerB.Organizer.TaxId, organizerB.Events[0].Name, organizerB.Events[0].ExternalId })
            Assert.DoesNotContain(secret, foreignProblem.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_RevokedKey_Is401()
    {
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);
        using (var before = await client.GetSummaryAsync(March))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var revoked = await factory.Services.GetRequiredService<ApiKeyService>().RevokeAsync(seeded.Owner, key.Key.Id, AuditOrigin.None, TestContext.Current.CancellationToken);
        Assert.True(revoked.IsSuccess);
        using var response = await client.GetSummaryAsync(March);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal([("Authorization", "api_key_invalid")], problem.Errors.Select(e => (e.Field, e.Rule)));
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(seeded.Organizer.LegalName, problem.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("bp_live_short")]
    [InlineData("bp_live_AbCd1234_0123456789abcdefghijABCDEFGHIJ01")] // the right shape, never issued
    [InlineData("Bearer bp_live_AbCd1234_0123456789abcdefghijABCDEFGHIJ01")]
    public async Task Summary_MalformedOrUnknownKey_Is401(string presented)
    {
        using var client = factory.CreateHttpClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + presented);

        using var response = await client.GetSummaryAsync(March);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("api_key_invalid", Assert.Single(problem.Errors).Rule);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_TamperedKeyOrPlatformKey_Is401()
    {
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        var tampered = key.PlainKey[..^1] + (key.PlainKey[^1] == 'a' ? 'b' : 'a');

        foreach (var presented in new[] { tampered, factory.ApiKey })
        {
            using var client = factory.CreateHttpClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", presented);
            using var response = await client.GetSummaryAsync(March);

            var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Equal([("X-Api-Key", "api_key_invalid")], problem.Errors.Select(e => (e.Field, e.Rule)));
            Assert.DoesNotContain(presented, problem.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Summary_NoKey_Is401WithChallenge()
    {
        using var client = factory.CreateHttpClient();

        using var response = await client.GetSummaryAsync(March);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal([("Authorization", "api_key_missing")], problem.Errors.Select(e => (e.Field, e.Rule)));
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("Bearer", challenge, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid_token", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_TwoXApiKeyHeaders_Is401()
    {
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateHttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", [key.PlainKey, key.PlainKey]);

        using var response = await client.GetSummaryAsync(March);

        Assert.Equal("api_key_invalid", Assert.Single((await response.ReadProblemAsync(HttpStatusCode.Unauthorized)).Errors).Rule);
    }

    [Theory]
    [InlineData("", "from:required,to:required")]
    [InlineData("?to=2026-03-31", "from:required")]
    [InlineData("?from=2026-03-01", "to:required")]
    [InlineData("?from=01/03/2026&to=2026-03-31", "from:date_format")]
    [InlineData("?from=2026-03-01&to=2026-02-30", "to:date_format")]
    [InlineData("?from=2026-3-1&to=2026-03-31T00:00:00", "from:date_format,to:date_format")]
    [InlineData("?from=2026-04-01&to=2026-03-31", "from:from_after_to")]
    [InlineData("?from=2025-01-01&to=2026-01-02", "to:max_days")]
    [InlineData("?from=2026-03-01&to=2026-03-31&event_id=abc", "event_id:integer")]
    [InlineData("?from=2026-03-01&to=2026-03-31&event_id=-4", "event_id:integer")]
    [InlineData("?from=x&to=2026-03-31&event_id=0", "from:date_format,event_id:integer")]
    public async Task Summary_BadQuery_Is400NamingFieldAndRule(string query, string expected)
    {
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetSummaryAsync(query);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(expected, string.Join(',', problem.Errors.Select(e => $"{e.Field}:{e.Rule}")));
        Assert.Equal(400, problem.Status);
        Assert.Equal(problem.Errors[0].Message, problem.Detail);
    }

    [Fact]
    public async Task Summary_PeriodOf366Days_IsAccepted()
    {
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);

        using var response = await client.GetSummaryAsync("?from=2024-01-01&to=2024-12-31");

        using var json = await response.ReadJsonAsync();
        Assert.Equal("2024-12-31", json.Root.GetProperty("period").GetProperty("to").GetString());
    }

    [Fact]
    public async Task Summary_SuccessfulRequest_RecordsLastUsedOnlyForTheRightKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await factory.AddOrganizerAsync();
        var key = await factory.CreateKeyAsync(seeded.Owner);
        using var client = factory.CreateKeyClient(key.PlainKey);
        using var wrong = factory.CreateKeyClient(key.PlainKey[..^1] + (key.PlainKey[^1] == 'a' ? 'b' : 'a'));

        using (var ok = await client.GetSummaryAsync(March))
        using (var refused = await wrong.GetSummaryAsync(March))
        {
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (ok.StatusCode, refused.StatusCode));
        }

        await using var db = factory.CreateDbContext();
        var lastUsed = await db.ApiKeys.AsNoTracking().Where(k => k.Id == key.Key.Id).Select(k => k.LastUsedAt).SingleAsync(ct);
        Assert.NotNull(lastUsed);
        Assert.InRange(lastUsed.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);

        Assert.Equal(1, await db.ApiKeys.CountAsync(k => k.OrganizerId == seeded.Organizer.Id && k.LastUsedAt != null, ct));
    }

    private static void AssertSummary(PeriodSummary expected, JsonElement summary)
    {
        Assert.Equal(
            (expected.Sales, expected.TicketsSold, expected.TicketsNet, expected.RefundCount, expected.ChargebackCount),
            (summary.GetProperty("sales").GetInt32(), summary.GetProperty("tickets_sold").GetInt32(), summary.GetProperty("tickets_net").GetInt32(),
                summary.GetProperty("refund_count").GetInt32(), summary.GetProperty("chargeback_count").GetInt32()));
        Assert.Equal(
            [expected.GrossSales, expected.Refunds, expected.Chargebacks, expected.MercadoPagoFees, expected.CommissionBase,
                expected.CommissionIgv, expected.Commission, expected.OtherFees, expected.Net],
            AmountFields.Select(name => summary.GetProperty(name).GetDecimal()));
    }

    private static void AssertBalance(BalanceSnapshot expected, JsonElement balance)
    {
        Assert.Equal((expected.Credited, expected.Pending, expected.Held),
            (balance.GetProperty("credited").GetDecimal(), balance.GetProperty("pending").GetDecimal(), balance.GetProperty("held").GetDecimal()));
        var releases = balance.GetProperty("next_releases").EnumerateArray()
            .Select(r => new UpcomingRelease(DateOnly.ParseExact(r.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.GetProperty("amount").GetDecimal(), r.GetProperty("payments").GetInt32()))
            .ToList();
        Assert.Equal(expected.NextReleases, releases);
    }

    /// <summary>
    /// March 2026: four approved sales (one on each event, two without), one refunded in part, one rejected; one sale
    /// released, the others releasing in the future, so the balance has credited and pending money.
    /// </summary>
    private static List<Payment> MarchPayments(SeededOrganizer seeded)
    {
        var id = seeded.Organizer.Id;
        var future = DateTimeOffset.UtcNow.AddDays(10);
        var payments = new List<Payment>
        {
            new PaymentBuilder().ForOrganizer(id).ApprovedAt(new DateTimeOffset(2026, 3, 1, 10, 0, 0, Lima))
                .WithRelease(new DateTimeOffset(2026, 3, 15, 10, 0, 0, Lima), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(id).WithAmounts(99.99m, 4.72m, 5.00m).WithTickets(1)
                .ApprovedAt(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Lima))
                .WithRelease(future, MoneyReleaseStatus.Pending)
                .WithRefund(33.33m, new DateTimeOffset(2026, 3, 5, 9, 0, 0, Lima)).Build(),
            new PaymentBuilder().ForOrganizer(id).ApprovedAt(new DateTimeOffset(2026, 3, 31, 23, 59, 59, Lima))
                .WithRelease(future.AddDays(1), null).Build(),
            new PaymentBuilder().ForOrganizer(id).WithStatus(PaymentStatus.Rejected, "cc_rejected_other_reason").Build(),
        };
        if (seeded.Events.Count > 0)
            payments.Add(new PaymentBuilder().ForOrganizer(id).WithEvent(seeded.Events[^1].Id).WithAmounts(300.00m, 14.16m, 15.00m).WithTickets(4)
                .ApprovedAt(new DateTimeOffset(2026, 3, 20, 18, 0, 0, Lima)).WithRelease(future, MoneyReleaseStatus.Pending).Build());
        return payments;
    }

    [GeneratedRegex("\"(?<name>gross_sales|refunds|chargebacks|mercadopago_fees|commission_base|commission_igv|commission|other_fees|net|credited|pending|held|amount)\":(?<value>[^,}\\]]+)")]
    private static partial Regex AmountOnTheWire();
}
