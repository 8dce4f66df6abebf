using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// The provider's pages, rendered on the server as plain HTML in Spanish: no scripts, no external assets, every dynamic
/// value HTML-encoded. One click per demo account (a form per account), plus an e-mail field for any verified address.
/// </summary>
internal static class SandboxIdentityPages
{
    internal const string ReturnUrlField = "returnUrl";
    internal const string AccountField = "account";
    internal const string EmailField = "email";

    // Accented letters stay as they are (the page is UTF-8); markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Styles = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; background: #f4f5f7; color: #1b1f24; line-height: 1.5; }
        main { max-width: 40rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: .5rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
        h1 { font-size: 1.5rem; margin-top: 0; }
        h2 { font-size: 1.15rem; margin-top: 2rem; }
        .aviso { background: #fff4ce; border: 1px solid #8a6d00; border-radius: .25rem; padding: .5rem .75rem; }
        ul.cuentas { list-style: none; padding: 0; margin: 0; }
        ul.cuentas li { margin: 0 0 .5rem; }
        ul.cuentas button { width: 100%; text-align: left; padding: .75rem 1rem; border: 1px solid #8c959f; border-radius: .375rem; background: #fff; color: inherit; font: inherit; cursor: pointer; }
        ul.cuentas button:hover { background: #eef4ff; border-color: #0b57d0; }
        button:focus-visible, input:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
        .nombre { display: block; font-weight: 600; }
        .correo, .detalle { display: block; color: #454c55; font-size: .95rem; }
        .rol { display: inline-block; margin-top: .25rem; padding: 0 .5rem; border-radius: 1rem; background: #e7e1f7; color: #3b2a73; font-size: .85rem; }
        label { display: block; font-weight: 600; margin-bottom: .25rem; }
        input[type=email] { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #6e7781; border-radius: .25rem; }
        input[aria-invalid=true] { border-color: #b3261e; }
        .ayuda { color: #454c55; font-size: .95rem; margin: .25rem 0 .75rem; }
        .error { color: #b3261e; font-weight: 600; }
        .principal { padding: .5rem 1rem; border: 0; border-radius: .375rem; background: #0b57d0; color: #fff; font: inherit; cursor: pointer; }
        code { overflow-wrap: anywhere; }
        """;

    public static string Login(
        string action,
        string returnUrl,
        AntiforgeryTokenSet tokens,
        IEnumerable<SandboxIdentityAccount> accounts,
        bool allowAnyEmail,
        string? email = null,
        string? error = null)
    {
        var hidden = new StringBuilder()
            .Append("<input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken ?? "")).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(ReturnUrlField).Append("\" value=\"").Append(E(returnUrl)).Append("\">")
            .ToString();

        var body = new StringBuilder();
        body.Append("<p class=\"aviso\" role=\"note\"><strong>Entorno de prueba.</strong> Este proveedor de identidad solo existe para la demostración y las pruebas: no pide contraseñas y trata todo correo como verificado.</p>");
        body.Append("<h1>Iniciar sesión en BillingPortal</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"error-general\">").Append(E(error)).Append("</p>");
        }

        body.Append("<h2 id=\"titulo-cuentas\">Elige una cuenta de demostración</h2>");
        body.Append("<ul class=\"cuentas\" aria-labelledby=\"titulo-cuentas\">");
        foreach (var account in accounts)
        {
            body.Append("<li><form method=\"post\" action=\"").Append(E(action)).Append("\">").Append(hidden)
                .Append("<button type=\"submit\" name=\"").Append(AccountField).Append("\" value=\"").Append(E(account.Subject)).Append("\">")
                .Append("<span class=\"nombre\">").Append(E(account.Name)).Append("</span>")
                .Append("<span class=\"correo\">").Append(E(account.Email)).Append("</span>");
            if (!string.IsNullOrWhiteSpace(account.Description))
            {
                body.Append("<span class=\"detalle\">").Append(E(account.Description)).Append("</span>");
            }

            foreach (var role in account.Roles)
            {
                body.Append("<span class=\"rol\">Rol: ").Append(E(role)).Append("</span> ");
            }

            body.Append("</button></form></li>");
        }

        body.Append("</ul>");

        if (allowAnyEmail)
        {
            var invalid = error is not null && email is not null;
            body.Append("<h2 id=\"titulo-correo\">O entra con otro correo</h2>")
                .Append("<form method=\"post\" action=\"").Append(E(action)).Append("\" aria-labelledby=\"titulo-correo\">").Append(hidden)
                .Append("<label for=\"email\">Correo electrónico</label>")
                .Append("<input id=\"email\" name=\"").Append(EmailField).Append("\" type=\"email\" autocomplete=\"email\" required maxlength=\"254\"")
                .Append(" value=\"").Append(E(email ?? "")).Append('"')
                .Append(" aria-describedby=\"email-ayuda").Append(invalid ? " error-general" : "").Append('"')
                .Append(invalid ? " aria-invalid=\"true\"" : "").Append('>')
                .Append("<p class=\"ayuda\" id=\"email-ayuda\">Se inicia sesión con ese correo, marcado como verificado y sin roles (útil para probar invitaciones).</p>")
                .Append("<button type=\"submit\" class=\"principal\">Continuar con este correo</button>")
                .Append("</form>");
        }

        return Document("Iniciar sesión — proveedor de identidad de prueba", body.ToString());
    }

    public static string Message(string title, string message, string? detail = null)
    {
        var body = new StringBuilder()
            .Append("<h1>").Append(E(title)).Append("</h1>")
            .Append("<p>").Append(E(message)).Append("</p>");
        if (detail is not null)
        {
            body.Append("<p>Detalle técnico: <code>").Append(E(detail)).Append("</code></p>");
        }

        return Document(title, body.ToString());
    }

    private static string Document(string title, string body) =>
        $"""
        <!DOCTYPE html>
        <html lang="es">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{E(title)}</title>
        <style>{Styles}</style>
        </head>
        <body>
        <main>
        {body}
        </main>
        </body>
        </html>
        """;

    private static string E(string value) => Encoder.Encode(value);
}
