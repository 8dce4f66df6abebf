using System.Net;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.Isolation;

/// <summary>One organizer (A) with a viewer and an owner, another (B) with its own owner and sales, on one portal.</summary>
public sealed class TwoOrganizersFixture : IAsyncLifetime
{
    public const string ViewerOfA = "lector.a@example.pe";
    public const string OwnerOfA = "propietaria.a@example.pe";
    public const string OwnerOfB = "propietario.b@example.pe";

    /// <summary>B's sale amount: distinctive, so a leak would be easy to see.</summary>
    public const decimal BSale = 987_654.32m;

    public SignedInPortalFactory Portal { get; } = new();

    public Organizer A { get; private set; } = null!;

    public Organizer B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Portal.InitializeAsync();
        A = await Portal.AddOrganizerAsync();
        B = await Portal.AddOrganizerAsync();
        await Portal.InviteAsync(A.Id, ViewerOfA, OrganizerRole.Viewer);
        await Portal.InviteAsync(A.Id, OwnerOfA, OrganizerRole.Owner);
        await Portal.InviteAsync(B.Id, OwnerOfB, OrganizerRole.Owner);

        var ct = TestContext.Current.CancellationToken;
        await using var db = Portal.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var payments = new[]
        {
            new PaymentBuilder().ForOrganizer(A.Id).WithAmounts(150.00m, 7.08m, 7.50m).Build(),
            new PaymentBuilder().ForOrganizer(B.Id).WithAmounts(BSale, 46_617.28m, 49_382.72m).WithNetReceived(891_654.32m).Build(),
        };
        db.Payments.AddRange(payments);
        await new PaymentLedgerWriter(TimeProvider.System).ReplaceAsync(db, payments, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async ValueTask DisposeAsync() => await Portal.DisposeAsync();
}

/// <summary>
/// Tenant isolation over HTTP, as a viewer of organizer A who asks for organizer B in every way a page or endpoint
/// accepts an organizer: B must answer 404 (or 401/403) and nothing of B may appear in the body.
/// </summary>
public sealed class TenantIsolationTests(TwoOrganizersFixture data) : IClassFixture<TwoOrganizersFixture>
{
    private SignedInPortalFactory Portal => data.Portal;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> OrganizerPages => new()
    {
        "/resumen?org={0}",
        "/resumen?org={0}&desde=2026-03-01&hasta=2026-03-31",
        "/?org={0}",
        "/miembros?org={0}",
        "/claves-api?org={0}",
    };

    private void AssertNothingOfB(string body)
    {
        Assert.DoesNotContain(data.B.LegalName, body, StringComparison.Ordinal);
        Assert.DoesNotContain(data.B.TaxId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(TwoOrganizersFixture.OwnerOfB, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Money.Format(TwoOrganizersFixture.BSale), body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OrganizerPages))]
    public async Task Viewer_OrganizerBInTheUrl_Is404WithNothingOfB(string page)
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);

