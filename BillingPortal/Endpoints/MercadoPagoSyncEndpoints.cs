using System.Globalization;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Jobs;
using BillingPortal.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace BillingPortal.Endpoints;

/// <summary>
/// «Sincronizar ahora» (issue #5 §2): <c>POST /mercadopago/sincronizar</c> (antiforgery; <c>organizerId</c>; owners, checked as
/// the linking endpoints do). <see cref="IPaymentSync.RequestManualSyncAsync"/> applies the rate limit
/// (<c>MercadoPago:Sync:ManualMinInterval</c>, 5 minutes); an accepted request is queued on <see cref="ManualSyncRunner"/>
/// and the browser goes back to <c>/mercadopago?org=&amp;resultado=sync-iniciada</c>; a refused one to
/// <c>resultado=sync-limitada&amp;espera={seconds}</c> (the page says how long) or <c>resultado=sync-sin-conexion</c>.
/// </summary>
public static class MercadoPagoSyncEndpoints
{
    public const string SyncPath = "/mercadopago/sincronizar";

    /// <summary>The query parameter with the seconds left before another manual sync is accepted.</summary>
    public const string WaitParameter = "espera";

    public static IEndpointRouteBuilder MapMercadoPagoSyncEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(SyncPath, SyncNowAsync).DisableAntiforgery().ExcludeFromDescription().RequireAuthorization();
        return app;
    }

    internal static async Task<IResult> SyncNowAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        PortalAuthenticationOptions authentication,
        OrganizerAccessService organizers,
        [FromServices] IPaymentSync sync,
        [FromServices] ManualSyncRunner runner,
        ILoggerFactory loggers)
    {
        var (access, failure) = await MercadoPagoLinkEndpoints.AuthorizeOwnerAsync(context, antiforgery, authentication, organizers);
        if (failure is not null) return failure;

        ManualSyncDecision decision;
        try
        {
            decision = await sync.RequestManualSyncAsync(access!, context.RequestAborted);
        }
        catch (UnauthorizedAccessException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var organizerId = access!.OrganizerId;
        if (decision.Accepted)
        {
            runner.TryEnqueue(organizerId, access.UserId);
            return Results.Redirect(MercadoPagoLinkEndpoints.PageLink(organizerId, SyncOutcomes.Started));
        }

        if (decision.RetryAfter is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            loggers.CreateLogger(typeof(MercadoPagoSyncEndpoints).FullName!)
                .LogInformation("Manual Mercado Pago sync of organizer {OrganizerId} refused: rate limited for {Seconds} s", organizerId, seconds);
            return Results.Redirect(MercadoPagoLinkEndpoints.PageLink(organizerId, SyncOutcomes.RateLimited)
                + "&" + WaitParameter + "=" + seconds.ToString(CultureInfo.InvariantCulture));
        }

        return Results.Redirect(MercadoPagoLinkEndpoints.PageLink(organizerId, SyncOutcomes.NotLinked));
    }
}

/// <summary>
/// The <c>?resultado=</c> slugs of «Sincronizar ahora» on the connection page (beside <see cref="BillingPortal.MercadoPago.LinkOutcomes"/>),
/// and their Spanish messages.
/// </summary>
public static class SyncOutcomes
{
    public const string Started = "sync-iniciada";
    public const string RateLimited = "sync-limitada";
    public const string NotLinked = "sync-sin-conexion";

    public static IReadOnlyList<string> All { get; } = [Started, RateLimited, NotLinked];

    public static bool IsKnown(string? slug) => slug is not null && All.Contains(slug, StringComparer.Ordinal);

    /// <summary>Whole minutes left, rounded up, at least 1 («en 3 min»).</summary>
    public static int MinutesLeft(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
}
