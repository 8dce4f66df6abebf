using System.Globalization;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.MercadoPago;
using BillingPortal.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace BillingPortal.Endpoints;

/// <summary>
/// Linking an organizer's Mercado Pago account (issue #4 §3), from the connection page's forms:
/// <list type="bullet">
/// <item><c>POST /mercadopago/conectar</c> (antiforgery; <c>organizerId</c>; owners): starts a consent attempt and sends the
/// browser to Mercado Pago's consent page (302).</item>
/// <item><c>GET /mercadopago/callback?code=&amp;state=&amp;error=</c>: Mercado Pago sends the browser back here; the attempt is
/// completed for the signed-in user and the browser goes to <c>/mercadopago?org=&amp;resultado=</c>.</item>
/// <item><c>POST /mercadopago/desconectar</c> (antiforgery; <c>organizerId</c>; owners): removes the tokens (302 back).</item>
/// </list>
/// The organizer comes from the form and is checked by <see cref="OrganizerAccessService"/> (404 when the user may not
/// open it, 403 for a viewer), as every page and endpoint does; Core checks the role again.
/// </summary>
public static class MercadoPagoLinkEndpoints
{
    public const string PagePath = "/mercadopago";
    public const string ConnectPath = "/mercadopago/conectar";
    public const string CallbackPath = "/mercadopago/callback";
    public const string DisconnectPath = "/mercadopago/desconectar";

    public static IEndpointRouteBuilder MapMercadoPagoLinkEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("").ExcludeFromDescription().RequireAuthorization();
        group.MapPost(ConnectPath, ConnectAsync).DisableAntiforgery();
        group.MapGet(CallbackPath, CallbackAsync);
        group.MapPost(DisconnectPath, DisconnectAsync).DisableAntiforgery();
        app.MapMercadoPagoSyncEndpoints();
        return app;
    }

    /// <summary>The connection page of <paramref name="organizerId"/> showing <paramref name="outcome"/>.</summary>
    public static string PageLink(int? organizerId, string outcome) =>
        organizerId is { } id
            ? $"{PagePath}?org={id.ToString(CultureInfo.InvariantCulture)}&resultado={Uri.EscapeDataString(outcome)}"
            : $"{PagePath}?resultado={Uri.EscapeDataString(outcome)}";

    /// <summary>
    /// The redirect URI sent to Mercado Pago: <c>MercadoPago:RedirectUri</c> (the one registered in the application), else
    /// <c>{this request's origin}/mercadopago/callback</c>.
    /// </summary>
    public static string RedirectUriFor(HttpContext context, MercadoPagoOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.RedirectUri)) return options.RedirectUri;
        var request = context.Request;
        return $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}{CallbackPath}";
    }

    internal static async Task<IResult> ConnectAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        PortalAuthenticationOptions authentication,
        OrganizerAccessService organizers,
        IMercadoPagoLinking linking,
        MercadoPagoMode mode,
        IOptions<MercadoPagoOptions> options)
    {
        var (access, failure) = await AuthorizeOwnerAsync(context, antiforgery, authentication, organizers);
        if (failure is not null) return failure;
        if (!mode.Configured) return Results.Redirect(PageLink(access!.OrganizerId, LinkOutcomes.NotConfigured));

        try
        {
            var consent = await linking.StartAuthorizationAsync(access!, RedirectUriFor(context, options.Value), context.RequestAborted);
            return Results.Redirect(consent.AbsoluteUri);
        }
        catch (UnauthorizedAccessException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
    }

    internal static async Task<IResult> CallbackAsync(
        HttpContext context,
        PortalAuthenticationOptions authentication,
        IMercadoPagoLinking linking,
        string? code,
        string? state,
        string? error)
    {
        var user = PortalPrincipal.ToIdentity(context.User, authentication);
        if (user is null) return Results.Unauthorized();

        var completion = await linking.CompleteAuthorizationAsync(user.UserId, code, state, error, RequestOrigin.Of(context), context.RequestAborted);
        return Results.Redirect(PageLink(completion.OrganizerId, LinkOutcomes.Of(completion.Outcome)));
    }

    internal static async Task<IResult> DisconnectAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        PortalAuthenticationOptions authentication,
        OrganizerAccessService organizers,
        IMercadoPagoLinking linking)
    {
        var (access, failure) = await AuthorizeOwnerAsync(context, antiforgery, authentication, organizers);
        if (failure is not null) return failure;

        try
        {
            await linking.DisconnectAsync(access!, RequestOrigin.Of(context), context.RequestAborted);
        }
        catch (UnauthorizedAccessException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        return Results.Redirect(PageLink(access!.OrganizerId, LinkOutcomes.Disconnected));
    }

    /// <summary>The form's antiforgery token, the user, and their owner access to the form's <c>organizerId</c>.</summary>
    internal static async Task<(OrganizerAccess? Access, IResult? Failure)> AuthorizeOwnerAsync(
        HttpContext context, IAntiforgery antiforgery, PortalAuthenticationOptions authentication, OrganizerAccessService organizers)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return (null, InvalidForm());
        var user = PortalPrincipal.ToIdentity(context.User, authentication);
        if (user is null) return (null, Results.Unauthorized());

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!int.TryParse(form["organizerId"], NumberStyles.None, CultureInfo.InvariantCulture, out var organizerId)
            || await organizers.GetAccessAsync(user, organizerId, context.RequestAborted) is not { } authorized)
        {
            return (null, Results.StatusCode(StatusCodes.Status404NotFound));
        }

        return authorized.Access.IsOwner ? (authorized.Access, null) : (null, Results.StatusCode(StatusCodes.Status403Forbidden));
    }

    private static IResult InvalidForm() => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Formulario no válido",
        detail: "El formulario expiró o no vino de esta página (token antifalsificación ausente o no válido). Vuelva a cargar la página e inténtelo de nuevo.");
}
