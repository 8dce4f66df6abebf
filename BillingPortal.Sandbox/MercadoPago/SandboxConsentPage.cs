using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The emulator's consent page and its error page: plain server-rendered HTML in Spanish, no script, no inline style
/// (the look comes from <see cref="Stylesheet"/>, served at <c>{prefix}/_static/consent.css</c>, so the page works
/// under a <c>style-src 'self'</c> policy), every dynamic value HTML-encoded. Stable names and <c>data-testid</c>s let
/// a browser test choose a seller and press a button.
/// </summary>
public static class SandboxConsentPage
{
    public const string FormTestId = "mp-consent-form";
    public const string SellerTestId = "mp-consent-seller";
    public const string AllowTestId = "mp-consent-allow";
    public const string DenyTestId = "mp-consent-deny";
    public const string ErrorTestId = "mp-consent-error";

    /// <summary>Where the stylesheet is, relative to the group's prefix.</summary>
    public const string StylesheetPath = "/_static/consent.css";

    // Accented letters stay as they are (the page is UTF-8); markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public const string Stylesheet = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; background: #ededed; color: #1b1f24; line-height: 1.5; }
        header { background: #ffe600; padding: .75rem 1.5rem; font-weight: 700; color: #2d3277; }
        main { max-width: 34rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: .5rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
        h1 { font-size: 1.35rem; margin-top: 0; }
        .aviso { background: #fff4ce; border: 1px solid #8a6d00; border-radius: .25rem; padding: .5rem .75rem; font-size: .95rem; }
        .app { font-weight: 600; }
        .detalle { color: #454c55; font-size: .95rem; }
        ul.permisos { padding-left: 1.25rem; }
        label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
        select { width: 100%; padding: .5rem; font: inherit; border: 1px solid #6e7781; border-radius: .25rem; background: #fff; }
        .acciones { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.5rem; }
        button { padding: .6rem 1.25rem; border-radius: .375rem; font: inherit; cursor: pointer; }
        button.principal { border: 0; background: #009ee3; color: #fff; font-weight: 600; }
        button.secundario { border: 1px solid #009ee3; background: #fff; color: #00689a; }
        button:disabled { opacity: .5; cursor: not-allowed; }
        button:focus-visible, select:focus-visible { outline: 3px solid #2d3277; outline-offset: 2px; }
        .error { color: #b3261e; font-weight: 600; }
        code { overflow-wrap: anywhere; }
        """;

    /// <summary>The consent: the application, what it asks, the seller selector, «Permitir» and «Denegar».</summary>
    public static string Consent(
        string action,
        string stylesheet,
        string applicationName,
        SandboxConsentRequest request,
        string csrfToken,
        IReadOnlyList<SandboxSeller> sellers,
        long? selectedSellerId = null,
        string? error = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sellers);
        var destination = Uri.TryCreate(request.RedirectUri, UriKind.Absolute, out var redirect) ? redirect.GetLeftPart(UriPartial.Authority) : request.RedirectUri;
        var body = new StringBuilder();
        body.Append("<p class=\"aviso\" role=\"note\"><strong>Entorno de prueba.</strong> Este es el emulador de Mercado Pago de BillingPortal: no pide contraseñas y sus cuentas son ficticias.</p>");
        body.Append("<h1><span class=\"app\">").Append(E(applicationName)).Append("</span> quiere conectarse con tu cuenta de Mercado Pago</h1>");
        body.Append("<p class=\"detalle\">Aplicación <code>").Append(E(request.ClientId)).Append("</code>. Al permitir, volverás a <code>").Append(E(destination)).Append("</code>.</p>");
        body.Append("<p>La aplicación podrá:</p><ul class=\"permisos\">")
            .Append("<li>Consultar tus pagos, reembolsos y contracargos.</li>")
            .Append("<li>Operar en tu nombre, por ejemplo devolver un pago.</li>")
            .Append("<li>Mantener el acceso sin que vuelvas a iniciar sesión (renovación automática).</li>")
            .Append("</ul>");
        if (error is not null) body.Append("<p class=\"error\" role=\"alert\" data-testid=\"").Append(ErrorTestId).Append("\">").Append(E(error)).Append("</p>");

        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\" data-testid=\"").Append(FormTestId).Append("\">");
        foreach (var field in request.Fields)
        {
            if (field.Value is null) continue;
            Hidden(body, field.Key, field.Value);
        }

        Hidden(body, SandboxConsentRequest.CsrfField, csrfToken);
        if (sellers.Count == 0)
        {
            body.Append("<p class=\"error\" role=\"alert\">No hay cuentas de vendedor en el emulador: genere los datos de demostración o cree una en la administración del emulador.</p>");
        }
        else
        {
            var selected = selectedSellerId ?? sellers[0].Id;
            body.Append("<label for=\"").Append(SandboxConsentRequest.SellerField).Append("\">Cuenta de Mercado Pago</label>")
                .Append("<select id=\"").Append(SandboxConsentRequest.SellerField).Append("\" name=\"").Append(SandboxConsentRequest.SellerField)
                .Append("\" data-testid=\"").Append(SellerTestId).Append("\" required>");
            foreach (var seller in sellers)
            {
                var id = seller.Id.ToString(CultureInfo.InvariantCulture);
                body.Append("<option value=\"").Append(id).Append('"').Append(seller.Id == selected ? " selected" : "").Append('>')
                    .Append(E(seller.LegalName)).Append(" — @").Append(E(seller.Nickname)).Append(" (ID ").Append(id).Append(")</option>");
            }

            body.Append("</select>");
        }

        body.Append("<div class=\"acciones\">")
            .Append("<button type=\"submit\" class=\"secundario\" name=\"").Append(SandboxConsentRequest.DecisionField).Append("\" value=\"").Append(SandboxConsentRequest.Deny)
            .Append("\" formnovalidate data-testid=\"").Append(DenyTestId).Append("\">Denegar</button>")
            .Append("<button type=\"submit\" class=\"principal\" name=\"").Append(SandboxConsentRequest.DecisionField).Append("\" value=\"").Append(SandboxConsentRequest.Allow)
            .Append('"').Append(sellers.Count == 0 ? " disabled" : "").Append(" data-testid=\"").Append(AllowTestId).Append("\">Permitir</button>")
            .Append("</div></form>");
        return Document("Autorizar aplicación · Mercado Pago (prueba)", stylesheet, body.ToString());
    }

    /// <summary>A request the page refuses: the reason, and no way forward (never a redirect to an unchecked URL).</summary>
    public static string Error(string stylesheet, string message)
    {
        var body = new StringBuilder()
            .Append("<h1>No se puede autorizar la aplicación</h1>")
            .Append("<p class=\"error\" role=\"alert\" data-testid=\"").Append(ErrorTestId).Append("\">").Append(E(message)).Append("</p>")
            .Append("<p class=\"detalle\">Vuelve a la aplicación e inicia la conexión otra vez. Si el problema sigue, la aplicación está mal configurada.</p>");
        return Document("Error de autorización · Mercado Pago (prueba)", stylesheet, body.ToString());
    }

    private static string Document(string title, string stylesheet, string body) =>
        new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"es-PE\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(E(stylesheet)).Append("\">")
            .Append("</head><body><header>Mercado Pago · entorno de prueba</header><main>")
            .Append(body)
            .Append("</main></body></html>")
            .ToString();

    private static void Hidden(StringBuilder body, string name, string value) =>
        body.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">");

    private static string E(string? value) => Encoder.Encode(value ?? "");
}