        var (status, body) = await viewer.GetPageAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, page, data.B.Id));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Página no encontrada", body, StringComparison.Ordinal);
        AssertNothingOfB(body);
    }

    [Theory]
    [MemberData(nameof(OrganizerPages))]
    public async Task Viewer_OrganizerAInTheUrl_ShowsA(string page)
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);

        var (status, body) = await viewer.GetPageAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, page, data.A.Id));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(data.A.LegalName, body, StringComparison.Ordinal);
        AssertNothingOfB(body);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1e3")]
    public async Task Viewer_MalformedOrUnknownOrganizerInTheUrl_Is404(string org)
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);

        var (status, body) = await viewer.GetPageAsync("/resumen?org=" + Uri.EscapeDataString(org));

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertNothingOfB(body);
        Assert.DoesNotContain(data.A.LegalName, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_SwitchToOrganizerB_Is404AndRemembersNothing()
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);
        var token = await viewer.AntiforgeryTokenAsync("/sin-organizador");

        using var response = await viewer.PostFormAsync("/cuenta/organizador",
            ("__RequestVerificationToken", token), ("organizerId", data.B.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("returnUrl", "/resumen"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        AssertNothingOfB(await response.Content.ReadAsStringAsync(Ct));
        Assert.Null(viewer.PortalCookie("bp.org"));
    }

    [Fact]
    public async Task Viewer_SwitchToOrganizerA_RemembersItAndReturns()
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);
        var token = await viewer.AntiforgeryTokenAsync("/sin-organizador");
        var a = data.A.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var response = await viewer.PostFormAsync("/cuenta/organizador",
            ("__RequestVerificationToken", token), ("organizerId", a), ("returnUrl", "/resumen?org=77&desde=2026-03-01"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/resumen?org={a}&desde=2026-03-01", response.Headers.Location!.OriginalString);
        Assert.Equal(a, viewer.PortalCookie("bp.org"));
    }

    [Fact]
    public async Task Viewer_SwitchWithoutAntiforgeryToken_Is400()
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);

        using var response = await viewer.PostFormAsync("/cuenta/organizador",
            ("organizerId", data.A.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("returnUrl", "/resumen"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(viewer.PortalCookie("bp.org"));
    }

    [Fact]
    public async Task Viewer_ForgedRememberedOrganizerB_IsIgnored()
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);
        viewer.Cookies.Add(viewer.Portal, new Cookie("bp.org", data.B.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var (status, body) = await viewer.GetPageAsync("/resumen");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(data.A.LegalName, body, StringComparison.Ordinal);
        AssertNothingOfB(body);
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/organizadores")]
    [InlineData("/admin/organizadores?buscar=Producciones")]
    public async Task Viewer_AdminArea_Is403WithNothingOfB(string path)
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);

        var (status, body) = await viewer.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        AssertNothingOfB(body);
    }

    [Theory]
    [InlineData("/api/v1/ingest/organizers")]
    [InlineData("/api/v1/ingest/events")]
    [InlineData("/api/v1/ingest/purchases")]
    public async Task Viewer_SessionCookieOnThePlatformApi_Is401(string path)
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent("""{"items":[]}""", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await viewer.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertNothingOfB(await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Viewer_SessionCookieOnTheOrganizerApi_Is401()
    {
        using var viewer = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.ViewerOfA);

        using var response = await viewer.GetAsync("/api/v1/summary?from=2026-01-01&to=2026-12-31");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNothingOfB(await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task ApiKeyOfA_AskingForBThroughTheQuery_ReadsOnlyA()
    {
        var access = new OrganizerAccess(data.A.Id, OrganizerRole.Owner, await OwnerOfAIdAsync(), TwoOrganizersFixture.OwnerOfA);
        var created = Assert.IsType<ApiKeyResult<CreatedApiKey>.Success>(
            await Portal.Services.GetRequiredService<ApiKeyService>().CreateAsync(access, "ERP de A " + Guid.NewGuid().ToString("N")[..6], AuditOrigin.None, Ct)).Value;
        using var client = Portal.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.PlainKey);

        using var response = await client.GetAsync($"/api/v1/summary?from=2026-01-01&to=2026-12-31&org={data.B.Id}&organizer_id={data.B.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains(data.A.TaxId, body, StringComparison.Ordinal);
        AssertNothingOfB(body);
        Assert.DoesNotContain("987654.32", body, StringComparison.Ordinal);
    }

    private async Task<int> OwnerOfAIdAsync()
    {
        using (await Portal.SignInWithEmailAsync(TwoOrganizersFixture.OwnerOfA))
        {
        }

        await using var db = Portal.CreateDbContext();
        return await db.Users.Where(u => u.Email == TwoOrganizersFixture.OwnerOfA).Select(u => u.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task Owner_MembersPage_ListsOnlyTheirOrganizersPeople()
    {
        using var owner = await Portal.SignInWithEmailAsync(TwoOrganizersFixture.OwnerOfA);

        var (status, body) = await owner.GetPageAsync($"/miembros?org={data.A.Id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"invite-form\"", body, StringComparison.Ordinal);
        AssertNothingOfB(body);
        await using var db = Portal.CreateDbContext();
        Assert.True(await db.Invitations.AnyAsync(i => i.OrganizerId == data.B.Id && i.Email == TwoOrganizersFixture.OwnerOfB, Ct));
    }
}
