namespace BillingPortal.Core.Demo;

/// <summary>What to generate: <see cref="Purchases"/> purchases (with their payments) from a deterministic seed.</summary>
public sealed record SeedRequest(int Purchases, int Seed)
{
    public const int DefaultScale = 20_000;
    public const int DefaultSeed = 42;
}

/// <summary>What the seeder wrote.</summary>
public sealed record SeedResult(int Organizers, int Events, int Purchases, int Payments, int LedgerEntries, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"Seeded {Organizers} organizers, {Events} events, {Purchases} purchases, {Payments} payments, {LedgerEntries} ledger entries in {Elapsed.TotalSeconds:0.0} s";
}

/// <summary>
/// Deterministic demo data generator (placeholder until the generator lands; see issue #2 item 6).
/// </summary>
public sealed class DemoSeeder
{
    public Task<SeedResult> SeedAsync(SeedRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The demo generator is being built.");
}
