using System.Security.Cryptography;
using BillingPortal.MercadoPago;
using Microsoft.Net.Http.Headers;

namespace BillingPortal.Security;

/// <summary>
/// Security headers on every response, pages and APIs alike:
/// <list type="bullet">
/// <item>A Content-Security-Policy that Blazor Server and MudBlazor work under: scripts only from this origin, plus the
/// one inline script Blazor renders (the import map), allowed by a per-request nonce (<see cref="NonceOf"/>); no
/// <c>'unsafe-eval'</c> nor <c>'wasm-unsafe-eval'</c> (nothing runs WebAssembly); inline styles allowed, because
/// MudBlazor sets <c>style</c> attributes and a theme <c>&lt;style&gt;</c> element; the circuit's WebSocket on this
/// origin; forms may post here and to the OpenID Connect provider (sign-out redirects there), and lead to Mercado Pago's
/// consent page («Conectar Mercado Pago» posts here and is redirected there).</item>
/// <item><c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: strict-origin-when-cross-origin</c>,
/// <c>X-Frame-Options: DENY</c> (older browsers; <c>frame-ancestors 'none'</c> for the rest).</item>
/// </list>
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, PortalSignInMode signIn, MercadoPagoMode mercadoPago)
{
    private const string NonceKey = "BillingPortal.CspNonce";

    /// <summary>The nonce of this response's Content-Security-Policy, for the inline scripts the portal itself renders.</summary>
    public static string? NonceOf(HttpContext? context) => context?.Items[NonceKey] as string;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Hex: a valid CSP nonce that needs no escaping in an HTML attribute (base64's "+" would be written as &#x2B;).
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        var headers = context.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = Policy(context, nonce);
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers[HeaderNames.XFrameOptions] = "DENY";
        return next(context);
    }

    private string Policy(HttpContext context, string nonce)
    {
        var host = context.Request.Host.Value;
        var socket = context.Request.IsHttps ? "wss://" : "ws://";
        var formAction = string.Join(' ', new[] { "'self'", signIn.AuthorityOrigin, mercadoPago.AuthorizationOrigin }.OfType<string>().Distinct(StringComparer.Ordinal));
        return string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            string.IsNullOrEmpty(host) ? "connect-src 'self'" : $"connect-src 'self' {socket}{host}",
            "frame-ancestors 'none'",
            $"form-action {formAction}",
            "base-uri 'self'",
            "object-src 'none'");
    }
}
