using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BillingPortal.Core.MercadoPago;
using Microsoft.AspNetCore.WebUtilities;

namespace BillingPortal.Tests.Integration.MercadoPago.OAuth;

/// <summary>
/// Drives the emulator's consent page the way a browser would, with an HttpClient that keeps cookies and does not
/// follow redirects: GET the page, read its form, POST «Permitir» or «Denegar», read the Location.
/// </summary>
public sealed partial class SandboxConsentDriver : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() });

    /// <summary>A consent URL on the emulator with the given parameters (null ones left out).</summary>
    public static Uri ConsentUrl(Uri authorizationEndpoint, IDictionary<string, string?> parameters) =>
        new(QueryHelpers.AddQueryString(authorizationEndpoint.AbsoluteUri, parameters.Where(p => p.Value is not null)));

    /// <summary>The parameters a well-formed request carries (§2.1).</summary>
    public static Dictionary<string, string?> Parameters(string clientId, string redirectUri, string? state, string? challenge) => new()
    {
        ["client_id"] = clientId,
        ["response_type"] = "code",
        ["platform_id"] = "mp",
        ["state"] = state,
        ["redirect_uri"] = redirectUri,
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = challenge is null ? null : "S256",
    };

    public Task<HttpResponseMessage> GetAsync(Uri url, CancellationToken cancellationToken) => _http.GetAsync(url, cancellationToken);

    /// <summary>Opens the page (asserting a 200) and reads its form.</summary>
    public async Task<ConsentForm> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(url, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"consent page answered {(int)response.StatusCode}: {html}");
        return ConsentForm.Parse(new Uri(url, "/"), html);
    }

    /// <summary>Posts the form with a decision (and a seller), expecting a redirect; returns its Location.</summary>
    public async Task<Uri> DecideAsync(ConsentForm form, string decision, long? sellerId, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(form, decision, sellerId, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"consent POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return response.Headers.Location!;
    }

    public Task<HttpResponseMessage> PostAsync(ConsentForm form, string decision, long? sellerId, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>(form.Hidden) { new("decision", decision) };
        if (sellerId is { } id) fields.Add(new("seller_id", id.ToString(CultureInfo.InvariantCulture)));
        return _http.PostAsync(form.Action, new FormUrlEncodedContent(fields), cancellationToken);
    }

    /// <summary>The whole consent for a seller: returns the callback URL the emulator redirected to.</summary>
    public async Task<Uri> AllowAsync(Uri consentUrl, long sellerId, CancellationToken cancellationToken) =>
        await DecideAsync(await OpenAsync(consentUrl, cancellationToken), "allow", sellerId, cancellationToken);

    /// <summary>A consent with a fresh PKCE pair on the fixture's callback: the code, and the verifier to redeem it.</summary>
    public async Task<(string Code, string Verifier)> AuthorizeAsync(SandboxOAuthFixture fixture, long sellerId, string redirectUri, CancellationToken cancellationToken)
    {
        var verifier = Pkce.CreateVerifier();
        var url = ConsentUrl(fixture.Server.AuthorizationEndpoint, Parameters(fixture.Server.Options.ClientId, redirectUri, "st-" + Guid.NewGuid().ToString("N"), Pkce.ChallengeS256(verifier)));
        var callback = await AllowAsync(url, sellerId, cancellationToken);
        return (QueryHelpers.ParseQuery(callback.Query)["code"].ToString(), verifier);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The consent form as rendered: where it posts, its hidden fields, the sellers offered.</summary>
    public sealed record ConsentForm(Uri Action, IReadOnlyList<KeyValuePair<string, string>> Hidden, IReadOnlyList<long> SellerIds, string Html)
    {
        public string? Field(string name) => Hidden.FirstOrDefault(f => f.Key == name).Value;

        public ConsentForm With(string name, string value) =>
            this with { Hidden = [.. Hidden.Select(f => f.Key == name ? new KeyValuePair<string, string>(name, value) : f)] };

        public static ConsentForm Parse(Uri origin, string html)
        {
            var action = FormAction().Match(html);
            Assert.True(action.Success, "no form on the consent page");
            var hidden = HiddenInput().Matches(html)
                .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
                .ToList();
            var sellers = SellerOption().Matches(html).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            return new ConsentForm(new Uri(origin, WebUtility.HtmlDecode(action.Groups[1].Value)), hidden, sellers, html);
        }
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<option value=\"(\\d+)\"")]
    private static partial Regex SellerOption();
}
