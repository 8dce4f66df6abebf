using System.Globalization;
using System.Net;
using System.Text;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.MercadoPago.Portal;

/// <summary>
/// <c>POST /api/webhooks/mercadopago</c> over real HTTP: a signed <c>mp-connect</c> <c>application.deauthorized</c>
/// revokes the link (through the inbox and its processor) (the page and the owners' banner say so), whether the emulator sends it or the test signs it; an
/// unsigned, forged, stale or re-targeted notification gets 401 and changes nothing; an oversized one 413.
/// </summary>
public sealed class WebhookReceiverTests(MercadoPagoPortalFactory portal) : IClassFixture<MercadoPagoPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An organizer with an owner signed in and an active link to a new emulated seller (through the real flow).</summary>
    private async Task<(PortalBrowser Browser, int OrganizerId, long SellerId)> LinkedAsync()
    {
        var organizer = await portal.AddOrganizerAsync();
        var email = $"duena{organizer.Id}@example.pe";
        await portal.InviteAsync(organizer.Id, email, OrganizerRole.Owner);
        var browser = await portal.SignInWithEmailAsync(email);
        var seller = await portal.AddSellerAsync();
        Assert.EndsWith("resultado=conectado", await LinkingFlow.LinkAsync(browser, organizer.Id, seller.Id), StringComparison.Ordinal);
        return (browser, organizer.Id, seller.Id);
    }

    private static string ConnectBody(long sellerId, string action)
    {
        var id = sellerId.ToString(CultureInfo.InvariantCulture);
        return "{\"id\":\"" + Guid.NewGuid().ToString("N") + "\",\"live_mode\":false,\"type\":\"mp-connect\",\"date_created\":\"2026-03-20T10:04:58.396-04:00\","
            + "\"user_id\":" + id + ",\"api_version\":\"v1\",\"action\":\"" + action + "\",\"data\":{\"id\":\"" + id + "\"}}";
    }

    private async Task<HttpResponseMessage> PostAsync(string query, string body, string? secret, string? requestId, DateTimeOffset? signedAt = null, string? signedDataId = null)
    {
        using var client = portal.CreateHttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/mercadopago" + query)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (requestId is not null) request.Headers.Add("x-request-id", requestId);
        if (secret is not null)
        {
            var ts = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            request.Headers.Add("x-signature", MercadoPagoWebhookSignature.Sign(secret, signedDataId, requestId, ts));
        }

        return await client.SendAsync(request, Ct);
    }

    private static string Query(long sellerId) => $"?data.id={sellerId.ToString(CultureInfo.InvariantCulture)}&type=mp-connect";

    [Fact]
    public async Task Deauthorized_SignedWithTheSecret_RevokesTheLinkAndTheOwnerSeesItAndTheBanner()
    {
        var (browser, organizerId, sellerId) = await LinkedAsync();
        using var _ = browser;
        var requestId = Guid.NewGuid().ToString();

        using var response = await PostAsync(Query(sellerId), ConnectBody(sellerId, "application.deauthorized"), portal.WebhookSecret, requestId,
            signedDataId: sellerId.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The receiver only stores the notification; the inbox processor applies it right after.
        var link = await portal.LinkOfAsync(organizerId);
        for (var attempt = 0; attempt < 200 && link!.Status != MercadoPagoLinkStatus.Revoked; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
            link = await portal.LinkOfAsync(organizerId);
        }

        Assert.Equal(MercadoPagoLinkStatus.Revoked, link!.Status);
        Assert.Null(link.AccessTokenCiphertext);
        Assert.Null(link.RefreshTokenCiphertext);
        var (_, page) = await browser.GetPageAsync($"/mercadopago?org={organizerId}");
        Assert.Equal("Revoked", LinkingFlow.StatusOf(page));
        Assert.Equal("Revocado en Mercado Pago", LinkingFlow.TextOf(page, "mercadopago-status"));
        Assert.Contains("data-testid=\"mercadopago-reauthorize\"", page, StringComparison.Ordinal);
        var (_, summary) = await browser.GetPageAsync($"/resumen?org={organizerId}");
        Assert.Contains("data-testid=\"mercadopago-banner\"", summary, StringComparison.Ordinal);
        Assert.Contains("se revocó desde Mercado Pago", summary, StringComparison.Ordinal);
        await using var db = portal.CreateDbContext();
        Assert.True(await db.AuditLog.AnyAsync(a => a.OrganizerId == organizerId && a.Action == AuditAction.MercadoPagoUnlinked, Ct));
    }

    [Fact]
    public async Task Deauthorized_SentByTheEmulator_ArrivesSignedAndRevokesTheLink()
    {
        var (browser, organizerId, sellerId) = await LinkedAsync();
        using var _ = browser;
        using var client = portal.CreateHttpClient();

        using var deauthorize = await client.PostAsync($"/sandbox/mercadopago/_admin/oauth/sellers/{sellerId}/deauthorize", null, Ct);

        Assert.True(deauthorize.IsSuccessStatusCode, await deauthorize.Content.ReadAsStringAsync(Ct));
        MercadoPagoLinkStatus? status = null;
        for (var attempt = 0; attempt < 200 && status != MercadoPagoLinkStatus.Revoked; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
            status = (await portal.LinkOfAsync(organizerId))?.Status;
        }

        Assert.Equal(MercadoPagoLinkStatus.Revoked, status);
        var (_, summary) = await browser.GetPageAsync($"/resumen?org={organizerId}");
        Assert.Contains("data-testid=\"mercadopago-banner\"", summary, StringComparison.Ordinal);
    }

    public static TheoryData<string> Refusals => new() { "unsigned", "forged", "stale", "other-seller", "malformed" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Deauthorized_NotProperlySigned_Is401AndChangesNothing(string refusal)
    {
        var (browser, organizerId, sellerId) = await LinkedAsync();
        using var _ = browser;
        var id = sellerId.ToString(CultureInfo.InvariantCulture);
        var body = ConnectBody(sellerId, "application.deauthorized");
        var requestId = Guid.NewGuid().ToString();

        using var response = refusal switch
        {
            "unsigned" => await PostAsync(Query(sellerId), body, null, requestId),
            "forged" => await PostAsync(Query(sellerId), body, "not-the-secret", requestId, signedDataId: id),
            "stale" => await PostAsync(Query(sellerId), body, portal.WebhookSecret, requestId, DateTimeOffset.UtcNow.AddMinutes(-10), id),
            "other-seller" => await PostAsync(Query(sellerId), body, portal.WebhookSecret, requestId, signedDataId: "123"),
            _ => await PostWithHeaderAsync(Query(sellerId), body, "ts=abc,v1=xyz", requestId),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Firma no válida", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(MercadoPagoLinkStatus.Active, (await portal.LinkOfAsync(organizerId))!.Status);
    }

    private async Task<HttpResponseMessage> PostWithHeaderAsync(string query, string body, string signature, string requestId)
    {
        using var client = portal.CreateHttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/mercadopago" + query) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-request-id", requestId);
        request.Headers.Add("x-signature", signature);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Webhook_BodyOverTheLimit_Is413()
    {
        var body = "{\"type\":\"payment\",\"pad\":\"" + new string('x', 70 * 1024) + "\"}";

        using var response = await PostAsync("?data.id=1&type=payment", body, portal.WebhookSecret, Guid.NewGuid().ToString(), signedDataId: "1");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_SignedPaymentOrLegacyQuery_IsAcknowledged()
    {
        using var payment = await PostAsync("?data.id=91234567890&type=payment",
            """{"id":12345,"live_mode":false,"type":"payment","action":"payment.created","user_id":44444,"data":{"id":"91234567890"}}""",
            portal.WebhookSecret, Guid.NewGuid().ToString(), signedDataId: "91234567890");
        using var legacy = await PostAsync("?id=91234567890&topic=payment", "", portal.WebhookSecret, null, signedDataId: "91234567890");

        Assert.Equal(HttpStatusCode.OK, payment.StatusCode);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
    }

    [Fact]
    public async Task Deauthorized_UnknownSeller_IsAcknowledgedAndChangesNothing()
    {
        var (browser, organizerId, _) = await LinkedAsync();
        using var _ = browser;

        using var response = await PostAsync(Query(999_999_999), ConnectBody(999_999_999, "application.deauthorized"), portal.WebhookSecret,
            Guid.NewGuid().ToString(), signedDataId: "999999999");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MercadoPagoLinkStatus.Active, (await portal.LinkOfAsync(organizerId))!.Status);
    }
}
