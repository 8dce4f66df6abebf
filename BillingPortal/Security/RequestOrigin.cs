using BillingPortal.Core.Auditing;

namespace BillingPortal.Security;

/// <summary>Where a request came from, for the audit log (the remote address honours forwarded headers when enabled).</summary>
public static class RequestOrigin
{
    public static AuditOrigin Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AuditOrigin(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
    }

    /// <summary>Paths answered as APIs (status codes and ProblemDetails, never redirects to pages).</summary>
    public static bool IsApi(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi");
    }

    /// <summary>The path and query of this request, for a return URL.</summary>
    public static string ReturnUrl(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.PathBase + context.Request.Path + context.Request.QueryString;
    }
}
