using BillingPortal.Core.Demo;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>Where the demo seeder writes the Mercado Pago side: payments into the store, sellers into the accounts.</summary>
public sealed class SandboxDemoSink(MercadoPagoSandboxStore store, SandboxAccounts accounts) : IDemoPaymentSink
{
    public Task<IDemoPaymentWriter> BeginReplaceAsync(CancellationToken cancellationToken) => store.BeginReplaceAsync(cancellationToken);

    public Task ReplaceSellersAsync(IReadOnlyList<DemoSeller> sellers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sellers);
        var rows = sellers.Select(s =>
        {
            var (first, last) = SplitName(s.LegalName);
            return new SandboxSeller(s.UserId, s.Nickname, s.Email, first, last, s.LegalName) { PublicKey = SandboxAccounts.PublicKeyFor(s.UserId) };
        }).ToList();
        return accounts.ReplaceSellersAsync(rows, cancellationToken);
    }

    private static (string First, string Last) SplitName(string name)
    {
        var space = name.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (name, "") : (name[..space], name[(space + 1)..]);
    }
}
