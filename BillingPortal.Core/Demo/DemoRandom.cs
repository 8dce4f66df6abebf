namespace BillingPortal.Core.Demo;

/// <summary>
/// The demo generator's random numbers: xoshiro256** seeded through SplitMix64. Written out here (not
/// <see cref="Random"/>) so that the same seed yields the same stream on every .NET version, and so independent
/// streams (one per day of data) can be derived from (seed, stream) and generated in parallel.
/// </summary>
internal sealed class DemoRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public DemoRandom(int seed, ulong stream)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ (stream * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, maxExclusive) (Lemire's multiply-shift; the tiny bias is irrelevant here).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A uniform integer in [min, maxInclusive].</summary>
    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A digit string of the given length (leading zeros allowed unless <paramref name="noLeadingZero"/>).</summary>
    public string Digits(int length, bool noLeadingZero = false)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('0' + (i == 0 && noLeadingZero ? 1 + Next(9) : Next(10)));
        return new string(chars);
    }

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights) total += w;
        var r = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r < 0) return i;
        }

        return weights.Length - 1;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private static ulong SplitMix(ref ulong x)
    {
        unchecked
        {
            var z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
