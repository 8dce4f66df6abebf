using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Events;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.Api;

/// <summary>An error of a ProblemDetails body, read from the wire.</summary>
internal sealed record ApiWireError(string Field, string Rule, string Message);

/// <summary>A ProblemDetails body read from the wire, with its raw text.</summary>
internal sealed record ApiWireProblem(int Status, string Title, string Detail, IReadOnlyList<ApiWireError> Errors, string Body);

/// <summary>A 200 JSON body read from the wire, with its raw text.</summary>
internal sealed record ApiWireJson(JsonDocument Document, string Body) : IDisposable
{
    public JsonElement Root => Document.RootElement;

    public void Dispose() => Document.Dispose();
}

/// <summary>An organizer stored in the portal's database with one owner and some events.</summary>
internal sealed record SeededOrganizer(Organizer Organizer, OrganizerAccess Owner, IReadOnlyList<Event> Events);

internal static class OrganizerApiTestKit
{
    public static async Task<SeededOrganizer> AddOrganizerAsync(this BillingPortalFactory factory, int events = 1)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = factory.CreateDbContext();
        var organizer = new OrganizerBuilder().Build();
        var user = new PortalUser
        {
            Issuer = "https://sandbox.test",
            Subject = Guid.NewGuid().ToString("N"),
            Email = $"duena-{Guid.NewGuid():N}@example.pe",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Organizers.Add(organizer);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        db.OrganizerMembers.Add(new OrganizerMember { OrganizerId = organizer.Id, UserId = user.Id, Role = OrganizerRole.Owner, CreatedAt = user.CreatedAt });
        var list = Enumerable.Range(1, events).Select(i => new Event
        {
            OrganizerId = organizer.Id,
            ExternalId = $"{organizer.ExternalId}_evt_{i}_{Guid.NewGuid():N}",
            Name = $"Concierto {organizer.ExternalId} {i}",
            Venue = "Estadio Nacional",
            StartsAt = new DateTimeOffset(2026, 5, i, 20, 0, 0, TimeSpan.FromHours(-5)),
            Capacity = 1000,
        }).ToList();
        db.Events.AddRange(list);
        await db.SaveChangesAsync(ct);
        return new SeededOrganizer(organizer, new OrganizerAccess(organizer.Id, OrganizerRole.Owner, user.Id, user.Email), list);
    }

    /// <summary>Stores payments and their ledger the way ingestion does: one transaction, through <see cref="PaymentLedgerWriter"/>.</summary>
    public static async Task StorePaymentsAsync(this BillingPortalFactory factory, IReadOnlyCollection<Payment> payments)
    {
        var ct = TestContext.Current.CancellationToken;
        var writer = new PaymentLedgerWriter(new FakeTimeProvider(DateTimeOffset.UtcNow));
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Payments.AddRange(payments);
        await writer.ReplaceAsync(db, payments, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Creates a key through the portal's own <see cref="ApiKeyService"/>, as the owners' page does.</summary>
    public static async Task<CreatedApiKey> CreateKeyAsync(this BillingPortalFactory factory, OrganizerAccess owner, string? name = null)
    {
        var service = factory.Services.GetRequiredService<ApiKeyService>();
        var result = await service.CreateAsync(owner, name ?? "ERP " + Guid.NewGuid().ToString("N")[..8], AuditOrigin.None, TestContext.Current.CancellationToken);
        return Assert.IsType<ApiKeyResult<CreatedApiKey>.Success>(result).Value;
    }

    public static HttpClient CreateKeyClient(this BillingPortalFactory factory, string key)
    {
        var client = factory.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static Task<HttpResponseMessage> GetSummaryAsync(this HttpClient client, string query) =>
        client.GetAsync(new Uri("/api/v1/summary" + query, UriKind.Relative), TestContext.Current.CancellationToken);

    public static async Task<ApiWireJson> ReadJsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return new ApiWireJson(JsonDocument.Parse(body), body);
    }

    public static async Task<ApiWireProblem> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var errors = root.GetProperty("errors").EnumerateArray()
            .Select(e => new ApiWireError(e.GetProperty("field").GetString()!, e.GetProperty("rule").GetString()!, e.GetProperty("message").GetString()!))
            .ToList();
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        return new ApiWireProblem(root.GetProperty("status").GetInt32(), root.GetProperty("title").GetString()!,
            root.GetProperty("detail").GetString()!, errors, body);
    }
}
