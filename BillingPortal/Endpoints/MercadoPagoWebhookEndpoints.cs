using System.Text.Json;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Webhooks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BillingPortal.Endpoints;

/// <summary>
/// <c>POST /api/webhooks/mercadopago</c>: Mercado Pago's notifications (mercadopago-api.md §5). The body is read once, up
/// to <c>MercadoPago:Webhooks:MaxBodyBytes</c> (413 beyond); the resource id comes from the query (<c>data.id</c>, or the
/// legacy <c>id</c>), the topic from the query (<c>type</c>, or the legacy <c>topic</c>) or else the body's <c>type</c>;
/// the <c>x-signature</c> is checked against the secret (and the previous one during a rotation) with the timestamp
/// tolerance: a failure answers 401 and logs only the <c>x-request-id</c>. A verified notification goes to every
/// <see cref="IMercadoPagoNotificationHandler"/> of its topic (<c>mp-connect</c> today), then 200; a topic nobody handles
/// yet is acknowledged with 200 too. The body is never logged.
/// </summary>
public static partial class MercadoPagoWebhookEndpoints
{
    public const string Route = "/api/webhooks/mercadopago";

    /// <summary>Longest x-request-id written to the log (it comes from the request).</summary>
    private const int MaxRequestIdLength = 100;

    /// <summary>Longest topic kept (the query's <c>type</c> is not covered by the signature).</summary>
    private const int MaxTopicLength = 64;

    public static IEndpointRouteBuilder MapMercadoPagoWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Route, ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    internal static async Task<IResult> ReceiveAsync(
        HttpContext context,
        IOptionsMonitor<MercadoPagoOptions> options,
        TimeProvider time,
        IEnumerable<IMercadoPagoNotificationHandler> handlers,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(MercadoPagoWebhookEndpoints).FullName!);
        var settings = options.CurrentValue.Webhooks;
        var request = context.Request;
        var requestId = RequestIdOf(request);

        var body = await ReadBodyAsync(context, settings.MaxBodyBytes);
        if (body is null)
        {
            LogTooLarge(logger, requestId);
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Notificación demasiado grande",
                detail: "El cuerpo supera el tamaño máximo aceptado.");
        }

        var dataId = FirstNonEmpty(request.Query["data.id"], request.Query["id"]);
        var secrets = new[] { settings.Secret, settings.SecondarySecret }.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        var failure = secrets.Count == 0
            ? WebhookSignatureFailure.Mismatch
            : MercadoPagoWebhookSignature.Verify(request.Headers["x-signature"], request.Headers["x-request-id"], dataId, secrets, time.GetUtcNow(), settings.Tolerance);
        if (failure != WebhookSignatureFailure.None)
        {
            if (secrets.Count == 0) LogNoSecret(logger, requestId);
            else LogRefused(logger, failure, requestId);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Firma no válida",
                detail: "La notificación no trae una firma x-signature válida y reciente.");
        }

        var notification = Parse(body);
        var topic = FirstNonEmpty(request.Query["type"], request.Query["topic"]) ?? notification?.Type;
        if (string.IsNullOrWhiteSpace(topic))
        {
            LogNoTopic(logger, requestId);
            return Results.Ok();
        }

        var webhook = new MercadoPagoWebhook(Truncate(topic.Trim(), MaxTopicLength), dataId ?? notification?.Data?.Id, requestId, notification);
        var handled = 0;
        foreach (var handler in handlers.Where(h => h.Handles(webhook.Topic)))
        {
            await handler.HandleAsync(webhook, context.RequestAborted);
            handled++;
        }

        LogReceived(logger, webhook.Topic, handled, requestId);
        return Results.Ok();
    }

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit && (limit.MaxRequestBodySize is null || limit.MaxRequestBodySize > maxBytes + 1L))
            limit.MaxRequestBodySize = maxBytes + 1L;

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    private static MpWebhookNotification? Parse(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            return JsonSerializer.Deserialize(body, MercadoPagoJsonContext.Default.MpWebhookNotification);
        }
        catch (JsonException)
        {
            // Legacy IPN posts carry no JSON body; the query says what happened.
            return null;
        }
    }

    private static string? RequestIdOf(HttpRequest request)
    {
        var value = request.Headers["x-request-id"].ToString();
        if (string.IsNullOrEmpty(value)) return null;
        var clean = new string([.. value.Take(MaxRequestIdLength).Where(c => !char.IsControl(c))]);
        return clean.Length == 0 ? null : clean;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mercado Pago webhook refused: signature {Failure}; x-request-id {RequestId}")]
    private static partial void LogRefused(ILogger logger, WebhookSignatureFailure failure, string? requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mercado Pago webhook refused: no MercadoPago:Webhooks:Secret is configured; x-request-id {RequestId}")]
    private static partial void LogNoSecret(ILogger logger, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mercado Pago webhook refused: body over the size limit; x-request-id {RequestId}")]
    private static partial void LogTooLarge(ILogger logger, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mercado Pago webhook without a topic acknowledged and ignored; x-request-id {RequestId}")]
    private static partial void LogNoTopic(ILogger logger, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mercado Pago webhook {Topic} received, {Handlers} handler(s); x-request-id {RequestId}")]
    private static partial void LogReceived(ILogger logger, string topic, int handlers, string? requestId);
}
