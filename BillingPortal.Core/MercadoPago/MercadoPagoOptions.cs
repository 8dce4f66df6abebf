using System.ComponentModel.DataAnnotations;

namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// Section <c>MercadoPago</c>: the platform's Mercado Pago application (OAuth client), where the API and the consent
/// page live, the client's resilience budget and the renewal of linked sellers' tokens. With no <see cref="ClientId"/>
/// in Development or demo mode the portal uses the in-process sandbox (<see cref="UseSandbox"/>).
/// </summary>
public sealed class MercadoPagoOptions
{
    public const string SectionName = "MercadoPago";

    /// <summary>Real API host (§1). Ignored when the sandbox is in use.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.mercadopago.com";

    /// <summary>Consent page; Peru's host by default (§2.1). Ignored when the sandbox is in use.</summary>
    public string AuthorizationUrl { get; set; } = "https://auth.mercadopago.com.pe/authorization";

    /// <summary>The platform application's id (APP_ID).</summary>
    public string? ClientId { get; set; }

    /// <summary>The application's secret: from configuration or the environment only, never from the repository.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The redirect URL registered in the application, exactly (§2.1); null: <c>{portal}/mercadopago/callback</c> from the
    /// request's own origin (fine for the sandbox; set it in production).
    /// </summary>
    public string? RedirectUri { get; set; }

    /// <summary>null: the sandbox when no <see cref="ClientId"/> is configured in Development or demo mode.</summary>
    public bool? UseSandbox { get; set; }

    public MercadoPagoClientOptions Client { get; set; } = new();

    public MercadoPagoTokenRenewalOptions TokenRenewal { get; set; } = new();

    public MercadoPagoWebhookOptions Webhooks { get; set; } = new();

    /// <summary>How long a consent attempt (state + PKCE verifier) stays valid.</summary>
    public TimeSpan AuthorizationLifetime { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>The typed client's resilience budget (Microsoft.Extensions.Http.Resilience).</summary>
public sealed class MercadoPagoClientOptions
{
    /// <summary>Retries after the first try (429, 5xx, timeouts; POST only with an idempotency key).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay (exponential with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one backoff delay, and of a Retry-After the client agrees to wait.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Failure ratio over <see cref="CircuitBreakerSamplingDuration"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>The renewal of linked sellers' tokens (180-day access tokens, single-use refresh tokens, §2.5).</summary>
public sealed class MercadoPagoTokenRenewalOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Renew a link this long before its access token expires.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the renewal job looks for links due.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one instance holds a link's renewal lease (another instance waits it out).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>The webhook receiver (<c>POST /api/webhooks/mercadopago</c>, §5).</summary>
public sealed class MercadoPagoWebhookOptions
{
    /// <summary>The application's signature secret (from configuration or the environment).</summary>
    public string? Secret { get; set; }

    /// <summary>The previous secret, still accepted while Mercado Pago's is being rotated.</summary>
    public string? SecondarySecret { get; set; }

    /// <summary>How far <c>ts</c> may be from now (replays older than this are refused).</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest body accepted.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}
