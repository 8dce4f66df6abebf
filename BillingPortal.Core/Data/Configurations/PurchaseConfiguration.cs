using BillingPortal.Core.Purchases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

/// <summary>Includes the production checklist's three indexes, adapted to the model.</summary>
public sealed class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    public void Configure(EntityTypeBuilder<Purchase> builder)
    {
        builder.Property(p => p.ExternalId).HasMaxLength(64);
        builder.HasIndex(p => p.ExternalId).IsUnique();
        builder.Property(p => p.BuyerEmail).HasMaxLength(254);
        builder.Property(p => p.BuyerName).HasMaxLength(200);
        builder.Property(p => p.BuyerDocument).HasMaxLength(20);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Amount).HasColumnName("AmountCents");
        builder.HasOne(p => p.Event).WithMany().HasForeignKey(p => p.EventId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organizers.Organizer>().WithMany().HasForeignKey(p => p.OrganizerId).OnDelete(DeleteBehavior.Restrict);

        // idx_purchases_event_status, idx_purchases_payment_date, idx_purchases_created_at (DESC)
        builder.HasIndex(p => new { p.EventId, p.Status }).HasDatabaseName("IX_Purchases_Event_Status");
        builder.HasIndex(p => p.PaymentDate).HasDatabaseName("IX_Purchases_PaymentDate");
        builder.HasIndex(p => p.CreatedAt).IsDescending().HasDatabaseName("IX_Purchases_CreatedAt_Desc");
        builder.HasIndex(p => new { p.OrganizerId, p.CreatedAt });

        // An event page lists its purchases newest first, keyset-paged on (created, id).
        builder.HasIndex(p => new { p.OrganizerId, p.EventId, p.CreatedAt });
    }
}
