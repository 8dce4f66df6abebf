namespace BillingPortal.MercadoPago;

/// <summary>
/// How this server reaches Mercado Pago, decided once at start-up: the real service (a <c>MercadoPago:ClientId</c> is
/// configured) or the emulator hosted in-process under <see cref="SandboxPrefix"/> (<c>MercadoPago:UseSandbox</c>, or by
/// default with no client id in Development or demo mode).
/// </summary>
/// <param name="UsesSandbox">Whether the emulator runs inside this portal.</param>
/// <param name="SandboxPrefix">The emulator's path prefix (<c>Sandbox:MercadoPago:PathPrefix</c>, <c>/sandbox/mercadopago</c> by default).</param>
/// <param name="AuthorizationOrigin">The real consent page's origin (<c>https://auth.mercadopago.com.pe</c>), for the CSP's form-action; null with the sandbox.</param>
/// <param name="Configured">Whether linking can work at all: the sandbox, or a configured client id.</param>
public sealed record MercadoPagoMode(bool UsesSandbox, string SandboxPrefix, string? AuthorizationOrigin, bool Configured)
{
    /// <summary>Whether <paramref name="path"/> is under the in-process emulator's prefix.</summary>
    public bool IsSandboxPath(PathString path) => UsesSandbox && SandboxPrefix.Length > 1 && path.StartsWithSegments(SandboxPrefix);
}
