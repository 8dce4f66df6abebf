using System.Net;
using System.Text.RegularExpressions;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Integration.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.MercadoPago.Portal;

/// <summary>
/// The portal with the Mercado Pago emulator in-process (<c>MercadoPago:UseSandbox=true</c>, as in the demo) on its real
/// Kestrel port, signing in through the sandbox OpenID Connect provider on its own port (<see cref="SignedInPortalFactory"/>).
/// The consent page, the token endpoint and the webhooks all travel over real HTTP on loopback.
/// </summary>
public class MercadoPagoPortalFactory : SignedInPortalFactory
{
    private static long _nextSeller = 700_000_000;

    public MercadoPagoSandboxOptions Sandbox => Services.GetRequiredService<IOptions<MercadoPagoSandboxOptions>>().Value;

    public SandboxAccounts Accounts => Services.GetRequiredService<SandboxAccounts>();

    /// <summary>A new emulated seller account (a unique id per call) for a test to authorize.</summary>
    public async Task<SandboxSeller> AddSellerAsync(string nickname = "PRODUCCIONESPRUEBA")
    {
        var id = Interlocked.Increment(ref _nextSeller);
        var seller = new SandboxSeller(id, nickname + id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"vendedor{id}@example.pe", "Vendedor", "Prueba", "Producciones Prueba S.A.C.");
        await Accounts.UpsertSellerAsync(seller, TestContext.Current.CancellationToken);
        return seller;
    }

    /// <summary>The organizer's link as stored (no tracking).</summary>
    public async Task<MercadoPagoLink?> LinkOfAsync(int organizerId)
    {
        await using var db = CreateDbContext();
        return await db.MercadoPagoLinks.AsNoTracking().SingleOrDefaultAsync(l => l.OrganizerId == organizerId, TestContext.Current.CancellationToken);
    }

    /// <summary>The secret the portal's webhook receiver verifies with (the emulator's, in sandbox mode).</summary>
    public string WebhookSecret => Services.GetRequiredService<IOptionsMonitor<MercadoPagoOptions>>().CurrentValue.Webhooks.Secret!;

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["MercadoPago:UseSandbox"] = "true";
        settings["Sandbox:MercadoPago:Webhooks:RetryInterval"] = "00:00:00.200";
    }
}

/// <summary>A <see cref="PortalBrowser"/> walking the linking flow hop by hop: the form, the consent page, the callback.</summary>
internal static partial class LinkingFlow
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Posts «Conectar Mercado Pago» for the organizer (with a valid antiforgery token) and returns the response.</summary>
    public static async Task<HttpResponseMessage> PostAsync(PortalBrowser browser, string path, int organizerId)
    {
        var token = await browser.AntiforgeryTokenAsync("/sin-organizador");
        return await browser.PostFormAsync(path, ("__RequestVerificationToken", token), ("organizerId", organizerId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>«Conectar Mercado Pago»: asserts the 302 to the emulator's consent page and returns its URL.</summary>
    public static async Task<Uri> StartAsync(PortalBrowser browser, int organizerId)
    {
        using var response = await PostAsync(browser, "/mercadopago/conectar", organizerId);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Opens the consent page, chooses «Permitir» (for <paramref name="sellerId"/>) or «Denegar», returns the callback URL.</summary>
    public static async Task<Uri> ConsentAsync(PortalBrowser browser, Uri consentUrl, string decision, long? sellerId)
    {
        using var page = await browser.GetAsync(consentUrl.AbsoluteUri);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"consent page answered {(int)page.StatusCode}: {html}");
        var action = FormAction().Match(html);
        Assert.True(action.Success, "the consent page has a form");
        var fields = HiddenInput().Matches(html)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .ToList();
        fields.Add(new(SandboxConsentRequest.DecisionField, decision));
        if (sellerId is { } id) fields.Add(new(SandboxConsentRequest.SellerField, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var target = new Uri(consentUrl, WebUtility.HtmlDecode(action.Groups["action"].Value));
        using var post = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(fields) });
        Assert.True(post.StatusCode == HttpStatusCode.Redirect, $"consent POST answered {(int)post.StatusCode}: {await post.Content.ReadAsStringAsync(Ct)}");
        return post.Headers.Location!;
    }

    /// <summary>Follows the callback; asserts the 302 to the connection page and returns that local URL.</summary>
    public static async Task<string> CallbackAsync(PortalBrowser browser, Uri callback)
    {
        using var response = await browser.GetAsync(callback.AbsoluteUri);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>The whole flow with «Permitir»: returns the connection page's URL the callback sent the browser to.</summary>
    public static async Task<string> LinkAsync(PortalBrowser browser, int organizerId, long sellerId) =>
        await CallbackAsync(browser, await ConsentAsync(browser, await StartAsync(browser, organizerId), SandboxConsentRequest.Allow, sellerId));

    /// <summary>The value of a <c>data-testid</c>'d element's first text in a page (tags stripped, trimmed).</summary>
    public static string? TextOf(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>(?<text>.*?)</(?:span|div|dd|p)>", RegexOptions.Singleline);
        return match.Success ? WebUtility.HtmlDecode(Tags().Replace(match.Groups["text"].Value, "")).Trim() : null;
    }

    /// <summary>The message of the outcome alert (<c>?resultado=</c>) on the connection page, or "" when there is none.</summary>
    public static string OutcomeOf(string html)
    {
        var match = Regex.Match(html, "data-testid=\"mercadopago-outcome\"[\\s\\S]*?class=\"mud-alert-message\"[^>]*>(?<text>[\\s\\S]*?)</div>");
        return match.Success ? WebUtility.HtmlDecode(Tags().Replace(match.Groups["text"].Value, "")).Trim() : "";
    }

    /// <summary>The <c>data-status</c> of the status chip on the connection page.</summary>
    public static string? StatusOf(string html)
    {
        var match = Regex.Match(html, "data-testid=\"mercadopago-status\"[^>]*data-status=\"(?<s>[^\"]+)\"|data-status=\"(?<s>[^\"]+)\"[^>]*data-testid=\"mercadopago-status\"");
        return match.Success ? match.Groups["s"].Value : null;
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("<form[^>]*\\saction=\"(?<action>[^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
