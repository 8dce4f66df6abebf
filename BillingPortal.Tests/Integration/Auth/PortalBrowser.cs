using System.Net;
using System.Text.RegularExpressions;
using BillingPortal.Tests.Integration.SandboxIdentity;

namespace BillingPortal.Tests.Integration.Auth;

/// <summary>
/// A browser without JavaScript: one cookie jar for the portal and the provider, no automatic redirects, and helpers to
/// read pages, submit forms with their antiforgery token and walk the sign-in redirects hop by hop.
/// </summary>
public sealed partial class PortalBrowser : IDisposable
{
    private readonly HttpClient _client;

    public PortalBrowser(Uri portal)
    {
        Portal = portal;
        Cookies = new CookieContainer();
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies })
        {
            BaseAddress = portal,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    /// <summary>What this browser sends as User-Agent (the audit log records it).</summary>
    public const string UserAgent = "BillingPortal.Tests/1.0";

    public Uri Portal { get; }

    public CookieContainer Cookies { get; }

    /// <summary>The callback's response headers of the last sign-in (where the session cookie is set).</summary>
    public IReadOnlyList<string> SignInSetCookies { get; private set; } = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Task<HttpResponseMessage> GetAsync(string pathOrUrl) => _client.GetAsync(pathOrUrl, Ct);

    public async Task<(HttpStatusCode Status, string Body)> GetPageAsync(string path)
    {
        using var response = await _client.GetAsync(path, Ct);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _client.SendAsync(request, Ct);

    /// <summary>The antiforgery token of the first form on <paramref name="path"/> (the page must render one).</summary>
    public async Task<string> AntiforgeryTokenAsync(string path)
    {
        using var response = await _client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, $"{path} renders a form with an antiforgery token");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    /// <summary>Posts a form (url-encoded) to the portal.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields) =>
        _client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))), Ct);

    /// <summary>
    /// Signs in through the portal's sign-in endpoint and the provider's login page, choosing with
    /// <paramref name="loginFields"/> (a demo account, or an email). Returns where the portal sends the browser at the end.
    /// </summary>
    public async Task<Uri> SignInAsync(string returnUrl, params (string Name, string Value)[] loginFields)
    {
        using var start = await _client.GetAsync("/cuenta/ingresar?returnUrl=" + Uri.EscapeDataString(returnUrl), Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.True(authorize.IsAbsoluteUri, "the portal sends the browser to the provider");

        using var toLogin = await _client.GetAsync(authorize, Ct);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginUri = new Uri(authorize, toLogin.Headers.Location!);
        using var loginPage = await _client.GetAsync(loginUri, Ct);
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var form = SandboxIdentityFlow.ReadLoginForm(new Uri(loginUri.GetLeftPart(UriPartial.Path)), await loginPage.Content.ReadAsStringAsync(Ct));

        using var login = await _client.PostAsync(form.Action, form.Content(loginFields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var resumed = await _client.GetAsync(new Uri(loginUri, login.Headers.Location!), Ct);
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        var callback = resumed.Headers.Location!;
        Assert.StartsWith(new Uri(Portal, "/signin-oidc").AbsoluteUri, callback.AbsoluteUri, StringComparison.Ordinal);

        using var signedIn = await _client.GetAsync(callback, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        SignInSetCookies = signedIn.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : [];
        return signedIn.Headers.Location!;
    }

    /// <summary>Follows redirects from <paramref name="response"/> (across the portal and the provider) and returns the last response.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response, int maxHops = 10)
    {
        ArgumentNullException.ThrowIfNull(response);
        var current = response;
        for (var hop = 0; hop < maxHops && current.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; hop++)
        {
            var next = new Uri(current.RequestMessage!.RequestUri!, current.Headers.Location!);
            current = await _client.GetAsync(next, Ct);
        }

        return current;
    }

    /// <summary>The value of a cookie the portal set, or null.</summary>
    public string? PortalCookie(string name) => Cookies.GetCookies(Portal)[name]?.Value;

    public void Dispose() => _client.Dispose();

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*value=""(?<value>[^""]+)""")]
    private static partial Regex AntiforgeryInput();
}
