using System.Globalization;
using System.Threading.RateLimiting;
using BillingPortal.Core.Identity;
using BillingPortal.Endpoints;
using BillingPortal.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BillingPortal.Security;

/// <summary>A per-user and per-organizer limit of a portal action, per <see cref="RateLimitOptions.Window"/>.</summary>
public sealed class PortalRateLimit
{
    public int PerUser { get; set; }

    public int PerOrganizer { get; set; }
}

/// <summary>A per-key and per-organizer limit of the organizer API, per <see cref="RateLimitOptions.Window"/>.</summary>
public sealed class ApiRateLimit
{
    public int PerKey { get; set; }

    public int PerOrganizer { get; set; }
}

/// <summary>Rate limits (configuration section <c>RateLimits</c>), fixed windows, validated at start-up.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>The window every limit counts in.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>POST /estados-de-cuenta/generar</c>.</summary>
    public PortalRateLimit StatementGeneration { get; set; } = new() { PerUser = 10, PerOrganizer = 30 };

    /// <summary><c>GET /estados-de-cuenta/archivos/{id}</c>.</summary>
    public PortalRateLimit StatementDownload { get; set; } = new() { PerUser = 60, PerOrganizer = 120 };

    /// <summary><c>/api/v1/*</c>.</summary>
    public ApiRateLimit Api { get; set; } = new() { PerKey = 120, PerOrganizer = 240 };

    internal bool IsValid() =>
        Window >= TimeSpan.FromSeconds(1) && Window <= TimeSpan.FromHours(1)
        && StatementGeneration is { PerUser: > 0, PerOrganizer: > 0 }
        && StatementDownload is { PerUser: > 0, PerOrganizer: > 0 }
        && Api is { PerKey: > 0, PerOrganizer: > 0 };
}

/// <summary>What a limited request is.</summary>
public enum RateLimitedAction
{
    StatementGeneration,
    StatementDownload,
    Api,
}

/// <summary>
/// The portal's rate limits (issue #7 §7), on ASP.NET Core's rate limiter: one global limiter chaining a limiter per caller
/// (signed-in user, or API key) and one per organizer, each a fixed window per action. Partition keys are ids
/// (<c>gen:u:42</c>, <c>api:o:7</c>), never emails or tokens. The organizer of a portal request only counts once the
/// caller is known to be allowed to open it (<see cref="UsePortalRateLimits"/> checks it before the limiter), so nobody can
/// spend another organizer's quota. A rejection is a 429 with <c>Retry-After</c> and a ProblemDetails body; a browser
/// navigating (the statements form, a download link) is sent back to the statements page, which explains it in Spanish.
/// </summary>
public static class PortalRateLimits
{
    /// <summary>The query parameters of the statements page that tell it a limit was reached, and for how long.</summary>
    public const string LimitQuery = "limite";

    public const string RetryQuery = "espera";

