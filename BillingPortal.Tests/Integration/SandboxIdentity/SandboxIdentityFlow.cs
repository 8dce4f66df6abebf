using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BillingPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace BillingPortal.Tests.Integration.SandboxIdentity;

/// <summary>One authorization request as the portal's OpenID Connect handler would make it: PKCE S256, state, nonce.</summary>
internal sealed class AuthorizationRequest(SandboxIdentityHost host)
{
    public const string AllScopes = "openid profile email roles offline_access";

    public string CodeVerifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));

    public string State { get; } = Base64Url(RandomNumberGenerator.GetBytes(16));

    public string Nonce { get; } = Base64Url(RandomNumberGenerator.GetBytes(16));

    public string Scope { get; init; } = AllScopes;

    public string RedirectUri { get; init; } = host.RedirectUri.AbsoluteUri;

    public string? CodeChallengeMethod { get; init; } = "S256";

    public string? Prompt { get; init; }

    public string CodeChallenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(CodeVerifier)));

    public Uri Uri
    {
        get
        {
            var query = new Dictionary<string, string?>
            {
                ["client_id"] = host.ClientId,
                ["redirect_uri"] = RedirectUri,
                ["response_type"] = "code",
                ["scope"] = Scope,
                ["state"] = State,
                ["nonce"] = Nonce,
            };
            if (CodeChallengeMethod is not null)
            {
                query["code_challenge"] = CodeChallenge;
                query["code_challenge_method"] = CodeChallengeMethod;
            }

            if (Prompt is not null)
            {
                query["prompt"] = Prompt;
            }

            return new Uri(QueryHelpers.AddQueryString(new Uri(host.Issuer, "connect/authorize").AbsoluteUri, query));
        }
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The login page's forms, read the way a browser submits them.</summary>
internal sealed record LoginForm(Uri Action, string AntiforgeryFieldName, string AntiforgeryToken, string ReturnUrl)
{
    public FormUrlEncodedContent Content(params (string Name, string Value)[] fields) =>
        new([
            new(AntiforgeryFieldName, AntiforgeryToken),
            new("returnUrl", ReturnUrl),
            .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)),
        ]);
}

/// <summary>Drives the provider like a browser plus the portal's back channel, over real HTTP.</summary>
internal static partial class SandboxIdentityFlow
{
    /// <summary>GET authorize → 302 to the login page → GET it → the forms' fields.</summary>
    public static async Task<LoginForm> OpenLoginPageAsync(HttpClient browser, AuthorizationRequest request, CancellationToken cancellationToken)
    {
        using var authorize = await browser.GetAsync(request.Uri, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var loginUri = new Uri(browser.BaseAddress!, authorize.Headers.Location!);
        Assert.EndsWith("/account/login", loginUri.AbsolutePath, StringComparison.Ordinal);

        using var page = await browser.GetAsync(loginUri, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return ReadLoginForm(new Uri(browser.BaseAddress!, loginUri.AbsolutePath), await page.Content.ReadAsStringAsync(cancellationToken));
    }

    public static LoginForm ReadLoginForm(Uri action, string html)
    {
        var antiforgery = AntiforgeryInput().Match(html);
        var returnUrl = ReturnUrlInput().Match(html);
        Assert.True(antiforgery.Success, "the login page has an antiforgery field");
        Assert.True(returnUrl.Success, "the login page carries the return URL");
        return new LoginForm(
            action,
            WebUtility.HtmlDecode(antiforgery.Groups["name"].Value),
            WebUtility.HtmlDecode(antiforgery.Groups["value"].Value),
            WebUtility.HtmlDecode(returnUrl.Groups["value"].Value));
    }

    /// <summary>The whole front channel: authorize, log in with the given form fields, follow back to authorize; returns the redirect to the portal.</summary>
    public static async Task<Uri> SignInAsync(
        HttpClient browser, AuthorizationRequest request, CancellationToken cancellationToken, params (string Name, string Value)[] loginFields)
    {
        var form = await OpenLoginPageAsync(browser, request, cancellationToken);
        using var login = await browser.PostAsync(form.Action, form.Content(loginFields), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var resumed = await browser.GetAsync(new Uri(browser.BaseAddress!, login.Headers.Location!), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        return resumed.Headers.Location!;
    }

    public static Task<Uri> SignInAsAccountAsync(HttpClient browser, AuthorizationRequest request, string subject, CancellationToken cancellationToken) =>
        SignInAsync(browser, request, cancellationToken, ("account", subject));

    /// <summary>The authorization code from a redirect to the portal, after checking it carries the request's state.</summary>
    public static string ReadCode(Uri redirect, AuthorizationRequest request)
    {
        Assert.StartsWith(request.RedirectUri, redirect.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(redirect.Query);
        Assert.Equal(request.State, query["state"].ToString());
        return query["code"].ToString();
    }

    /// <summary>The portal's back channel: POST token with client_secret_basic.</summary>
    public static async Task<HttpResponseMessage> PostTokenAsync(
        SandboxIdentityHost host, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken, string? clientSecret = null)
    {
        using var backChannel = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Issuer, "connect/token"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        var credentials = Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(host.ClientId)}:{Uri.EscapeDataString(clientSecret ?? host.ClientSecret)}");
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        return await backChannel.SendAsync(message, cancellationToken);
    }

    public static Task<HttpResponseMessage> RedeemCodeAsync(
        SandboxIdentityHost host, AuthorizationRequest request, string code, CancellationToken cancellationToken, string? codeVerifier = null) =>
        PostTokenAsync(host, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = request.RedirectUri,
            ["code_verifier"] = codeVerifier ?? request.CodeVerifier,
        }, cancellationToken);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.Clone();
    }

    /// <summary>The payload of a JWS, decoded without validation (tests validate the signature separately).</summary>
    public static JsonElement ReadJwtPayload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
        return document.RootElement.Clone();
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken)" value="(?<value>[^"]+)">""")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("""<input type="hidden" name="returnUrl" value="(?<value>[^"]+)">""")]
    private static partial Regex ReturnUrlInput();
}

/// <summary>One provider per test class.</summary>
public sealed class SandboxIdentityHostFixture : IAsyncLifetime
{
    private SandboxIdentityHost? _host;

    public SandboxIdentityHost Host => _host ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async ValueTask InitializeAsync() => _host = await SandboxIdentityHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
