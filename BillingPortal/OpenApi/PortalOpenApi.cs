using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Scalar.AspNetCore;

namespace BillingPortal.OpenApi;

/// <summary>
/// The OpenAPI document of every <c>/api/v1</c> endpoint (<c>/openapi/v1.json</c>) and its browsable reference page
/// (<c>/api/docs</c>): Scalar's script served from the Scalar.AspNetCore package itself (no CDN, no web fonts, no
/// telemetry, no AI agent), started by an external script so the page has no inline script and works under a
/// <c>script-src 'self'</c> Content-Security-Policy.
/// </summary>
public static class PortalOpenApi
{
    public const string DocumentName = "v1";

    public const string DocumentPath = "/openapi/v1.json";

    public const string ReferencePath = "/api/docs";

    /// <summary>The policy the reference page sends itself (the host may add a stricter one; Scalar needs inline styles).</summary>
    public const string ReferenceContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
        "worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    // Scalar's standalone bundle defines window.Scalar; the options mirror what Scalar.AspNetCore would render inline.
    private const string StartScript = """
        const documentUrl = new URL('../../openapi/v1.json', import.meta.url).toString();
        window.Scalar.createApiReference('#app', {
          sources: [{ title: 'v1', url: documentUrl }],
          withDefaultFonts: false,
          telemetry: false,
          agent: { disabled: true },
          showDeveloperTools: 'never',
          _integration: 'dotnet',
        });
        """;

    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<PortalDocumentTransformer>();
            options.AddOperationTransformer<PortalOperationTransformer>();
            options.AddSchemaTransformer<PortalSchemaTransformer>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapPortalOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        // Scalar's endpoints serve its assets under /api/docs/ (scalar.js, favicon.svg); the page itself is ours, so
        // Scalar's own page (/api/docs/{documentName}, which has an inline script) redirects to it.
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("BillingPortal API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(DocumentName)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent())
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Request.RouteValues.ContainsKey("documentName")
                    ? TypedResults.Redirect(context.HttpContext.Request.PathBase + ReferencePath)
                    : await next(context))
            .ExcludeFromDescription()
            .AllowAnonymous();
        app.MapGet(ReferencePath, ReferencePage).ExcludeFromDescription().AllowAnonymous();
        app.MapGet(ReferencePath + "/start.js", () => TypedResults.Text(StartScript, "text/javascript; charset=utf-8"))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static ContentHttpResult ReferencePage(HttpContext http)
    {
        var root = WebUtility.HtmlEncode(http.Request.PathBase.Value ?? "") + ReferencePath;
        http.Response.Headers.ContentSecurityPolicy = ReferenceContentSecurityPolicy;
        var html = $"""
            <!doctype html>
            <html lang="es">
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>BillingPortal API</title>
              <link rel="icon" href="{root}/favicon.svg" />
            </head>
            <body>
              <div id="app"></div>
              <script src="{root}/scalar.js"></script>
              <script type="module" src="{root}/start.js"></script>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
