namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The emulator's time: the real clock plus an offset the admin surface moves ("moving time": expire codes and tokens,
/// release funds, age notifications). Every emulator component reads time here, never <see cref="DateTimeOffset.UtcNow"/>.
/// </summary>
public sealed class SandboxClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public SandboxClock()
        : this(System)
    {
    }

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    /// <summary>Moves time forward (or back with a negative span).</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
