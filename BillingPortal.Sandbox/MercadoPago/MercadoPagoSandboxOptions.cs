namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// Section <c>Sandbox:MercadoPago</c>: the Mercado Pago emulator. Hosted in-process under <see cref="PathPrefix"/> when no
/// real Mercado Pago is configured (the demo), or standalone on its own port (<see cref="MercadoPagoSandboxServer"/>,
/// tests) with an empty prefix. One emulated platform application (the portal's OAuth client) and the sellers of the
/// demo data.
/// </summary>
public sealed class MercadoPagoSandboxOptions
{
    public const string SectionName = "Sandbox:MercadoPago";

    /// <summary>In-process prefix; "" standalone.</summary>
    public string PathPrefix { get; set; } = "/sandbox/mercadopago";

    /// <summary>The emulated application's id (digits, like a real APP_ID).</summary>
    public string ClientId { get; set; } = "8800112233445566";

    /// <summary>The application's secret; null: a random one per process (the in-process portal reads it from here).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Redirect URLs registered in the application (exact match). Empty: any absolute URL on the request's own origin.</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>"Enable PKCE verification" switched on: code_challenge (S256) mandatory.</summary>
    public bool RequirePkce { get; set; } = true;

    /// <summary>Accept <c>code_challenge_method=plain</c> (RFC 7636 allows it when S256 is impossible); off: S256 only.</summary>
    public bool AllowPlainPkce { get; set; }

    /// <summary>The application's name on the consent page.</summary>
    public string ApplicationName { get; set; } = "BillingPortal";

    /// <summary>The marketplace's (platform's) own user id, written as payments' marketplace_owner.</summary>
    public long MarketplaceUserId { get; set; } = 112233445;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(15552000);

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>offset + limit beyond this answers error 1000 "Number of rows exceeded the limits".</summary>
    public int SearchRowLimit { get; set; } = 10_000;

    /// <summary>The largest <c>limit</c> a search accepts.</summary>
    public int SearchMaxLimit { get; set; } = 1_000;

    public SandboxWebhookOptions Webhooks { get; set; } = new();

    public SandboxLiveModeOptions LiveMode { get; set; } = new();
}

/// <summary>Notifications the emulator sends (§5): to <see cref="Url"/>, signed with <see cref="Secret"/>, retried like Mercado Pago.</summary>
public sealed class SandboxWebhookOptions
{
    /// <summary>Where notifications go (the portal's receiver); null: none are sent.</summary>
    public string? Url { get; set; }

    /// <summary>The signature secret; null: a random one per process (the in-process portal reads it from here).</summary>
    public string? Secret { get; set; }

    /// <summary>Mercado Pago retries every 15 minutes; tests shorten it.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>After this many attempts the interval grows (doubles each time).</summary>
    public int AttemptsBeforeBackoff { get; set; } = 3;

    /// <summary>Give up after this many attempts (Mercado Pago's horizon is undocumented).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>An answer must come within this (Mercado Pago: 22 s).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(22);
}

/// <summary>The demo's live mode: a new sale every <see cref="Interval"/> for the demo sellers.</summary>
public sealed class SandboxLiveModeOptions
{
    public bool Enabled { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}