    private const string OrganizerItem = "BillingPortal.RateLimit.Organizer";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .Validate(o => o.IsValid(), "RateLimits: every limit must be positive and the window between 1 second and 1 hour.")
            .ValidateOnStart();
        services.AddSingleton<PortalRateLimiters>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<PortalRateLimiters>((o, limiters) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            if (limiters.Global is { } global) o.GlobalLimiter = global;
            o.OnRejected = (context, _) => new ValueTask(RejectAsync(context, limiters));
        });
        return services;
    }

    /// <summary>Resolves the organizer of statement requests (members only), then applies the limits. After authorization.</summary>
    public static WebApplication UsePortalRateLimits(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (!options.Enabled) return app;
        app.Use(async (context, next) =>
        {
            if (ActionOf(context.Request) is RateLimitedAction.StatementGeneration or RateLimitedAction.StatementDownload)
            {
                await ResolveOrganizerAsync(context);
            }

            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The limited action a request is, or null.</summary>
    public static RateLimitedAction? ActionOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsPost(request.Method) && request.Path.Equals(StatementEndpoints.GeneratePath, StringComparison.OrdinalIgnoreCase))
            return RateLimitedAction.StatementGeneration;
        if (HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments(StatementEndpoints.FilesPath, StringComparison.OrdinalIgnoreCase))
            return RateLimitedAction.StatementDownload;
        if (request.Path.StartsWithSegments(OrganizerApiEndpoints.RoutePrefix, StringComparison.OrdinalIgnoreCase)) return RateLimitedAction.Api;
        return null;
    }

    /// <summary>The caller's partition: the portal user's id, or the API key's id.</summary>
    internal static string? CallerOf(HttpContext context, RateLimitedAction action) => action == RateLimitedAction.Api
        ? context.User.FindFirst(OrganizerApiKeyDefaults.KeyIdClaim)?.Value
        : context.User.FindFirst(PortalPrincipal.UserIdClaim)?.Value;

    /// <summary>The organizer's partition: the API key's organizer, or the portal organizer the caller may open.</summary>
    internal static string? OrganizerOf(HttpContext context, RateLimitedAction action) => action == RateLimitedAction.Api
        ? context.User.FindFirst(OrganizerApiKeyDefaults.OrganizerIdClaim)?.Value
        : context.Items.TryGetValue(OrganizerItem, out var id) && id is int organizerId ? organizerId.ToString(CultureInfo.InvariantCulture) : null;

    private static async Task ResolveOrganizerAsync(HttpContext context)
    {
        var authentication = context.RequestServices.GetRequiredService<PortalAuthenticationOptions>();
        if (PortalPrincipal.ToIdentity(context.User, authentication) is not { } user) return;
        string? raw;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            raw = context.Request.Query["org"];
        }
        else
        {
            if (!context.Request.HasFormContentType) return;
            try
            {
                raw = (await context.Request.ReadFormAsync(context.RequestAborted))["organizerId"];
            }
            catch (InvalidDataException)
            {
                return; // The endpoint answers the bad form.
            }
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var organizerId)) return;
        var organizers = context.RequestServices.GetRequiredService<OrganizerAccessService>();
        if (await organizers.GetAccessAsync(user, organizerId, context.RequestAborted) is not null) context.Items[OrganizerItem] = organizerId;
    }

    private static async Task RejectAsync(OnRejectedContext rejected, PortalRateLimiters limiters)
    {
        var context = rejected.HttpContext;
        var action = ActionOf(context.Request) ?? RateLimitedAction.Api;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : Math.Max(1, (int)Math.Ceiling(limiters.Options.Window.TotalSeconds));
        var byCaller = PortalRateLimiters.CallerExhausted(context);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";

        if (action != RateLimitedAction.Api && IsNavigation(context.Request))
        {
            // The statements form and download links are navigations: back to the page, which says it in Spanish.
            var org = OrganizerOf(context, action);
            var target = "/estados-de-cuenta?" + (org is null ? "" : "org=" + org + "&") + LimitQuery + "=" +
                         (action == RateLimitedAction.StatementGeneration ? "generar" : "descargar") + "&" + RetryQuery + "=" + seconds.ToString(CultureInfo.InvariantCulture);
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = target;
            return;
        }

        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem;
        if (action == RateLimitedAction.Api)
        {
            var api = limiters.Options.Api;
            var (rule, message) = byCaller
                ? ("rate_limit_per_key", $"Esta clave hizo más de {api.PerKey} solicitudes en {Window(limiters.Options)}. Intente de nuevo en {seconds} segundos.")
                : ("rate_limit_per_organizer", $"Las claves de este organizador hicieron más de {api.PerOrganizer} solicitudes en {Window(limiters.Options)}. Intente de nuevo en {seconds} segundos.");
            problem = ApiProblems.Create(StatusCodes.Status429TooManyRequests, "Demasiadas solicitudes.", [new ApiError("api_key", rule, message)]);
        }
        else
        {
            var generation = action == RateLimitedAction.StatementGeneration;
            var limit = generation ? limiters.Options.StatementGeneration : limiters.Options.StatementDownload;
            var what = generation ? "estados de cuenta generados" : "descargas de estados de cuenta";
            var detail = byCaller
                ? $"Límite de {limit.PerUser} {what} por usuario en {Window(limiters.Options)}. Intente de nuevo en {seconds} segundos."
                : $"Límite de {limit.PerOrganizer} {what} por organizador en {Window(limiters.Options)}. Intente de nuevo en {seconds} segundos.";
            problem = TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Demasiadas solicitudes", detail: detail,
                extensions: new Dictionary<string, object?>
                {
                    ["limit"] = (generation ? "generacion" : "descarga") + (byCaller ? "-por-usuario" : "-por-organizador"),
                    ["retry_after_seconds"] = seconds,
                });
        }

        await problem.ExecuteAsync(context);
    }

    private static string Window(RateLimitOptions options) => options.Window == TimeSpan.FromMinutes(1)
        ? "un minuto"
        : options.Window.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " segundos";

    /// <summary>A browser's own navigation (a form post or a link), not a script or an API client.</summary>
    private static bool IsNavigation(HttpRequest request) =>
        string.Equals(request.Headers["Sec-Fetch-Mode"], "navigate", StringComparison.OrdinalIgnoreCase)
        || request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The limiters (one per process): per caller and per organizer, chained into the rate limiter's global limiter.</summary>
