using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The emulator's HTTP surface, under one prefix: both of Mercado Pago's hosts (auth and API) map to it, so
/// <c>{prefix}/authorization</c>, <c>{prefix}/oauth/token</c>, <c>{prefix}/v1/payments/…</c>, <c>{prefix}/users/me</c>, and the
/// admin surface for tests and the demo under <c>{prefix}/_admin/…</c> (never part of the real API).
/// </summary>
public static class MercadoPagoSandboxEndpoints
{
    public static RouteGroupBuilder MapMercadoPagoSandbox(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.IsNullOrEmpty(prefix) ? "" : prefix);
        group.ExcludeFromDescription();
        group.AllowAnonymous();
        group.DisableAntiforgery();
        SandboxFaultInjection.Apply(group);
        SandboxOAuthEndpoints.Map(group);
        SandboxPaymentEndpoints.Map(group);
        SandboxAdminEndpoints.Map(group);
        return group;
    }
}
