using BillingPortal.Core.Billing.Anomalies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class AnomalyConfiguration : IEntityTypeConfiguration<Anomaly>
{
    public void Configure(EntityTypeBuilder<Anomaly> builder)
    {
        builder.Property(a => a.Detail).HasMaxLength(500);
        builder.Property(a => a.Expected).HasColumnName("ExpectedCents");
        builder.Property(a => a.Actual).HasColumnName("ActualCents");
        builder.HasIndex(a => new { a.OrganizerId, a.ResolvedAt });
        builder.HasIndex(a => new { a.PaymentId, a.Kind });
    }
}
