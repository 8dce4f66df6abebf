using BillingPortal.Core.Organizers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class OrganizerConfiguration : IEntityTypeConfiguration<Organizer>
{
    public void Configure(EntityTypeBuilder<Organizer> builder)
    {
        builder.Property(o => o.ExternalId).HasMaxLength(64);
        builder.HasIndex(o => o.ExternalId).IsUnique();
        builder.Property(o => o.TaxId).HasMaxLength(11);
        builder.HasIndex(o => o.TaxId).IsUnique();
        builder.Property(o => o.LegalName).HasMaxLength(200);
        builder.Property(o => o.ContactEmail).HasMaxLength(254);
        builder.Property(o => o.TimeZoneId).HasMaxLength(64);
        builder.HasIndex(o => o.MercadoPagoUserId).IsUnique();
        builder.HasOne(o => o.CommissionPlan).WithMany().HasForeignKey(o => o.CommissionPlanId).OnDelete(DeleteBehavior.Restrict);
    }
}
