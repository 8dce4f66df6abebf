using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BillingPortal.Core.Identity;
using BillingPortal.Security;
using BillingPortal.Tests.Integration.Api;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.RateLimiting;

/// <summary>The portal with small limits in a long window (nothing replenishes during a test).</summary>
public sealed class RateLimitedPortalFactory : SignedInPortalFactory
{
    public const int GenerationPerUser = 2;
    public const int GenerationPerOrganizer = 3;
    public const int DownloadPerUser = 2;
    public const int DownloadPerOrganizer = 3;
    public const int ApiPerKey = 2;
    public const int ApiPerOrganizer = 3;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["RateLimits:Window"] = Window.ToString("c", CultureInfo.InvariantCulture);
        settings["RateLimits:StatementGeneration:PerUser"] = GenerationPerUser.ToString(CultureInfo.InvariantCulture);
        settings["RateLimits:StatementGeneration:PerOrganizer"] = GenerationPerOrganizer.ToString(CultureInfo.InvariantCulture);
        settings["RateLimits:StatementDownload:PerUser"] = DownloadPerUser.ToString(CultureInfo.InvariantCulture);
        settings["RateLimits:StatementDownload:PerOrganizer"] = DownloadPerOrganizer.ToString(CultureInfo.InvariantCulture);
        settings["RateLimits:Api:PerKey"] = ApiPerKey.ToString(CultureInfo.InvariantCulture);
        settings["RateLimits:Api:PerOrganizer"] = ApiPerOrganizer.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Rate limits over real HTTP (issue #7 §7): statement generation and downloads per user and per organizer, the organizer
/// API per key and per organizer; 429 with Retry-After and a ProblemDetails body; browsers are sent back to the page.
/// </summary>
public sealed class RateLimitTests(RateLimitedPortalFactory portal) : IClassFixture<RateLimitedPortalFactory>
{
    private const string March = "?from=2026-03-01&to=2026-03-31";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> OrganizerAsync()
    {
        var organizer = await portal.AddOrganizerAsync();
        return organizer.Id;
    }

    private async Task<PortalBrowser> MemberAsync(int organizerId)
    {
        var email = $"contadora{Guid.NewGuid():N}@example.pe";
        await portal.InviteAsync(organizerId, email, OrganizerRole.Viewer);
        return await portal.SignInWithEmailAsync(email);
    }

    private static async Task<HttpRequestMessage> GenerateRequestAsync(PortalBrowser browser, int organizerId)
    {
        var token = await browser.AntiforgeryTokenAsync("/sin-organizador");
        return new HttpRequestMessage(HttpMethod.Post, "/estados-de-cuenta/generar")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["organizerId"] = organizerId.ToString(CultureInfo.InvariantCulture),
                ["desde"] = "2026-10-01",
                ["hasta"] = "2026-10-31",
                ["evento"] = "",
                ["formato"] = "csv",
                ["separador"] = "coma",
            }),
        };
    }

    private static async Task<HttpStatusCode> GenerateAsync(PortalBrowser browser, int organizerId)
    {
        using var request = await GenerateRequestAsync(browser, organizerId);
        using var response = await browser.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Asserts a 429 with Retry-After (seconds within the window) and a ProblemDetails naming the limit; returns the body.</summary>
    private static async Task<JsonElement> AssertRejectedAsync(HttpResponseMessage response, string limit)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode}: {body}");
        var retry = response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After in seconds");
        Assert.InRange(retry, TimeSpan.FromSeconds(1), RateLimitedPortalFactory.Window);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement.Clone();
        Assert.Equal(429, root.GetProperty("status").GetInt32());
        Assert.Equal(limit, root.GetProperty("limit").GetString());
        Assert.Contains(((int)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " segundos", root.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return root;
    }

    [Fact]
    public async Task Generation_OverTheUsersLimit_Is429WithRetryAfter_AndAnotherOrganizersUserIsNotAffected()
    {
        var organizerId = await OrganizerAsync();
        var otherId = await OrganizerAsync();
        using var user = await MemberAsync(organizerId);
        using var other = await MemberAsync(otherId);

        for (var i = 0; i < RateLimitedPortalFactory.GenerationPerUser; i++) Assert.Equal(HttpStatusCode.OK, await GenerateAsync(user, organizerId));
        using (var request = await GenerateRequestAsync(user, organizerId))
        using (var rejected = await user.SendAsync(request))
        {
            var problem = await AssertRejectedAsync(rejected, "generacion-por-usuario");
            Assert.Contains("por usuario", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, await GenerateAsync(other, otherId));
    }

    [Fact]
    public async Task Generation_TwoUsersOfOneOrganizer_ShareTheOrganizersLimit()
    {
        var organizerId = await OrganizerAsync();
        var otherId = await OrganizerAsync();
        using var first = await MemberAsync(organizerId);
        using var second = await MemberAsync(organizerId);
        using var other = await MemberAsync(otherId);

        for (var i = 0; i < RateLimitedPortalFactory.GenerationPerUser; i++) Assert.Equal(HttpStatusCode.OK, await GenerateAsync(first, organizerId));
        Assert.Equal(HttpStatusCode.OK, await GenerateAsync(second, organizerId)); // the organizer's third
        using (var request = await GenerateRequestAsync(second, organizerId))
        using (var rejected = await second.SendAsync(request))
        {
            // The second user is under their own limit: the organizer's caught them.
            await AssertRejectedAsync(rejected, "generacion-por-organizador");
        }

        Assert.Equal(HttpStatusCode.OK, await GenerateAsync(other, otherId));
    }

    [Fact]
    public async Task Generation_ForAnOrganizerTheCallerMayNotOpen_DoesNotSpendThatOrganizersLimit()
    {
        var victimId = await OrganizerAsync();
        var strangerOrganizerId = await OrganizerAsync();
        using var stranger = await MemberAsync(strangerOrganizerId);
        using var first = await MemberAsync(victimId);
        using var second = await MemberAsync(victimId);

        for (var i = 0; i < RateLimitedPortalFactory.GenerationPerUser; i++) Assert.Equal(HttpStatusCode.NotFound, await GenerateAsync(stranger, victimId));

        for (var i = 0; i < RateLimitedPortalFactory.GenerationPerUser; i++) Assert.Equal(HttpStatusCode.OK, await GenerateAsync(first, victimId));
        Assert.Equal(HttpStatusCode.OK, await GenerateAsync(second, victimId));
    }

    [Fact]
    public async Task Generation_BrowserNavigationOverTheLimit_IsSentBackToThePage_WhichSaysItInSpanish()
    {
        var organizerId = await OrganizerAsync();
        using var user = await MemberAsync(organizerId);
        for (var i = 0; i < RateLimitedPortalFactory.GenerationPerUser; i++) Assert.Equal(HttpStatusCode.OK, await GenerateAsync(user, organizerId));

        using var request = await GenerateRequestAsync(user, organizerId);
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await user.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var seconds = (int)(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero).TotalSeconds;
        Assert.InRange(seconds, 1, (int)RateLimitedPortalFactory.Window.TotalSeconds);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal($"/estados-de-cuenta?org={organizerId}&limite=generar&espera={seconds}", location);
        var (status, body) = await user.GetPageAsync(location);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Has generado demasiados estados de cuenta en poco tiempo. Intenta de nuevo en {seconds} segundos.", body, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"statements-rate-limited\"", body, StringComparison.Ordinal);

        // A link edited by hand still gives the page, with a minute.
        var (edited, editedBody) = await user.GetPageAsync($"/estados-de-cuenta?org={organizerId}&limite=descargar&espera=pronto");
        Assert.Equal(HttpStatusCode.OK, edited);
        Assert.Contains("Has descargado demasiados estados de cuenta en poco tiempo. Intenta de nuevo en 60 segundos.", editedBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downloads_OverTheUsersAndTheOrganizersLimits_Are429_AndOtherOrganizersAreNotAffected()
    {
        var organizerId = await OrganizerAsync();
        var otherId = await OrganizerAsync();
        using var first = await MemberAsync(organizerId);
        using var second = await MemberAsync(organizerId);
        using var other = await MemberAsync(otherId);
        string File(int org) => $"/estados-de-cuenta/archivos/{Guid.NewGuid():D}?org={org}";

        // An unknown file still counts (the limiter runs before the endpoint looks): 404 until the limit, then 429.
        for (var i = 0; i < RateLimitedPortalFactory.DownloadPerUser; i++)
        {
            using var found = await first.GetAsync(File(organizerId));
            Assert.Equal(HttpStatusCode.NotFound, found.StatusCode);
        }

        using (var rejected = await first.GetAsync(File(organizerId))) await AssertRejectedAsync(rejected, "descarga-por-usuario");
        using (var third = await second.GetAsync(File(organizerId))) Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
        using (var rejected = await second.GetAsync(File(organizerId))) await AssertRejectedAsync(rejected, "descarga-por-organizador");
        using (var unaffected = await other.GetAsync(File(otherId))) Assert.Equal(HttpStatusCode.NotFound, unaffected.StatusCode);
    }

    [Fact]
    public async Task Api_OverTheKeysAndTheOrganizersLimits_Is429WithRetryAfterAndAProblemNamingTheLimit()
    {
        var seeded = await OrganizerApiTestKit.AddOrganizerAsync(portal);
        var other = await OrganizerApiTestKit.AddOrganizerAsync(portal);
        var firstKey = await portal.CreateKeyAsync(seeded.Owner);
        var secondKey = await portal.CreateKeyAsync(seeded.Owner);
        var otherKey = await portal.CreateKeyAsync(other.Owner);
        using var first = portal.CreateKeyClient(firstKey.PlainKey);
        using var second = portal.CreateKeyClient(secondKey.PlainKey);
        using var outsider = portal.CreateKeyClient(otherKey.PlainKey);

        for (var i = 0; i < RateLimitedPortalFactory.ApiPerKey; i++)
        {
            using var ok = await first.GetSummaryAsync(March);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var rejected = await first.GetSummaryAsync(March))
        {
            Assert.InRange(rejected.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), RateLimitedPortalFactory.Window);
            var problem = await rejected.ReadProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal(("api_key", "rate_limit_per_key"), (problem.Errors[0].Field, problem.Errors[0].Rule));
            Assert.DoesNotContain(firstKey.PlainKey, problem.Body, StringComparison.Ordinal);
        }

        using (var ok = await second.GetSummaryAsync(March)) Assert.Equal(HttpStatusCode.OK, ok.StatusCode); // the organizer's third
        using (var rejected = await second.GetSummaryAsync(March))
        {
            var problem = await rejected.ReadProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("rate_limit_per_organizer", problem.Errors[0].Rule);
            Assert.Contains(RateLimitedPortalFactory.ApiPerOrganizer.ToString(CultureInfo.InvariantCulture), problem.Detail, StringComparison.Ordinal);
        }

        using (var unaffected = await outsider.GetSummaryAsync(March)) Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
    }

    [Theory]
    [InlineData("RateLimits:StatementGeneration:PerUser", "0")]
    [InlineData("RateLimits:Api:PerOrganizer", "-1")]
    [InlineData("RateLimits:Window", "00:00:00")]
    public void Options_NotPositive_AreRefusedAtStartUp(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddPortalRateLimits(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        Assert.Contains("RateLimits", error.Message, StringComparison.Ordinal);
    }
}
