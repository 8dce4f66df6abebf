using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.AspNetCore.Http;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>Error answers shaped like Mercado Pago's (§6.1, §2.6), with an <c>x-request-id</c> header.</summary>
public static class SandboxErrors
{
    /// <summary><c>{"message","error","status","cause":[{"code","description","data"}]}</c>.</summary>
    public static IResult Error(int status, string error, string message, params (string Code, string Description)[] causes) =>
        new ErrorResult(status, new MpErrorResponse
        {
            Message = message,
            Error = error,
            Status = status,
            Cause = causes.Select(c => new MpErrorCause { Code = c.Code, Description = c.Description }).ToList(),
        });

    /// <summary>OAuth errors carry <c>cause: []</c>.</summary>
    public static IResult OAuth(int status, string error, string message) => Error(status, error, message);

    public static IResult InvalidGrant() => OAuth(400, "invalid_grant",
        "Error validating grant. Your authorization code or refresh token may be expired or it was already used.");

    public static IResult InvalidClient() => OAuth(400, "invalid_client", "invalid client_id or client_secret");

    public static IResult Unauthorized() => Error(401, "unauthorized", "invalid access token");

    public static IResult NotFound(string what = "Payment not found") => Error(404, "not_found", what, ("2000", what));

    private sealed class ErrorResult(int status, MpErrorResponse body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            if (!response.Headers.ContainsKey("x-request-id")) response.Headers["x-request-id"] = Guid.NewGuid().ToString();
            await JsonSerializer.SerializeAsync(response.Body, body, MercadoPagoJsonContext.Default.MpErrorResponse, httpContext.RequestAborted);
        }
    }
}
