using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The OAuth side of the emulator (§2): the consent page <c>{prefix}/authorization</c> (GET shows it, POST is the
/// seller's «Permitir»/«Denegar»), its stylesheet <c>{prefix}/_static/consent.css</c>, <c>POST {prefix}/oauth/token</c>
/// (JSON and form bodies; grants authorization_code and refresh_token), <c>GET {prefix}/users/me</c>, and the OAuth admin
/// routes (<see cref="SandboxOAuthAdminEndpoints"/>).
/// </summary>
public static class SandboxOAuthEndpoints
{
    public const string GrantAuthorizationCode = "authorization_code";
    public const string GrantRefreshToken = "refresh_token";

    /// <summary>
    /// The deny redirect's <c>error_description</c>. Mercado Pago's deny redirect is not documented (UNCONFIRMED, §2.1):
    /// the emulator answers like RFC 6749 §4.1.2.1, <c>?error=access_denied&amp;error_description=…&amp;state=…</c>.
    /// </summary>
    public const string AccessDeniedDescription = "The seller denied the authorization request.";

    /// <summary>The body fields <c>/oauth/token</c> knows (§2.3); any other answers invalid_request (unknown parameters cause errors).</summary>
    private static readonly HashSet<string> TokenFields =
        ["client_id", "client_secret", "grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "test_token"];

    private const int MaxTokenBodyBytes = 16 * 1024;

    public static void Map(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/authorization", ShowConsentAsync);
        group.MapPost("/authorization", DecideAsync);
        group.MapGet(SandboxConsentPage.StylesheetPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(SandboxConsentPage.Stylesheet, "text/css; charset=utf-8");
        });
        group.MapPost("/oauth/token", TokenAsync);
        group.MapGet("/users/me", MeAsync);
        SandboxOAuthAdminEndpoints.Map(group);
    }

    /// <summary>Services of the OAuth side: the consent form's anti-CSRF protector (a random key per process).</summary>
    public static IServiceCollection AddSandboxOAuth(this IServiceCollection services)
    {
        services.TryAddSingleton<SandboxConsentProtector>();
        return services;
    }

    // ---- consent page ----

    private static async Task<IResult> ShowConsentAsync(
        HttpContext context, IOptions<MercadoPagoSandboxOptions> options, SandboxAccounts accounts, SandboxConsentProtector protector, CancellationToken cancellationToken)
    {
        var request = SandboxConsentRequest.FromQuery(context.Request.Query);
        var problem = request.Validate(options.Value, context.Request);
        if (problem is not null) return ErrorPage(context, problem);

        var binding = context.Request.Cookies[protector.CookieName];
        if (binding is not { Length: 32 } || !binding.All(char.IsAsciiHexDigitLower))
        {
            binding = SandboxConsentProtector.NewBinding();
            context.Response.Cookies.Append(protector.CookieName, binding, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = ActionPath(context),
                IsEssential = true,
            });
        }

        var sellers = await accounts.ListSellersAsync(cancellationToken);
        return ConsentPage(context, options.Value, request, protector.Protect(binding, request), sellers, null, null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> DecideAsync(
        HttpContext context, IOptions<MercadoPagoSandboxOptions> options, SandboxAccounts accounts, SandboxConsentProtector protector,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType) return ErrorPage(context, "La solicitud no es un formulario de autorización.");
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var request = SandboxConsentRequest.FromForm(form);
        var settings = options.Value;
        var problem = request.Validate(settings, context.Request);
        if (problem is not null) return ErrorPage(context, problem);
        if (!protector.Validate(context.Request.Cookies[protector.CookieName], form[SandboxConsentRequest.CsrfField].ToString(), request))
            return ErrorPage(context, "La página de autorización caducó o no se abrió en este navegador. Vuelve a la aplicación e inicia la conexión otra vez.");

        NoStore(context);
        var decision = form[SandboxConsentRequest.DecisionField].ToString();
        if (string.Equals(decision, SandboxConsentRequest.Deny, StringComparison.Ordinal))
        {
            return Results.Redirect(Callback(request,
                Pair("error", "access_denied"),
                Pair("error_description", AccessDeniedDescription)));
        }

        if (!string.Equals(decision, SandboxConsentRequest.Allow, StringComparison.Ordinal)) return ErrorPage(context, "Elige «Permitir» o «Denegar».");

        var seller = long.TryParse(form[SandboxConsentRequest.SellerField].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var sellerId)
            ? await accounts.GetSellerAsync(sellerId, cancellationToken)
            : null;
        if (seller is null)
        {
            var sellers = await accounts.ListSellersAsync(cancellationToken);
            var token = protector.Protect(context.Request.Cookies[protector.CookieName]!, request);
            return ConsentPage(context, settings, request, token, sellers, null, "Elige una de las cuentas de Mercado Pago de la lista.", StatusCodes.Status400BadRequest);
        }

        var code = await accounts.IssueCodeAsync(seller.Id, settings.ClientId, request.RedirectUri!, request.CodeChallenge, request.CodeChallengeMethod,
            settings.AuthorizationCodeLifetime, cancellationToken);
        await NotifyAsync(context, loggers, seller.Id, MercadoPagoNotificationTypes.ApplicationAuthorized, cancellationToken);
        return Results.Redirect(Callback(request, Pair("code", code)));
    }

    /// <summary>
    /// Queues an <c>mp-connect</c> notification (§2.7) when the emulator's webhook sender is registered; a failure to
    /// queue never undoes what the seller did.
    /// </summary>
    internal static async Task<string?> NotifyAsync(HttpContext context, ILoggerFactory loggers, long sellerId, string action, CancellationToken cancellationToken)
    {
        var notifier = context.RequestServices.GetService<ISandboxNotifier>();
        if (notifier is null) return null;
        try
        {
            return await notifier.NotifyConnectAsync(sellerId, action, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(SandboxOAuthEndpoints)).LogWarning(ex, "Sandbox: could not queue the mp-connect {Action} notification for seller {SellerId}", action, sellerId);
            return null;
        }
    }

    private static string Callback(SandboxConsentRequest request, params KeyValuePair<string, string?>[] parameters)
    {
        KeyValuePair<string, string?>[] all = request.State is null ? parameters : [.. parameters, Pair("state", request.State)];
        return QueryHelpers.AddQueryString(request.RedirectUri!, all);
    }

    private static KeyValuePair<string, string?> Pair(string name, string? value) => new(name, value);

    private static IResult ConsentPage(
        HttpContext context, MercadoPagoSandboxOptions options, SandboxConsentRequest request, string csrfToken,
        IReadOnlyList<SandboxSeller> sellers, long? selected, string? error, int status)
    {
        NoStore(context);
        var redirectOrigin = new Uri(request.RedirectUri!).GetLeftPart(UriPartial.Authority);
        Policy(context, $"'self' {redirectOrigin}");
        var html = SandboxConsentPage.Consent(ActionPath(context), StylesheetUrl(context), options.ApplicationName, request, csrfToken, sellers, selected, error);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static IResult ErrorPage(HttpContext context, string message)
    {
        NoStore(context);
        Policy(context, "'none'");
        return Results.Content(SandboxConsentPage.Error(StylesheetUrl(context), message), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status400BadRequest);
    }

    /// <summary>Standalone, the page sets its own policy; in-process the portal's (already on the response) stays.</summary>
    private static void Policy(HttpContext context, string formAction)
    {
        var headers = context.Response.Headers;
        if (!headers.ContainsKey("Content-Security-Policy"))
        {
            headers["Content-Security-Policy"] =
                $"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
        }

        if (!headers.ContainsKey("X-Frame-Options")) headers["X-Frame-Options"] = "DENY";
        if (!headers.ContainsKey("X-Content-Type-Options")) headers["X-Content-Type-Options"] = "nosniff";
    }

    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }

    /// <summary>The consent page's own path (PathBase and the group's prefix included): where its form posts.</summary>
    private static string ActionPath(HttpContext context) => (context.Request.PathBase + context.Request.Path).Value!.TrimEnd('/');

    private static string StylesheetUrl(HttpContext context)
    {
        var path = ActionPath(context);
        var prefix = path.EndsWith("/authorization", StringComparison.OrdinalIgnoreCase) ? path[..^"/authorization".Length] : "";
        return prefix + SandboxConsentPage.StylesheetPath;
    }

    // ---- token endpoint ----

    private static async Task<IResult> TokenAsync(
        HttpContext context, IOptions<MercadoPagoSandboxOptions> options, SandboxAccounts accounts, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        NoStore(context);
        var (fields, problem) = await ReadTokenRequestAsync(context.Request, cancellationToken);
        if (problem is not null) return InvalidRequest(problem);

        var grantType = fields.GetValueOrDefault("grant_type");
        var clientId = fields.GetValueOrDefault("client_id");
        var clientSecret = fields.GetValueOrDefault("client_secret");
        if (grantType is null) return InvalidRequest("grant_type is required");
        if (clientId is null) return InvalidRequest("client_id is required");
        if (clientSecret is null) return InvalidRequest("client_secret is required");
        if (grantType is not (GrantAuthorizationCode or GrantRefreshToken))
            return SandboxErrors.OAuth(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");

        var settings = options.Value;
        if (!IsClient(settings, clientId, clientSecret)) return SandboxErrors.InvalidClient();

        SandboxGrantResult result;
        if (grantType == GrantAuthorizationCode)
        {
            var code = fields.GetValueOrDefault("code");
            var redirectUri = fields.GetValueOrDefault("redirect_uri");
            if (code is null) return InvalidRequest("code is required");
            if (redirectUri is null) return InvalidRequest("redirect_uri is required");
            result = await accounts.RedeemCodeAsync(code, clientId, redirectUri, fields.GetValueOrDefault("code_verifier"), settings.AccessTokenLifetime, cancellationToken);
        }
        else
        {
            var refreshToken = fields.GetValueOrDefault("refresh_token");
            if (refreshToken is null) return InvalidRequest("refresh_token is required");
            result = await accounts.RotateRefreshTokenAsync(refreshToken, clientId, settings.AccessTokenLifetime, cancellationToken);
        }

        if (result.Tokens is not { } tokens)
        {
            loggers.CreateLogger(typeof(SandboxOAuthEndpoints)).LogInformation("Sandbox /oauth/token {GrantType}: invalid_grant ({Reason})", grantType, result.Failure);
            return SandboxErrors.InvalidGrant();
        }

        var seller = await accounts.GetSellerAsync(tokens.SellerId, cancellationToken);
        return TokenResult(context, settings, tokens, seller);
    }

    /// <summary>The answer of §2.4, the same for both grants (and for the admin's direct issue).</summary>
    internal static IResult TokenResult(HttpContext context, MercadoPagoSandboxOptions options, SandboxIssuedTokens tokens, SandboxSeller? seller)
    {
        var body = new MpOAuthToken
        {
            AccessToken = tokens.AccessToken,
            TokenType = "bearer",
            ExpiresIn = (long)options.AccessTokenLifetime.TotalSeconds,
            Scope = tokens.Scope,
            UserId = tokens.SellerId,
            RefreshToken = tokens.RefreshToken,
            PublicKey = seller?.PublicKey ?? SandboxAccounts.PublicKeyFor(tokens.SellerId),
            LiveMode = true,
        };
        return Json(context, JsonSerializer.SerializeToUtf8Bytes(body, MercadoPagoJsonContext.Default.MpOAuthToken));
    }

    private static bool IsClient(MercadoPagoSandboxOptions options, string clientId, string clientSecret) =>
        string.Equals(clientId, options.ClientId, StringComparison.Ordinal)
        & CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(options.ClientSecret ?? ""));

    private static IResult InvalidRequest(string message) => SandboxErrors.OAuth(400, "invalid_request", message);

    /// <summary>
    /// The body's fields, from JSON (what the API reference and the SDKs send) or a form (what the marketplace guides
    /// show); the query string is never read (§2.3: parameters go in the body).
    /// </summary>
    private static async Task<(Dictionary<string, string> Fields, string? Problem)> ReadTokenRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.ContentLength > MaxTokenBodyBytes) return (fields, "the body is too large");
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (name, values) in form)
            {
                if (values.Count > 1) return (fields, $"parameter {name} is repeated");
                if (!string.IsNullOrEmpty(values[0])) fields[name] = values[0]!;
            }
        }
        else if (request.HasJsonContentType())
        {
            var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxTokenBodyBytes) return (fields, "the body is too large");
                buffer.Write(chunk, 0, read);
            }

            try
            {
                using var document = JsonDocument.Parse(buffer.ToArray());
                if (document.RootElement.ValueKind != JsonValueKind.Object) return (fields, "the body must be a JSON object");
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    var value = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number => property.Value.GetRawText(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.Null => null,
                        _ => "\u0000",
                    };
                    if (value == "\u0000") return (fields, $"parameter {property.Name} must be a string");
                    if (fields.ContainsKey(property.Name)) return (fields, $"parameter {property.Name} is repeated");
                    if (!string.IsNullOrEmpty(value)) fields[property.Name] = value;
                }
            }
            catch (JsonException)
            {
                return (fields, "the body is not valid JSON");
            }
        }
        else
        {
            return (fields, "the body must be application/json or application/x-www-form-urlencoded");
        }

        var unknown = fields.Keys.FirstOrDefault(name => !TokenFields.Contains(name));
        return unknown is null ? (fields, null) : (fields, $"unknown parameter: {unknown}");
    }

    // ---- users/me ----

    private static async Task<IResult> MeAsync(HttpContext context, SandboxAccounts accounts, CancellationToken cancellationToken)
    {
        var check = await accounts.CheckAccessTokenAsync(BearerToken(context.Request), cancellationToken);
        if (check.State != SandboxTokenState.Valid) return SandboxErrors.Unauthorized();
        var seller = await accounts.GetSellerAsync(check.SellerId, cancellationToken);
        if (seller is null) return SandboxErrors.Unauthorized();
        var user = new MpUser
        {
            Id = seller.Id,
            Nickname = seller.Nickname,
            FirstName = seller.FirstName,
            LastName = seller.LastName,
            Email = seller.Email,
            SiteId = seller.SiteId,
            CountryId = seller.CountryId,
        };
        return Json(context, JsonSerializer.SerializeToUtf8Bytes(user, MercadoPagoJsonContext.Default.MpUser));
    }

    /// <summary>The token of <c>Authorization: Bearer …</c>, or null.</summary>
    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length ? header[scheme.Length..].Trim() : null;
    }

    private static IResult Json(HttpContext context, byte[] body)
    {
        if (!context.Response.Headers.ContainsKey("x-request-id")) context.Response.Headers["x-request-id"] = Guid.NewGuid().ToString();
        return Results.Bytes(body, "application/json; charset=utf-8");
    }
}
