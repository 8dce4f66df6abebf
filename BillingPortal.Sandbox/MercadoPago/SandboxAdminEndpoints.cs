using Microsoft.AspNetCore.Routing;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>The admin surface <c>/_admin/…</c>: payments, refunds, chargebacks, releases, time, faults, notifications, live mode (owned by the sandbox payments work).</summary>
public static class SandboxAdminEndpoints
{
    public static void Map(RouteGroupBuilder group) => ArgumentNullException.ThrowIfNull(group);
}
