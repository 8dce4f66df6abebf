using System.Security.Cryptography;
using BillingPortal.Core.Demo;

namespace BillingPortal.Tests.Unit.Demo;

/// <summary>Demo data generated in memory (no database), with ids as a fresh database would assign them.</summary>
public sealed class GeneratedDemo
{
    public static readonly DateOnly Anchor = new(2026, 11, 28);

    public GeneratedDemo()
        : this(5_000, 42, Anchor)
    {
    }

    internal GeneratedDemo(int purchases, int seed, DateOnly anchor)
    {
        World = new DemoWorld(purchases, seed, anchor);
        World.AssignSequentialIds();
        Days = new DemoDataGenerator(World).GenerateAll().ToList();
    }

    internal DemoWorld World { get; }

    internal List<DemoDay> Days { get; }

    internal IEnumerable<DemoSale> Sales => Days.SelectMany(d => d.Sales);

    internal IEnumerable<DemoPaymentRecord> Payments => Sales.SelectMany(s => s.Payments);

    /// <summary>The seeder's content hash: SHA-256 over the days' hashes in order.</summary>
    public string ContentHash
    {
        get
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var day in Days) hash.AppendData(day.Hash);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
    }
}
