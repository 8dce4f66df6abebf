using BillingPortal.Core.Ingestion;

namespace BillingPortal.Security;

/// <summary>
/// Endpoint filter for the ingestion group: runs before the body is read and answers 401 ProblemDetails unless the
/// request carries a valid platform API key. Logs the request id and the reason, never the key.
/// </summary>
public sealed class PlatformApiKeyFilter(PlatformApiKeyAuthenticator authenticator, ILogger logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var status = authenticator.Check(http.Request);
        if (status == PlatformApiKeyStatus.Accepted) return await next(context);

        logger.LogWarning("Ingestion request {RequestId} to {Path} refused: API key {Status}", http.TraceIdentifier, http.Request.Path.Value, status);
        http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{PlatformApiKeyAuthenticator.HeaderName}\", Bearer";
        var error = status == PlatformApiKeyStatus.Missing
            ? new IngestionError(null, null, PlatformApiKeyAuthenticator.HeaderName, IngestionRules.ApiKeyMissing,
                "Falta la clave de API: envíela en la cabecera X-Api-Key o como Authorization: Bearer <clave>.")
            : new IngestionError(null, null, PlatformApiKeyAuthenticator.HeaderName, IngestionRules.ApiKeyInvalid, "La clave de API no es válida.");
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Se requiere una clave de API válida.",
            detail: error.Message,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { error } });
    }
}
