using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>The consent page's parameters (§2.1), read from the query (GET) or from the form's hidden fields (POST).</summary>
public sealed record SandboxConsentRequest(
    string? ClientId,
    string? ResponseType,
    string? PlatformId,
    string? State,
    string? RedirectUri,
    string? CodeChallenge,
    string? CodeChallengeMethod)
{
    public const string ClientIdField = "client_id";
    public const string ResponseTypeField = "response_type";
    public const string PlatformIdField = "platform_id";
    public const string StateField = "state";
    public const string RedirectUriField = "redirect_uri";
    public const string CodeChallengeField = "code_challenge";
    public const string CodeChallengeMethodField = "code_challenge_method";

    /// <summary>The anti-CSRF token of the form (see <see cref="SandboxConsentProtector"/>).</summary>
    public const string CsrfField = "csrf_token";

    /// <summary>The chosen seller's user id.</summary>
    public const string SellerField = "seller_id";

    /// <summary>Which button: <see cref="Allow"/> or <see cref="Deny"/>.</summary>
    public const string DecisionField = "decision";

    public const string Allow = "allow";
    public const string Deny = "deny";

    /// <summary>The parameters as the form carries them back, in a fixed order.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Fields =>
    [
        new(ClientIdField, ClientId),
        new(ResponseTypeField, ResponseType),
        new(PlatformIdField, PlatformId),
        new(StateField, State),
        new(RedirectUriField, RedirectUri),
        new(CodeChallengeField, CodeChallenge),
        new(CodeChallengeMethodField, CodeChallengeMethod),
    ];

    public static SandboxConsentRequest FromQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new SandboxConsentRequest(
            Single(query[ClientIdField]), Single(query[ResponseTypeField]), Single(query[PlatformIdField]), Single(query[StateField]),
            Single(query[RedirectUriField]), Single(query[CodeChallengeField]), Single(query[CodeChallengeMethodField]));
    }

    public static SandboxConsentRequest FromForm(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new SandboxConsentRequest(
            Single(form[ClientIdField]), Single(form[ResponseTypeField]), Single(form[PlatformIdField]), Single(form[StateField]),
            Single(form[RedirectUriField]), Single(form[CodeChallengeField]), Single(form[CodeChallengeMethodField]));
    }

    /// <summary>A repeated parameter is ambiguous: it reads as a value that no check accepts.</summary>
    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count switch
    {
        0 => null,
        1 => string.IsNullOrEmpty(values[0]) ? null : values[0],
        _ => "\u0000repeated",
    };

    /// <summary>
    /// The checks of the consent page; a failure is an error page (HTTP 400), never a redirect, because the redirect_uri
    /// itself may be what is wrong. Returns null when the request is acceptable, else a Spanish explanation.
    /// </summary>
    public string? Validate(MercadoPagoSandboxOptions options, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        if (ClientId is null) return "Falta el parámetro client_id.";
        if (!string.Equals(ClientId, options.ClientId, StringComparison.Ordinal)) return "La aplicación indicada en client_id no existe.";
        if (!string.Equals(ResponseType, "code", StringComparison.Ordinal)) return "response_type debe ser «code».";
        if (!string.Equals(PlatformId, "mp", StringComparison.Ordinal)) return "platform_id debe ser «mp».";
        if (State is { Length: > 2048 }) return "El parámetro state es demasiado largo.";
        if (RedirectUri is null) return "Falta el parámetro redirect_uri.";
        if (!IsRegisteredRedirect(options, request)) return "redirect_uri no coincide con ninguna URL de redirección registrada en la aplicación.";
        if (CodeChallenge is null)
        {
            if (CodeChallengeMethod is not null) return "code_challenge_method llegó sin code_challenge.";
            if (options.RequirePkce) return "La aplicación exige PKCE: faltan code_challenge y code_challenge_method=S256.";
            return null;
        }

        return (CodeChallengeMethod ?? "plain") switch
        {
            "S256" when CodeChallenge.Length != 43 || !Core.MercadoPago.Pkce.IsValidVerifier(CodeChallenge) => "code_challenge no es un desafío S256 válido (43 caracteres base64url).",
            "S256" => null,
            "plain" when !options.AllowPlainPkce => "code_challenge_method debe ser S256.",
            "plain" when !Core.MercadoPago.Pkce.IsValidVerifier(CodeChallenge) => "code_challenge debe tener de 43 a 128 caracteres [A-Za-z0-9-._~].",
            "plain" => null,
            _ => "code_challenge_method no es válido: use S256.",
        };
    }

    /// <summary>
    /// Exact match with a registered URL (§2.1); with none registered, any absolute http(s) URL on the request's own
    /// origin (the in-process demo, and tests). Never with a fragment (RFC 6749 §3.1.2).
    /// </summary>
    private bool IsRegisteredRedirect(MercadoPagoSandboxOptions options, HttpRequest request)
    {
        if (!Uri.TryCreate(RedirectUri, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo)) return false;
        if (options.RedirectUris.Count > 0) return options.RedirectUris.Contains(RedirectUri!, StringComparer.Ordinal);
        if (!request.Host.HasValue) return false;
        var own = new Uri($"{request.Scheme}://{request.Host.Value}/");
        return Uri.Compare(uri, own, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
    }
}

/// <summary>
/// The consent form's anti-CSRF token: an HMAC-SHA256, under a random per-process key, of a random value kept in an
/// HttpOnly, SameSite=Strict cookie of the consent page, the time it was issued and every parameter of the request. A
/// POST is accepted only from a browser that loaded the page (it has the cookie), within <see cref="Lifetime"/>, with
/// the parameters it was shown (a changed redirect_uri or state breaks the MAC).
/// </summary>
public sealed class SandboxConsentProtector(SandboxClock clock)
{
    /// <summary>How long a rendered consent page can be submitted.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>Per process, so two emulators on one host (different ports share cookies) do not overwrite each other's.</summary>
    public string CookieName { get; } = "mp_sandbox_consent_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>A new cookie value.</summary>
    public static string NewBinding() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string Protect(string binding, SandboxConsentRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(binding);
        ArgumentNullException.ThrowIfNull(request);
        var issued = clock.GetUtcNow().ToUnixTimeSeconds();
        return issued.ToString(CultureInfo.InvariantCulture) + "." + Base64Url.EncodeToString(Mac(binding, issued, request));
    }

    public bool Validate(string? binding, string? token, SandboxConsentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(binding) || string.IsNullOrEmpty(token)) return false;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var issued)) return false;
        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued);
        if (age < TimeSpan.FromMinutes(-1) || age > Lifetime) return false;
        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, Mac(binding, issued, request));
    }

    private byte[] Mac(string binding, long issued, SandboxConsentRequest request)
    {
        // Length-prefixed fields: no value can be shifted into its neighbour.
        var text = new StringBuilder("mp-consent-v1");
        void Add(string? value) => text.Append('|').Append(value?.Length.ToString(CultureInfo.InvariantCulture) ?? "-").Append(':').Append(value);
        Add(binding);
        Add(issued.ToString(CultureInfo.InvariantCulture));
        foreach (var field in request.Fields) Add(field.Value);
        return HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text.ToString()));
    }
}
