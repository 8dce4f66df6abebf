using System.Diagnostics;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Webhooks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BillingPortal.Endpoints;

/// <summary>
/// <c>POST /api/webhooks/mercadopago</c>: Mercado Pago's notifications (mercadopago-api.md §5), any topic, into the
/// durable inbox (issue #5 §3). The body is read once, up to <c>MercadoPago:Webhooks:MaxBodyBytes</c> (413 beyond). The
/// resource id comes from the query (<c>data.id</c>, or the legacy IPN <c>id</c>), and the <c>x-signature</c> is checked
/// against the secret (and the previous one during a rotation) with the timestamp tolerance: a failure answers 401 and
/// logs only the <c>x-request-id</c>. A malformed notification answers 400 naming the field. A valid one is written to
/// the inbox through <see cref="WebhookIntake"/> (de-duplicated on the notification id) and answered 200 only once that
/// write is committed; a duplicate is counted and answered 200 too. If the inbox cannot be written the answer is 503,
/// and Mercado Pago delivers again. <see cref="WebhookProcessor"/> does the work afterwards; the body is never logged
/// nor stored.
/// </summary>
public static partial class MercadoPagoWebhookEndpoints
{
    public const string Route = "/api/webhooks/mercadopago";

    /// <summary>Longest x-request-id written to the log (it comes from the request).</summary>
    private const int MaxRequestIdLength = 64;

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
        WebhookIntake intake,
        MercadoPagoMetrics metrics,
        ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        var logger = loggers.CreateLogger(typeof(MercadoPagoWebhookEndpoints).FullName!);
        var settings = options.CurrentValue.Webhooks;
        var request = context.Request;
        var requestId = RequestIdOf(request);

        var body = await ReadBodyAsync(context, settings.MaxBodyBytes);
        if (body is null)
        {
            LogTooLarge(logger, requestId);
            Count(metrics, started, "unknown", "too_large");
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Notificación demasiado grande",
                detail: "El cuerpo supera el tamaño máximo aceptado.");
        }

        var queryDataId = NonEmpty(request.Query["data.id"]);
        var legacy = queryDataId is null && (NonEmpty(request.Query["id"]) is not null || NonEmpty(request.Query["topic"]) is not null);
        var dataId = queryDataId ?? NonEmpty(request.Query["id"]);
        var secrets = new[] { settings.Secret, settings.SecondarySecret }.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        var now = time.GetUtcNow();
        var failure = secrets.Count == 0
            ? WebhookSignatureFailure.Mismatch
            : MercadoPagoWebhookSignature.Verify(request.Headers["x-signature"], request.Headers["x-request-id"], dataId, secrets, now, settings.Tolerance);
        if (failure != WebhookSignatureFailure.None)
        {
            if (secrets.Count == 0) LogNoSecret(logger, requestId);
            else LogRefused(logger, failure, requestId);
            Count(metrics, started, "unknown", "rejected");
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Firma no válida",
                detail: "La notificación no trae una firma x-signature válida y reciente.");
        }

        var topic = NonEmpty(request.Query["type"]) ?? NonEmpty(request.Query["topic"]);
        if (!InboxNotification.TryCreate(dataId, topic, body, legacy, requestId, now, out var notification, out var field))
        {
            LogMalformed(logger, field, requestId);
            Count(metrics, started, WebhookProcessor.MetricTopic(topic), "malformed");
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Notificación mal formada",
                detail: $"El campo «{field}» falta o no es válido.", extensions: new Dictionary<string, object?> { ["field"] = field });
        }

        WebhookIntakeOutcome outcome;
        try
        {
            outcome = await intake.AcceptAsync(notification!, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Mercado Pago hung up: it will deliver again (and find the entry if the write went through).
            return Results.Empty;
        }
        catch (Exception e)
        {
            LogNotStored(logger, e, notification!.Topic, requestId);
            Count(metrics, started, WebhookProcessor.MetricTopic(notification.Topic), "failed");
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Notificación no guardada",
                detail: "No se pudo guardar la notificación; Mercado Pago la enviará de nuevo.");
        }

        var accepted = outcome == WebhookIntakeOutcome.Accepted;
        Count(metrics, started, WebhookProcessor.MetricTopic(notification!.Topic), accepted ? "accepted" : "duplicate");
        if (accepted) LogAccepted(logger, notification.Topic, notification.Action, requestId);
        else LogDuplicate(logger, notification.Topic, notification.Action, requestId);
        return Results.Ok();
    }

    private static void Count(MercadoPagoMetrics metrics, long started, string topic, string outcome)
    {
        var tags = new[] { new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("outcome", outcome) };
        metrics.WebhooksReceived.Add(1, tags);
        metrics.WebhookIntakeDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
    }

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit && (limit.MaxRequestBodySize is null || limit.MaxRequestBodySize > maxBytes + 1L))
            limit.MaxRequestBodySize = maxBytes + 1L;

        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 1024);
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

    private static string? RequestIdOf(HttpRequest request)
    {
        var value = request.Headers["x-request-id"].ToString();
        if (string.IsNullOrEmpty(value)) return null;
        var clean = new string([.. value.Take(MaxRequestIdLength).Where(c => !char.IsControl(c))]);
        return clean.Length == 0 ? null : clean;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mercado Pago webhook refused: signature {Failure}; x-request-id {RequestId}")]
    private static partial void LogRefused(ILogger logger, WebhookSignatureFailure failure, string? requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mercado Pago webhook refused: no MercadoPago:Webhooks:Secret is configured; x-request-id {RequestId}")]
    private static partial void LogNoSecret(ILogger logger, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mercado Pago webhook refused: body over the size limit; x-request-id {RequestId}")]
    private static partial void LogTooLarge(ILogger logger, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mercado Pago webhook refused: field {Field} missing or invalid; x-request-id {RequestId}")]
    private static partial void LogMalformed(ILogger logger, string? field, string? requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mercado Pago webhook {Topic} not stored (answered 503, it will be delivered again); x-request-id {RequestId}")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string topic, string? requestId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mercado Pago webhook {Topic} {Action} accepted into the inbox; x-request-id {RequestId}")]
    private static partial void LogAccepted(ILogger logger, string topic, string? action, string? requestId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mercado Pago webhook {Topic} {Action} was already in the inbox (duplicate counted); x-request-id {RequestId}")]
    private static partial void LogDuplicate(ILogger logger, string topic, string? action, string? requestId);
}
