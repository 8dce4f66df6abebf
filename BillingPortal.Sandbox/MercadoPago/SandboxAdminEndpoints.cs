using System.Net;
using System.Text;
using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The admin surface <c>/_admin/…</c> (tests and the demo; never part of the real API, no token needed): sales,
/// approvals, refunds, chargebacks, releases, time, faults, simulated notifications, the live mode and the notification
/// outbox. Every POST takes a JSON object (snake_case) or an HTML form with the same field names: JSON answers JSON,
/// a form answers a redirect back to the page <c>/_admin</c> (Spanish, plain HTML, no scripts) with a message.
/// The OAuth side owns <c>/_admin/oauth…</c> and <c>/_admin/sellers…</c>.
/// </summary>
public static class SandboxAdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Map(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/_admin", PageAsync);
        group.MapGet("/_admin/state", StateAsync);

        group.MapPost("/_admin/sales", (HttpContext http, SandboxPayments payments) => RunAsync(http, async body =>
        {
            var payment = await payments.CreateSaleAsync(SaleRequest(body), http.RequestAborted);
            return (Payment(payment, StatusCodes.Status201Created), $"Venta {payment.Id} creada ({payment.Status}).");
        }));
        group.MapGet("/_admin/payments/{id:long}", async (long id, MercadoPagoSandboxStore store, CancellationToken ct) =>
            await store.GetJsonAsync(id, ct) is { } json ? new SandboxPaymentEndpoints.RawJsonResult([json]) : SandboxErrors.NotFound());
        group.MapPost("/_admin/payments/{id:long}/{action}", (HttpContext http, long id, string action, SandboxPayments payments) =>
            RunAsync(http, body => PaymentActionAsync(payments, id, action, body, http.RequestAborted)));
        group.MapPost("/_admin/payments/act", (HttpContext http, SandboxPayments payments) => RunAsync(http, body =>
            PaymentActionAsync(payments, body.Long("payment_id") ?? throw Missing("payment_id"), body.Get("action") ?? throw Missing("action"), body, http.RequestAborted)));
        group.MapPost("/_admin/releases", (HttpContext http, SandboxPayments payments) => RunAsync(http, async _ =>
        {
            var released = await payments.ReleaseDueAsync(http.RequestAborted);
            return (Results.Json(new { released }, Json), $"{released} pago(s) liberado(s).");
        }));

        group.MapPost("/_admin/time", (HttpContext http, SandboxClock clock, SandboxWebhookOutbox outbox) => RunAsync(http, body =>
        {
            if (body.Bool("reset") == true) clock.Offset = TimeSpan.Zero;
            if (body.Get("offset") is { } offset) clock.Offset = Span(offset, "offset");
            if (body.Get("advance") is { } advance) clock.Advance(Span(advance, "advance"));
            var by = TimeSpan.FromDays((double)(body.Decimal("advance_days") ?? 0)) + TimeSpan.FromHours((double)(body.Decimal("advance_hours") ?? 0))
                     + TimeSpan.FromMinutes((double)(body.Decimal("advance_minutes") ?? 0)) + TimeSpan.FromSeconds((double)(body.Decimal("advance_seconds") ?? 0));
            if (by != TimeSpan.Zero) clock.Advance(by);
            outbox.Wake();
            return Task.FromResult<(IResult, string)>((Results.Json(ClockState(clock), Json), "Hora del emulador: " + clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        }));

        group.MapGet("/_admin/faults", (SandboxFaults faults) => Results.Json(FaultState(faults), Json));
        group.MapPost("/_admin/faults", (HttpContext http, SandboxFaults faults) => RunAsync(http, body =>
        {
            if (body.Int("seed") is { } seed) faults.Reseed(seed);
            if (body.Get("kind") is null) return Task.FromResult<(IResult, string)>((Results.Json(FaultState(faults), Json), "Semilla cambiada."));
            var kind = SandboxFaults.ParseKind(body.Get("kind")) ?? throw new SandboxProblemException("kind must be latency, rate_limit, server_error, timeout, revoked_token or expired_token");
            SandboxFault fault;
            try
            {
                fault = faults.Add(kind, (double)(body.Decimal("rate") ?? 0), body.Int("count"), body.Get("path"),
                    body.Int("latency_ms") ?? 0, body.Int("retry_after_seconds") ?? 1, body.Int("hold_ms") ?? 30_000);
            }
            catch (ArgumentException e)
            {
                throw new SandboxProblemException(e.Message);
            }

            return Task.FromResult<(IResult, string)>((Results.Json(FaultView(fault), Json, statusCode: StatusCodes.Status201Created), $"Falla {fault.Id} activada."));
        }));
        group.MapDelete("/_admin/faults", (SandboxFaults faults) =>
        {
            faults.Clear();
            return Results.Json(FaultState(faults), Json);
        });
        group.MapPost("/_admin/faults/clear", (HttpContext http, SandboxFaults faults) => RunAsync(http, _ =>
        {
            faults.Clear();
            return Task.FromResult<(IResult, string)>((Results.Json(FaultState(faults), Json), "Fallas desactivadas."));
        }));
        group.MapDelete("/_admin/faults/{id:int}", (int id, SandboxFaults faults) =>
            faults.Remove(id) ? Results.Json(FaultState(faults), Json) : SandboxErrors.Error(404, "not_found", "Fault not found"));

        group.MapPost("/_admin/live", (HttpContext http, SandboxLiveModeSwitch live) => RunAsync(http, body =>
        {
            live.Enabled = body.Bool("enabled") ?? !live.Enabled;
            return Task.FromResult<(IResult, string)>((Results.Json(new { enabled = live.Enabled, sales_created = live.SalesCreated }, Json),
                live.Enabled ? "Modo en vivo activado." : "Modo en vivo desactivado."));
        }));

        group.MapGet("/_admin/notifications", async (string? state, int? limit, SandboxWebhookOutbox outbox, CancellationToken ct) =>
            Results.Json(new { url = outbox.Url, notifications = (await outbox.ListAsync(state, limit ?? 100, ct)).Select(NotificationView) }, Json));
        group.MapPost("/_admin/webhook", (HttpContext http, SandboxWebhookOutbox outbox) => RunAsync(http, body =>
        {
            var url = body.Get("url");
            try
            {
                outbox.Url = string.IsNullOrWhiteSpace(url) ? null : url;
            }
            catch (ArgumentException e)
            {
                throw new SandboxProblemException(e.Message);
            }

            return Task.FromResult<(IResult, string)>((Results.Json(new { url = outbox.Url }, Json), outbox.Url is null ? "Webhooks en pausa." : "URL de webhooks actualizada."));
        }));
    }

    private static async Task<(IResult Json, string Message)> PaymentActionAsync(SandboxPayments payments, long id, string action, AdminBody body, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case "approve":
                var approved = await payments.ApproveAsync(id, body.Decimal("application_fee"), cancellationToken);
                return (Payment(approved), $"Pago {id} aprobado.");
            case "refunds":
            case "refund":
                var refund = await payments.RefundAsync(id, null, body.Decimal("amount"), body.Get("idempotency_key"), cancellationToken);
                return (new SandboxPaymentEndpoints.RawJsonResult([refund.Json], StatusCodes.Status201Created), $"Devolución {refund.Refund.Id} de S/ {refund.Refund.Amount.ToString("N2", CultureInfo.InvariantCulture)} al pago {id}.");
            case "chargeback":
                var charged = await payments.ChargebackAsync(id, body.Get("status_detail") ?? "in_process", cancellationToken);
                return (Payment(charged), $"Contracargo del pago {id}: {charged.StatusDetail}.");
            case "release":
                var released = await payments.ReleaseAsync(id, cancellationToken);
                return (Payment(released), $"Fondos del pago {id} liberados.");
            case "notify":
                var notification = await payments.NotifyAsync(id, body.Get("notification_action") ?? body.Get("topic_action") ?? "payment.updated", cancellationToken);
                return (Results.Json(new { notification_id = notification }, Json, statusCode: StatusCodes.Status202Accepted), $"Notificación {notification} en cola para el pago {id}.");
            default:
                throw new SandboxProblemException(404, "not_found", "Unknown action " + action);
        }
    }

    private static SandboxSaleRequest SaleRequest(AdminBody body)
    {
        var status = body.Get("status") ?? "approved";
        if (status is not ("approved" or "pending")) throw new SandboxProblemException("status must be approved or pending");
        DateTimeOffset? created = null;
        if (body.Get("date_created") is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) throw new SandboxProblemException("date_created must be ISO-8601");
            created = parsed;
        }

        return new SandboxSaleRequest
        {
            SellerId = body.Long("seller_id") ?? throw Missing("seller_id"),
            Amount = body.Decimal("amount") ?? throw Missing("amount"),
            PaymentMethodId = body.Get("payment_method_id") ?? "visa",
            PaymentTypeId = body.Get("payment_type_id"),
            ExternalReference = body.Get("external_reference"),
            ApplicationFee = body.Decimal("application_fee"),
            Pending = status == "pending",
            Tickets = body.Int("tickets") ?? 1,
            Description = body.Get("description"),
            DateCreated = created,
        };
    }

    private static SandboxProblemException Missing(string field) => new(field + " is required");

    private static TimeSpan Span(string text, string field) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : throw new SandboxProblemException(field + " must be a time span such as 1.00:00:00");

    private static SandboxPaymentEndpoints.RawJsonResult Payment(MpPayment payment, int status = StatusCodes.Status200OK) =>
        new SandboxPaymentEndpoints.RawJsonResult([JsonSerializer.SerializeToUtf8Bytes(payment, MercadoPagoJsonContext.Default.MpPayment)], status);

    /// <summary>Runs an admin action: JSON in, JSON out; a form in, a redirect to the page out.</summary>
    private static async Task<IResult> RunAsync(HttpContext http, Func<AdminBody, Task<(IResult Json, string Message)>> action)
    {
        AdminBody body;
        try
        {
            body = await AdminBody.ReadAsync(http.Request, http.RequestAborted);
        }
        catch (SandboxProblemException problem)
        {
            return problem.ToResult();
        }

        try
        {
            var (json, message) = await action(body);
            return body.IsForm ? Back(http, message, error: false) : json;
        }
        catch (SandboxProblemException problem)
        {
            return body.IsForm ? Back(http, problem.Message, error: true) : problem.ToResult();
        }
    }

    private static IResult Back(HttpContext http, string message, bool error)
    {
        var path = http.Request.PathBase.Add(http.Request.Path).Value ?? "";
        var admin = path.IndexOf("/_admin", StringComparison.Ordinal);
        var page = (admin < 0 ? "" : path[..admin]) + "/_admin";
        return Results.Redirect($"{page}?{(error ? "error" : "ok")}={Uri.EscapeDataString(message)}", permanent: false, preserveMethod: false);
    }

    private static object ClockState(SandboxClock clock) => new
    {
        now = SandboxSaleBuilder.ToMercadoPago(clock.GetUtcNow()).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        offset = clock.Offset.ToString("c", CultureInfo.InvariantCulture),
    };

    private static object FaultState(SandboxFaults faults) => new { seed = faults.Seed, faults = faults.List().Select(FaultView) };

    private static object FaultView(SandboxFault f) => new
    {
        id = f.Id,
        kind = SandboxFaults.KindName(f.Kind),
        rate = f.Rate,
        count = f.Count,
        remaining = f.Remaining,
        path = f.Path,
        latency_ms = f.LatencyMs,
        retry_after_seconds = f.RetryAfterSeconds,
        hold_ms = f.HoldMs,
        hits = f.Hits,
    };

    private static object NotificationView(SandboxNotification n) => new
    {
        id = n.NotificationId,
        topic = n.Topic,
        action = n.Action,
        user_id = n.UserId,
        data_id = n.DataId,
        state = n.State,
        attempts = n.Attempts,
        date_created = n.DateCreated,
        due_at = n.DueAt,
        delivered_at = n.DeliveredAt,
        gave_up_at = n.GaveUpAt,
        last_status = n.LastStatus,
        last_error = n.LastError,
    };

    private static async Task<IResult> StateAsync(SandboxClock clock, SandboxFaults faults, SandboxLiveModeSwitch live, SandboxWebhookOutbox outbox, CancellationToken cancellationToken)
    {
        var pending = await outbox.ListAsync("pending", 10_000, cancellationToken);
        return Results.Json(new
        {
            clock = ClockState(clock),
            live_mode = new { enabled = live.Enabled, sales_created = live.SalesCreated },
            webhook_url = outbox.Url,
            pending_notifications = pending.Count,
            faults = FaultState(faults),
        }, Json);
    }

    private static async Task<IResult> PageAsync(HttpContext http, SandboxClock clock, SandboxFaults faults, SandboxLiveModeSwitch live, SandboxWebhookOutbox outbox,
        SandboxAccounts accounts, MercadoPagoSandboxStore store, CancellationToken cancellationToken)
    {
        var basePath = (http.Request.PathBase.Add(http.Request.Path).Value ?? "/_admin").TrimEnd('/');
        var sellers = await accounts.ListSellersAsync(cancellationToken);
        var latest = await store.SearchAsync(new SandboxPaymentQuery { Sort = SandboxPaymentField.Id, Descending = true, Limit = 15 }, cancellationToken);
        var notifications = await outbox.ListAsync(null, 15, cancellationToken);
        var html = new StringBuilder(16_384);
        void Line(string text) => html.Append(text).Append('\n');
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

        Line("<!DOCTYPE html><html lang=\"es-PE\"><head><meta charset=\"utf-8\"><title>Mercado Pago (sandbox): administración</title>");
        Line("<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}section{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}"
             + "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left}.ok{color:#075e07}.error{color:#a00}"
             + "label{margin-right:1rem}</style></head><body>");
        Line("<h1>Emulador de Mercado Pago: administración</h1>");
        if (http.Request.Query["ok"].ToString() is { Length: > 0 } ok) Line($"<p class=\"ok\" role=\"status\">{E(ok)}</p>");
        if (http.Request.Query["error"].ToString() is { Length: > 0 } error) Line($"<p class=\"error\" role=\"alert\">{E(error)}</p>");

        Line("<section><h2>Estado</h2><ul>");
        Line($"<li>Hora del emulador: {E(SandboxSaleBuilder.ToMercadoPago(clock.GetUtcNow()).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture))} (desfase {E(clock.Offset.ToString("c", CultureInfo.InvariantCulture))})</li>");
        Line($"<li>Modo en vivo: {(live.Enabled ? "activado" : "desactivado")} ({live.SalesCreated} ventas creadas)</li>");
        Line($"<li>Webhooks: {(outbox.Url is null ? "sin URL (quedan en cola)" : E(outbox.Url))}</li></ul></section>");

        Line($"<section><h2>Nueva venta</h2><form method=\"post\" action=\"{E(basePath)}/sales\">");
        Line("<label>Vendedor <select name=\"seller_id\">");
        foreach (var s in sellers) Line($"<option value=\"{s.Id}\">{E(s.LegalName)} ({s.Id})</option>");
        Line("</select></label><label>Monto (S/) <input name=\"amount\" value=\"150.00\" inputmode=\"decimal\"></label>");
        Line("<label>Medio <select name=\"payment_method_id\"><option>visa</option><option>master</option><option>amex</option><option>diners</option><option>yape</option><option>pagoefectivo_atm</option></select></label>");
        Line("<label>Referencia <input name=\"external_reference\" placeholder=\"ord_123\"></label>");
        Line("<label>Comisión (S/) <input name=\"application_fee\" placeholder=\"por defecto\" inputmode=\"decimal\"></label>");
        Line("<label>Estado <select name=\"status\"><option value=\"approved\">aprobado</option><option value=\"pending\">pendiente</option></select></label>");
        Line("<button type=\"submit\">Crear venta</button></form></section>");

        Line($"<section><h2>Acciones sobre un pago</h2><form method=\"post\" action=\"{E(basePath)}/payments/act\">");
        Line("<label>Pago <input name=\"payment_id\" required inputmode=\"numeric\"></label><label>Acción <select name=\"action\">"
             + "<option value=\"approve\">Aprobar</option><option value=\"refund\">Devolver</option><option value=\"chargeback\">Contracargo</option>"
             + "<option value=\"release\">Liberar fondos</option><option value=\"notify\">Simular notificación</option></select></label>");
        Line("<label>Monto a devolver (vacío: total) <input name=\"amount\" inputmode=\"decimal\"></label>");
        Line("<label>Contracargo <select name=\"status_detail\"><option>in_process</option><option>settled</option><option>reimbursed</option></select></label>");
        Line("<button type=\"submit\">Aplicar</button></form>");
        Line($"<form method=\"post\" action=\"{E(basePath)}/releases\"><button type=\"submit\">Liberar todos los fondos vencidos</button></form></section>");

        Line($"<section><h2>Tiempo</h2><form method=\"post\" action=\"{E(basePath)}/time\"><label>Adelantar días <input name=\"advance_days\" value=\"1\" inputmode=\"decimal\"></label>"
             + "<label>horas <input name=\"advance_hours\" value=\"0\" inputmode=\"decimal\"></label><button type=\"submit\">Adelantar</button></form>");
        Line($"<form method=\"post\" action=\"{E(basePath)}/time\"><input type=\"hidden\" name=\"reset\" value=\"true\"><button type=\"submit\">Volver a la hora real</button></form></section>");

        Line($"<section><h2>Fallas</h2><form method=\"post\" action=\"{E(basePath)}/faults\"><label>Tipo <select name=\"kind\">"
             + "<option value=\"latency\">Latencia</option><option value=\"rate_limit\">429 (Retry-After)</option><option value=\"server_error\">500</option>"
             + "<option value=\"timeout\">Tiempo agotado</option><option value=\"revoked_token\">Token revocado</option><option value=\"expired_token\">Token vencido</option></select></label>");
        Line("<label>Proporción (0 a 1) <input name=\"rate\" value=\"0.3\" inputmode=\"decimal\"></label><label>Próximas N <input name=\"count\" inputmode=\"numeric\"></label>"
             + "<label>Ruta que contiene <input name=\"path\" placeholder=\"/v1/payments\"></label><label>Latencia ms <input name=\"latency_ms\" value=\"500\"></label>"
             + "<label>Retry-After s <input name=\"retry_after_seconds\" value=\"1\"></label><button type=\"submit\">Activar</button></form>");
        Line($"<form method=\"post\" action=\"{E(basePath)}/faults/clear\"><button type=\"submit\">Desactivar todas</button></form><ul>");
        foreach (var f in faults.List())
            Line($"<li>#{f.Id} {E(SandboxFaults.KindName(f.Kind))} proporción {f.Rate.ToString(CultureInfo.InvariantCulture)}, restantes {E(f.Remaining?.ToString(CultureInfo.InvariantCulture) ?? "-")}, ruta {E(f.Path ?? "todas")}, aplicadas {f.Hits}</li>");
        Line("</ul></section>");

        Line($"<section><h2>Modo en vivo</h2><form method=\"post\" action=\"{E(basePath)}/live\"><input type=\"hidden\" name=\"enabled\" value=\"{(live.Enabled ? "false" : "true")}\">"
             + $"<button type=\"submit\">{(live.Enabled ? "Detener ventas en vivo" : "Iniciar ventas en vivo")}</button></form></section>");

        Line("<section><h2>Últimos pagos</h2><table><thead><tr><th>Id</th><th>Vendedor</th><th>Estado</th><th>Monto</th><th>Devuelto</th><th>Referencia</th><th>Liberación</th></tr></thead><tbody>");
        foreach (var json in latest.Results)
        {
            var p = JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpPayment)!;
            Line($"<tr><td>{p.Id}</td><td>{p.CollectorId}</td><td>{E(p.Status)} / {E(p.StatusDetail)}</td><td>{p.TransactionAmount.ToString("N2", CultureInfo.InvariantCulture)}</td>"
                 + $"<td>{(p.TransactionAmountRefunded ?? 0).ToString("N2", CultureInfo.InvariantCulture)}</td><td>{E(p.ExternalReference)}</td><td>{E(p.MoneyReleaseStatus)}</td></tr>");
        }

        Line($"</tbody></table><p>Total: {latest.Total} pagos.</p></section>");
        Line("<section><h2>Notificaciones</h2><table><thead><tr><th>Id</th><th>Tipo</th><th>Acción</th><th>Recurso</th><th>Estado</th><th>Intentos</th><th>Último resultado</th></tr></thead><tbody>");
        foreach (var n in notifications)
        {
            Line($"<tr><td>{n.NotificationId}</td><td>{E(n.Topic)}</td><td>{E(n.Action)}</td><td>{E(n.DataId)}</td><td>{E(n.State)}</td><td>{n.Attempts}</td>"
                 + $"<td>{E(n.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? n.LastError)}</td></tr>");
        }

        Line("</tbody></table></section></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>A flat admin body: a JSON object or a form, read as strings.</summary>
    private sealed class AdminBody
    {
        private readonly Dictionary<string, string?> _values;

        private AdminBody(Dictionary<string, string?> values, bool isForm)
        {
            _values = values;
            IsForm = isForm;
        }

        public bool IsForm { get; }

        public static async Task<AdminBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                foreach (var (key, value) in form) values[key] = value.ToString();
                return new AdminBody(values, isForm: true);
            }

            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(text)) return new AdminBody(values, isForm: false);
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw new SandboxProblemException("The body must be a JSON object");
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => property.Value.GetRawText(),
                    };
                }
            }
            catch (JsonException)
            {
                throw new SandboxProblemException("The body is not valid JSON");
            }

            return new AdminBody(values, isForm: false);
        }

        public string? Get(string name) => _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public decimal? Decimal(string name) => Get(name) is not { } text
            ? null
            : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : throw new SandboxProblemException(name + " must be a number");

        public int? Int(string name) => Get(name) is not { } text
            ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new SandboxProblemException(name + " must be an integer");

        public long? Long(string name) => Get(name) is not { } text
            ? null
            : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new SandboxProblemException(name + " must be an integer");

        public bool? Bool(string name) => Get(name) is not { } text
            ? null
            : bool.TryParse(text, out var value) ? value : text == "on" || (text == "1" ? true : throw new SandboxProblemException(name + " must be true or false"));
    }
}
