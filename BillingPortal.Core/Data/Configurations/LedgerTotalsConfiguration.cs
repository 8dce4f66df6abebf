using BillingPortal.Core.Billing.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

/// <summary>The columns every ledger read model shares (money as integer céntimos, a concurrency token, the organizer).</summary>
internal static class LedgerTotalsColumns
{
    public static void Configure<T>(EntityTypeBuilder<T> builder)
        where T : LedgerTotals
    {
        foreach (var money in new[]
                 {
                     nameof(LedgerTotals.Gross), nameof(LedgerTotals.MercadoPagoFee), nameof(LedgerTotals.CommissionBase),
                     nameof(LedgerTotals.CommissionIgv), nameof(LedgerTotals.OtherFees), nameof(LedgerTotals.Net),
                 })
        {
            builder.Property(money).HasColumnName(money + "Cents");
        }

        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasOne<Organizers.Organizer>().WithMany().HasForeignKey(r => r.OrganizerId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class LedgerDayTotalConfiguration : IEntityTypeConfiguration<LedgerDayTotal>
{
    public void Configure(EntityTypeBuilder<LedgerDayTotal> builder)
    {
        LedgerTotalsColumns.Configure(builder);
        builder.HasIndex(r => new { r.OrganizerId, r.LocalDate, r.Kind }).IsUnique().HasDatabaseName("UX_LedgerDayTotals_Key");
    }
}

public sealed class LedgerEventDayTotalConfiguration : IEntityTypeConfiguration<LedgerEventDayTotal>
{
    public void Configure(EntityTypeBuilder<LedgerEventDayTotal> builder)
    {
        LedgerTotalsColumns.Configure(builder);

        // Period queries scan (organizer, day) ranges; an event's own dashboard reads (organizer, event, day).
        builder.HasIndex(r => new { r.OrganizerId, r.LocalDate, r.EventId, r.Kind }).IsUnique().HasDatabaseName("UX_LedgerEventDayTotals_Key");
        builder.HasIndex(r => new { r.OrganizerId, r.EventId, r.LocalDate });
    }
}

public sealed class LedgerEventMonthTotalConfiguration : IEntityTypeConfiguration<LedgerEventMonthTotal>
{
    public void Configure(EntityTypeBuilder<LedgerEventMonthTotal> builder)
    {
        LedgerTotalsColumns.Configure(builder);
        builder.HasIndex(r => new { r.OrganizerId, r.Month, r.EventId, r.Kind }).IsUnique().HasDatabaseName("UX_LedgerEventMonthTotals_Key");
        builder.HasIndex(r => new { r.OrganizerId, r.EventId, r.Month });
    }
}

public sealed class LedgerReleaseTotalConfiguration : IEntityTypeConfiguration<LedgerReleaseTotal>
{
    public void Configure(EntityTypeBuilder<LedgerReleaseTotal> builder)
    {
        LedgerTotalsColumns.Configure(builder);
        builder.HasIndex(r => new { r.OrganizerId, r.ReleaseState, r.ReleaseLocalDate }).IsUnique().HasDatabaseName("UX_LedgerReleaseTotals_Key");
        builder.HasIndex(r => new { r.OrganizerId, r.ReleaseLocalDate });
    }
}

public sealed class LedgerMethodDayTotalConfiguration : IEntityTypeConfiguration<LedgerMethodDayTotal>
{
    public void Configure(EntityTypeBuilder<LedgerMethodDayTotal> builder)
    {
        LedgerTotalsColumns.Configure(builder);
        builder.Property(r => r.PaymentMethodId).HasMaxLength(40);
        builder.Property(r => r.PaymentTypeId).HasMaxLength(40);
        builder.HasIndex(r => new { r.OrganizerId, r.LocalDate, r.Kind, r.PaymentMethodId, r.PaymentTypeId })
            .IsUnique().HasDatabaseName("UX_LedgerMethodDayTotals_Key");
    }
}

public sealed class LedgerEventReleaseTotalConfiguration : IEntityTypeConfiguration<LedgerEventReleaseTotal>
{
    public void Configure(EntityTypeBuilder<LedgerEventReleaseTotal> builder)
    {
        LedgerTotalsColumns.Configure(builder);

        // The balance reads the organizer's rows (optionally one event's); the writer finds rows by release day.
        builder.HasIndex(r => new { r.OrganizerId, r.EventId, r.ReleaseState, r.ReleaseLocalDate })
            .IsUnique().HasDatabaseName("UX_LedgerEventReleaseTotals_Key");
        builder.HasIndex(r => new { r.OrganizerId, r.ReleaseLocalDate });
    }
}
