using BillingPortal.Core.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.ExternalReference).HasMaxLength(64);
        builder.Property(p => p.StatusDetail).HasMaxLength(64);
        builder.Property(p => p.CurrencyId).HasMaxLength(3);
        builder.Property(p => p.PaymentMethodId).HasMaxLength(40);
        builder.Property(p => p.PaymentTypeId).HasMaxLength(40);
        builder.Property(p => p.PayerEmail).HasMaxLength(254);
        builder.Property(p => p.PayerIdentificationType).HasMaxLength(10);
        builder.Property(p => p.PayerIdentificationNumber).HasMaxLength(20);
        builder.Property(p => p.Description).HasMaxLength(300);
        foreach (var money in new[]
                 {
                     nameof(Payment.TransactionAmount), nameof(Payment.TransactionAmountRefunded), nameof(Payment.NetReceivedAmount),
                     nameof(Payment.TotalPaidAmount), nameof(Payment.MercadoPagoFee), nameof(Payment.ApplicationFee),
                     nameof(Payment.OtherCollectorFees), nameof(Payment.PayerFees),
                 })
        {
            builder.Property(money).HasColumnName(money + "Cents");
        }

        builder.HasOne<Organizers.Organizer>().WithMany().HasForeignKey(p => p.OrganizerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Purchases.Purchase>().WithMany().HasForeignKey(p => p.PurchaseId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Events.Event>().WithMany().HasForeignKey(p => p.EventId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Fees).WithOne().HasForeignKey(f => f.PaymentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Refunds).WithOne().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.StatusHistory).WithOne().HasForeignKey(h => h.PaymentId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(p => new { p.OrganizerId, p.DateLastUpdated });
        builder.HasIndex(p => new { p.OrganizerId, p.DateCreated });

        // The transactions grid: keyset pages on (date created, id) under the common filters, and buyer search.
        builder.HasIndex(p => new { p.OrganizerId, p.EventId, p.DateCreated });
        builder.HasIndex(p => new { p.OrganizerId, p.Status, p.DateCreated });
        builder.HasIndex(p => new { p.OrganizerId, p.PayerEmail });
        builder.HasIndex(p => new { p.OrganizerId, p.TransactionAmount });
        // «Pending» and «credited» pages: one range per (release status, status) in date order (TransactionQueries.PendingParts).
        builder.HasIndex(p => new { p.OrganizerId, p.MoneyReleaseStatus, p.Status, p.DateCreated });
        builder.HasIndex(p => p.ExternalReference);
        builder.HasIndex(p => p.PurchaseId);
    }
}

public sealed class PaymentFeeConfiguration : IEntityTypeConfiguration<PaymentFee>
{
    public void Configure(EntityTypeBuilder<PaymentFee> builder)
    {
        builder.Property(f => f.Type).HasMaxLength(40);
        builder.Property(f => f.Amount).HasColumnName("AmountCents");
    }
}

public sealed class PaymentRefundConfiguration : IEntityTypeConfiguration<PaymentRefund>
{
    public void Configure(EntityTypeBuilder<PaymentRefund> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Status).HasMaxLength(20);
        builder.Property(r => r.SourceType).HasMaxLength(20);
        builder.Property(r => r.Amount).HasColumnName("AmountCents");
    }
}

public sealed class PaymentStatusChangeConfiguration : IEntityTypeConfiguration<PaymentStatusChange>
{
    public void Configure(EntityTypeBuilder<PaymentStatusChange> builder)
    {
        builder.Property(h => h.StatusDetail).HasMaxLength(64);
        builder.HasIndex(h => new { h.PaymentId, h.ChangedAt });
    }
}
