using BillingPortal.Core.Billing.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class LedgerDailyRollupConfiguration : IEntityTypeConfiguration<LedgerDailyRollup>
{
    public void Configure(EntityTypeBuilder<LedgerDailyRollup> builder)
    {
        foreach (var money in new[]
                 {
                     nameof(LedgerDailyRollup.Gross), nameof(LedgerDailyRollup.MercadoPagoFee), nameof(LedgerDailyRollup.CommissionBase),
                     nameof(LedgerDailyRollup.CommissionIgv), nameof(LedgerDailyRollup.OtherFees), nameof(LedgerDailyRollup.Net),
                 })
        {
            builder.Property(money).HasColumnName(money + "Cents");
        }

        builder.Property(r => r.PaymentMethodId).HasMaxLength(40);
        builder.Property(r => r.PaymentTypeId).HasMaxLength(40);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasOne<Organizers.Organizer>().WithMany().HasForeignKey(r => r.OrganizerId).OnDelete(DeleteBehavior.Restrict);

        // One row per key; period queries scan (organizer, local date) ranges, per-event ones add the event first.
        builder.HasIndex(r => new
        {
            r.OrganizerId, r.LocalDate, r.EventId, r.Kind, r.PaymentMethodId, r.PaymentTypeId, r.ReleaseState, r.ReleaseLocalDate,
        }).IsUnique().HasDatabaseName("UX_LedgerDailyRollups_Key");
        builder.HasIndex(r => new { r.OrganizerId, r.EventId, r.LocalDate });

        // Balance queries read (organizer, release date).
        builder.HasIndex(r => new { r.OrganizerId, r.ReleaseLocalDate });
    }
}