public sealed class PortalRateLimiters : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _byCaller;
    private readonly PartitionedRateLimiter<HttpContext>? _byOrganizer;

    public PortalRateLimiters(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        if (!Options.Enabled) return;
        _byCaller = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            PortalRateLimits.ActionOf(context.Request) is { } action && PortalRateLimits.CallerOf(context, action) is { } caller
                ? Window(Prefix(action) + ":c:" + caller, action switch
                {
                    RateLimitedAction.StatementGeneration => Options.StatementGeneration.PerUser,
                    RateLimitedAction.StatementDownload => Options.StatementDownload.PerUser,
                    _ => Options.Api.PerKey,
                })
                : RateLimitPartition.GetNoLimiter(""));
        _byOrganizer = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            PortalRateLimits.ActionOf(context.Request) is { } action && PortalRateLimits.OrganizerOf(context, action) is { } organizer
                ? Window(Prefix(action) + ":o:" + organizer, action switch
                {
                    RateLimitedAction.StatementGeneration => Options.StatementGeneration.PerOrganizer,
                    RateLimitedAction.StatementDownload => Options.StatementDownload.PerOrganizer,
                    _ => Options.Api.PerOrganizer,
                })
                : RateLimitPartition.GetNoLimiter(""));
        Global = new CallerThenOrganizer(_byCaller, _byOrganizer);
    }

    public RateLimitOptions Options { get; }

    /// <summary>The chained limiter (null when rate limits are off).</summary>
    public PartitionedRateLimiter<HttpContext>? Global { get; }

    /// <summary>Whether the caller's own limit refused the request (otherwise it was the organizer's).</summary>
    public static bool CallerExhausted(HttpContext context) =>
        context is not null && context.Items.TryGetValue(CallerThenOrganizer.RefusedBy, out var by) && by is "caller";

    private RateLimitPartition<string> Window(string key, int permits) => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
    {
        PermitLimit = permits,
        Window = Options.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private static string Prefix(RateLimitedAction action) => action switch
    {
        RateLimitedAction.StatementGeneration => "gen",
        RateLimitedAction.StatementDownload => "dl",
        _ => "api",
    };

    /// <summary>
    /// The caller's limiter, then the organizer's (like <see cref="PartitionedRateLimiter.CreateChained{TResource}"/>), noting in
    /// the request which one refused, for the rejection's message.
    /// </summary>
    private sealed class CallerThenOrganizer(PartitionedRateLimiter<HttpContext> byCaller, PartitionedRateLimiter<HttpContext> byOrganizer)
        : PartitionedRateLimiter<HttpContext>
    {
        public const string RefusedBy = "BillingPortal.RateLimit.RefusedBy";

        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => byOrganizer.GetStatistics(resource) ?? byCaller.GetStatistics(resource);

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
        {
            var caller = byCaller.AttemptAcquire(resource, permitCount);
            if (!caller.IsAcquired) return Refused(resource, "caller", caller);
            var organizer = byOrganizer.AttemptAcquire(resource, permitCount);
            if (organizer.IsAcquired) return new Both(caller, organizer);
            caller.Dispose();
            return Refused(resource, "organizer", organizer);
        }

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
        {
            // The middleware tries AttemptAcquire first and then waits with AcquireAsync: a request already refused is not
            // counted twice (nothing queues: every limiter's queue is 0).
            if (resource.Items.TryGetValue(RetryAfterItem, out var refused) && refused is TimeSpan retryAfter) return new Failed(retryAfter);
            var caller = await byCaller.AcquireAsync(resource, permitCount, cancellationToken);
            if (!caller.IsAcquired) return Refused(resource, "caller", caller);
            var organizer = await byOrganizer.AcquireAsync(resource, permitCount, cancellationToken);
            if (organizer.IsAcquired) return new Both(caller, organizer);
            caller.Dispose();
            return Refused(resource, "organizer", organizer);
        }

        private const string RetryAfterItem = "BillingPortal.RateLimit.RetryAfter";

        private static RateLimitLease Refused(HttpContext context, string by, RateLimitLease lease)
        {
            context.Items[RefusedBy] = by;
            context.Items[RetryAfterItem] = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.Zero;
            return lease;
        }

        private sealed class Failed(TimeSpan retryAfter) : RateLimitLease
        {
            public override bool IsAcquired => false;

            public override IEnumerable<string> MetadataNames => retryAfter > TimeSpan.Zero ? [MetadataName.RetryAfter.Name] : [];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = retryAfter;
                return retryAfter > TimeSpan.Zero && metadataName == MetadataName.RetryAfter.Name;
            }
        }

        private sealed class Both(RateLimitLease caller, RateLimitLease organizer) : RateLimitLease
        {
            public override bool IsAcquired => true;

            public override IEnumerable<string> MetadataNames => caller.MetadataNames.Concat(organizer.MetadataNames).Distinct();

            public override bool TryGetMetadata(string metadataName, out object? metadata) =>
                caller.TryGetMetadata(metadataName, out metadata) || organizer.TryGetMetadata(metadataName, out metadata);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    caller.Dispose();
                    organizer.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }

    public void Dispose()
    {
        Global?.Dispose();
        _byCaller?.Dispose();
        _byOrganizer?.Dispose();
    }
}
