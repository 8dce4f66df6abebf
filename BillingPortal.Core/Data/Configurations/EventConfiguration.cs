using BillingPortal.Core.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.Property(e => e.ExternalId).HasMaxLength(64);
        builder.HasIndex(e => e.ExternalId).IsUnique();
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.Property(e => e.Venue).HasMaxLength(200);
        builder.Property(e => e.City).HasMaxLength(100);
        builder.HasIndex(e => new { e.OrganizerId, e.StartsAt });
        builder.HasOne(e => e.Organizer).WithMany().HasForeignKey(e => e.OrganizerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.CommissionPlan).WithMany().HasForeignKey(e => e.CommissionPlanId).OnDelete(DeleteBehavior.Restrict);
    }
}
