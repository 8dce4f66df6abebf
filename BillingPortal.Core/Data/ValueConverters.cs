using BillingPortal.Core.Common;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BillingPortal.Core.Data;

/// <summary>Stores a PEN amount as integer céntimos (rounded half away from zero by <see cref="Money"/>).</summary>
public sealed class MoneyCentsConverter() : ValueConverter<decimal, long>(v => Money.ToCents(v), v => Money.FromCents(v));

/// <summary>Stores a rate (e.g. 0.0525) as integer parts per million, so no decimal text reaches SQLite.</summary>
public sealed class RatePpmConverter() : ValueConverter<decimal, long>(
    v => (long)Math.Round(v * 1_000_000m, MidpointRounding.AwayFromZero), v => v / 1_000_000m);

/// <summary>
/// SQLite only: stores an instant as UTC ticks (an integer), so comparisons and ORDER BY are exact and indexable.
/// SQL Server keeps its native datetimeoffset.
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
