using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BillingPortal.Tests.Integration.Migrations;

/// <summary>
/// The two provider contexts exactly as <c>dotnet ef</c> builds them (through the design-time factories in
/// Core/Data/DesignTimeFactories.cs). Neither opens a connection for what these tests ask of them.
/// </summary>
internal static class DesignTimeContexts
{
    public const string Sqlite = nameof(Sqlite);
    public const string SqlServer = nameof(SqlServer);

    public static TheoryData<string> Providers => [Sqlite, SqlServer];

    public static BillingDbContext Create(string provider) => provider switch
    {
        Sqlite => new SqliteDesignTimeFactory().CreateDbContext([]),
        SqlServer => new SqlServerDesignTimeFactory().CreateDbContext([]),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
    };

    /// <summary>The full design-time model's tables (what migrations must create).</summary>
    public static IReadOnlyList<ITable> Tables(DbContext db) =>
        [.. db.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables];

    /// <summary>Columns mapped from a <see cref="decimal"/> property: money (céntimos) or rates (ppm).</summary>
    public static bool IsDecimal(IColumn column) =>
        column.PropertyMappings.Any(m => Nullable.GetUnderlyingType(m.Property.ClrType) == typeof(decimal) || m.Property.ClrType == typeof(decimal));

    /// <summary>Columns mapped from a <see cref="DateTimeOffset"/> property (instants).</summary>
    public static bool IsInstant(IColumn column) =>
        column.PropertyMappings.Any(m => Nullable.GetUnderlyingType(m.Property.ClrType) == typeof(DateTimeOffset) || m.Property.ClrType == typeof(DateTimeOffset));

    /// <summary>Tables the foundation must always have, whatever is added later.</summary>
    public static readonly string[] CoreTables =
    [
        "Organizers", "CommissionPlans", "Events", "Purchases", "Payments", "PaymentFees", "PaymentRefunds",
        "PaymentStatusChanges", "LedgerEntries", "Anomalies",
    ];

    /// <summary>Money columns that must exist (spot checks; every decimal column is checked by type).</summary>
    public static readonly (string Table, string Column)[] KnownMoneyColumns =
    [
        ("Purchases", "AmountCents"), ("Payments", "TransactionAmountCents"), ("Payments", "ApplicationFeeCents"),
        ("LedgerEntries", "GrossCents"), ("LedgerEntries", "NetCents"), ("CommissionPlans", "FixedPerTicketCents"),
    ];
}
