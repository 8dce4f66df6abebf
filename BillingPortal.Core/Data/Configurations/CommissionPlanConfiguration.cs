using BillingPortal.Core.Billing.Commissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class CommissionPlanConfiguration : IEntityTypeConfiguration<CommissionPlan>
{
    public void Configure(EntityTypeBuilder<CommissionPlan> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Rate).HasConversion<RatePpmConverter>().HasColumnName("RatePpm");
        builder.Property(p => p.FixedPerTicket).HasColumnName("FixedPerTicketCents");
    }
}
