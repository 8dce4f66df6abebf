using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Ingestion;

public sealed class OrganizerIngestionTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    [Fact]
    public async Task Ingest_NewThenChanged_CreatesThenUpdatesOnlyTheChangedRow()
    {
        using var client = factory.CreateIngestionClient();
        var a = Rows.Organizer().With("time_zone", "America/Lima").With("commission_rate", 0.0525m).With("commission_fixed_per_ticket", 0.50m);
        var b = Rows.Organizer().With("tax_id_type", "DNI").With("tax_id", "45678912");
        var before = await factory.CountsAsync();

        var first = await (await client.IngestAsync("organizers", [a, b])).ReadResultAsync();
        var second = await (await client.IngestAsync("organizers", [a.With("legal_name", "Producciones Andinas E.I.R.L."), b])).ReadResultAsync();

        Assert.Equal(new WireResult(2, 2, 0, 0), first);
        Assert.Equal(new WireResult(2, 0, 1, 1), second);
        var after = await factory.CountsAsync();
        Assert.Equal(before with { Organizers = before.Organizers + 2, Plans = before.Plans + 2 }, after);
        await using var db = factory.CreateDbContext();
        var stored = await db.Organizers.Include(o => o.CommissionPlan).SingleAsync(o => o.ExternalId == (string)a["id"]!, TestContext.Current.CancellationToken);
        Assert.Equal("Producciones Andinas E.I.R.L.", stored.LegalName);
        Assert.Equal(TaxIdKind.Ruc, stored.TaxIdKind);
        Assert.Equal(0.0525m, stored.CommissionPlan!.Rate);
        Assert.Equal(0.50m, stored.CommissionPlan.FixedPerTicket);
        var person = await db.Organizers.Include(o => o.CommissionPlan).SingleAsync(o => o.ExternalId == (string)b["id"]!, TestContext.Current.CancellationToken);
        Assert.Equal((TaxIdKind.Dni, "45678912", "America/Lima"), (person.TaxIdKind, person.TaxId, person.TimeZoneId));
        Assert.Equal((0.05m, 0m), (person.CommissionPlan!.Rate, person.CommissionPlan.FixedPerTicket));
    }

    [Fact]
    public async Task Ingest_SameRequestTwice_SecondChangesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var rows = Enumerable.Range(0, 5).Select(_ => Rows.Organizer().With("commission_rate", 0.07m)).ToList();

        var first = await (await client.IngestAsync("organizers", rows)).ReadResultAsync();
        var afterFirst = await factory.CountsAsync();
        var second = await (await client.IngestAsync("organizers", rows)).ReadResultAsync();

        Assert.Equal(new WireResult(5, 5, 0, 0), first);
        Assert.Equal(new WireResult(5, 0, 0, 5), second);
        Assert.Equal(afterFirst, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_ChangedRate_UpdatesTheOrganizersOwnPlanInPlace()
    {
        using var client = factory.CreateIngestionClient();
        var row = Rows.Organizer();
        await (await client.IngestAsync("organizers", [row])).ReadResultAsync();
        var planId = await PlanIdAsync((string)row["id"]!);
        var before = await factory.CountsAsync();

        var result = await (await client.IngestAsync("organizers", [row.With("commission_rate", 0.08m)])).ReadResultAsync();
        var omitted = await (await client.IngestAsync("organizers", [row.Without("commission_rate")])).ReadResultAsync();

        Assert.Equal(new WireResult(1, 0, 1, 0), result);
        Assert.Equal(new WireResult(1, 0, 0, 1), omitted);
        Assert.Equal(before, await factory.CountsAsync());
        await using var db = factory.CreateDbContext();
        var plan = await db.CommissionPlans.SingleAsync(p => p.Id == planId, TestContext.Current.CancellationToken);
        Assert.Equal(0.08m, plan.Rate);
        Assert.Equal(planId, await PlanIdAsync((string)row["id"]!));
    }

    [Fact]
    public async Task Ingest_ChangedRateOnASharedPlan_GivesTheOrganizerItsOwnCopy()
    {
        var shared = new BillingPortal.Core.Billing.Commissions.CommissionPlan { Name = "Plan corporativo", Rate = 0.05m, FixedPerTicket = 1.00m, ReturnCommissionOnRefund = false };
        var first = new OrganizerBuilder().WithPlan(shared).Build();
        var second = new OrganizerBuilder().WithPlan(shared).Build();
        await using (var db = factory.CreateDbContext())
        {
            db.Organizers.AddRange(first, second);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using var client = factory.CreateIngestionClient();
        var row = new JsonRow
        {
            ["id"] = first.ExternalId,
            ["tax_id_type"] = "RUC",
            ["tax_id"] = first.TaxId,
            ["legal_name"] = first.LegalName,
            ["contact_email"] = first.ContactEmail,
            ["commission_rate"] = 0.06m,
        };

        var result = await (await client.IngestAsync("organizers", [row])).ReadResultAsync();

        Assert.Equal(new WireResult(1, 0, 1, 0), result);
        await using var check = factory.CreateDbContext();
        var firstPlan = (await check.Organizers.Include(o => o.CommissionPlan).SingleAsync(o => o.Id == first.Id, TestContext.Current.CancellationToken)).CommissionPlan!;
        var secondPlan = (await check.Organizers.Include(o => o.CommissionPlan).SingleAsync(o => o.Id == second.Id, TestContext.Current.CancellationToken)).CommissionPlan!;
        Assert.NotEqual(shared.Id, firstPlan.Id);
        Assert.Equal((0.06m, 1.00m, false), (firstPlan.Rate, firstPlan.FixedPerTicket, firstPlan.ReturnCommissionOnRefund));
        Assert.Equal((shared.Id, 0.05m), (secondPlan.Id, secondPlan.Rate));
    }

    [Theory]
    [InlineData("RUC", "20100070971", "ruc_check_digit")]
    [InlineData("RUC", "30100070978", "ruc_prefix")]
    [InlineData("RUC", "2010007097", "ruc_format")]
    [InlineData("DNI", "4567891", "dni_format")]
    [InlineData("CE", "45678912", "one_of")]
    public async Task Ingest_BadTaxId_RejectsWithTheRuleAndWritesNothing(string type, string taxId, string rule)
    {
        using var client = factory.CreateIngestionClient();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer(), Rows.Organizer().With("tax_id_type", type).With("tax_id", taxId)]);

        var field = rule == "one_of" ? "tax_id_type" : "tax_id";
        await response.AssertRejectedAsync((1, field, rule));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Theory]
    [InlineData("contact_email", "finanzas@", "email")]
    [InlineData("contact_email", "finanzas andinas@correo.pe", "email")]
    [InlineData("contact_email", null, "required")]
    [InlineData("legal_name", "  ", "required")]
    [InlineData("time_zone", "America/Cusco", "time_zone")]
    [InlineData("time_zone", "SA Pacific Standard Time", "time_zone")]
    public async Task Ingest_BadField_RejectsWithTheRuleAndWritesNothing(string field, string? value, string rule)
    {
        using var client = factory.CreateIngestionClient();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer().With(field, value)]);

        await response.AssertRejectedAsync((0, field, rule));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Theory]
    [InlineData(1.5, "range")]
    [InlineData(-0.01, "range")]
    [InlineData(0.05125, "max_decimals")]
    public async Task Ingest_BadCommissionRate_Rejects(double rate, string rule)
    {
        using var client = factory.CreateIngestionClient();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer().With("commission_rate", (decimal)rate)]);

        await response.AssertRejectedAsync((0, "commission_rate", rule));
    }

    [Theory]
    [InlineData(-1, "non_negative")]
    [InlineData(0.125, "max_decimals")]
    public async Task Ingest_BadFixedFee_Rejects(double fee, string rule)
    {
        using var client = factory.CreateIngestionClient();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer().With("commission_fixed_per_ticket", (decimal)fee)]);

        await response.AssertRejectedAsync((0, "commission_fixed_per_ticket", rule));
    }

    [Fact]
    public async Task Ingest_DuplicateIdInRequest_RejectsTheRepeatAndWritesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var id = Rows.NewId("org");
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer(id), Rows.Organizer(), Rows.Organizer(id.ToUpperInvariant())]);

        var problem = await response.AssertRejectedAsync((2, "id", "duplicate_id"));
        Assert.Contains("items[0]", problem.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_TaxIdOfAnotherOrganizer_RejectsAndWritesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var existing = Rows.Organizer();
        await (await client.IngestAsync("organizers", [existing])).ReadResultAsync();
        var before = await factory.CountsAsync();

        using var response = await client.IngestAsync("organizers", [Rows.Organizer().With("tax_id", existing["tax_id"])]);
        using var twice = await client.IngestAsync("organizers", [Rows.Organizer().With("tax_id", "20100070970"), Rows.Organizer().With("tax_id", "20100070970")]);

        await response.AssertRejectedAsync((0, "tax_id", "tax_id_taken"));
        await twice.AssertRejectedAsync((1, "tax_id", "duplicate_tax_id"));
        Assert.Equal(before, await factory.CountsAsync());
    }

    [Fact]
    public async Task Ingest_SeveralBadRows_ListsEveryErrorAndWritesNothing()
    {
        using var client = factory.CreateIngestionClient();
        var before = await factory.CountsAsync();
        var rows = new[]
        {
            Rows.Organizer(),
            Rows.Organizer().With("tax_id", "20100070971").With("contact_email", "no-es-correo"),
            Rows.Organizer(),
            Rows.Organizer().Without("legal_name").With("id", new string('x', 65)),
            null,
        };

        using var response = await client.PostJsonAsync("organizers", System.Text.Json.JsonSerializer.Serialize(new { items = rows }));

        var problem = await response.AssertRejectedAsync(
            (1, "tax_id", "ruc_check_digit"),
            (1, "contact_email", "email"),
            (3, "id", "max_length"),
            (3, "legal_name", "required"),
            (4, "item", "required"));
        Assert.Equal((string)rows[1]!["id"]!, problem.Errors[0].Id);
        Assert.Contains("3 fila", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await factory.CountsAsync());
    }

    private async Task<int> PlanIdAsync(string externalId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Organizers.Where(o => o.ExternalId == externalId).Select(o => o.CommissionPlanId).SingleAsync(TestContext.Current.CancellationToken);
    }
}
