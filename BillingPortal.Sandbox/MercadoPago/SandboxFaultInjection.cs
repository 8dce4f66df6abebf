using Microsoft.AspNetCore.Routing;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>Fault injection on the emulator's API routes (owned by the sandbox payments work).</summary>
public static class SandboxFaultInjection
{
    public static void Apply(RouteGroupBuilder group) => ArgumentNullException.ThrowIfNull(group);
}
