using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary><c>/v1/payments/search</c>, <c>/v1/payments/{id}</c>, refunds (owned by the sandbox payments work).</summary>
public static class SandboxPaymentEndpoints
{
    public static void Map(RouteGroupBuilder group) => ArgumentNullException.ThrowIfNull(group);

    /// <summary>Services of the payments side: webhook sender (<see cref="ISandboxNotifier"/>), fault injection, live mode.</summary>
    public static IServiceCollection AddSandboxPayments(this IServiceCollection services) => services;
}
