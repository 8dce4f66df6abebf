using BillingPortal.Core.Billing.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        foreach (var money in new[]
                 {
                     nameof(LedgerEntry.Gross), nameof(LedgerEntry.MercadoPagoFee), nameof(LedgerEntry.CommissionBase),
                     nameof(LedgerEntry.CommissionIgv), nameof(LedgerEntry.OtherFees), nameof(LedgerEntry.Net),
                 })
        {
            builder.Property(money).HasColumnName(money + "Cents");
        }

        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.PaymentMethodId).HasMaxLength(40);
        builder.Property(e => e.PaymentTypeId).HasMaxLength(40);
        builder.HasOne<Payments.Payment>().WithMany().HasForeignKey(e => e.PaymentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organizers.Organizer>().WithMany().HasForeignKey(e => e.OrganizerId).OnDelete(DeleteBehavior.Restrict);

        // Period summaries scan (organizer, local date) ranges; per-event pages add the event.
        builder.HasIndex(e => new { e.OrganizerId, e.LocalDate });
        builder.HasIndex(e => new { e.OrganizerId, e.EventId, e.LocalDate });
        builder.HasIndex(e => e.PaymentId);

        // The balance reads the entries due on one release day (the boundary the daily rollups cannot split).
        builder.HasIndex(e => new { e.OrganizerId, e.ReleaseLocalDate });
    }
}
