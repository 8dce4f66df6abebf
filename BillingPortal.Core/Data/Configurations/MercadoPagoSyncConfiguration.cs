using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Core.Organizers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class MercadoPagoSyncStateConfiguration : IEntityTypeConfiguration<MercadoPagoSyncState>
{
    public void Configure(EntityTypeBuilder<MercadoPagoSyncState> builder)
    {
        builder.ToTable("MercadoPagoSyncStates");
        builder.HasKey(s => s.OrganizerId);
        builder.Property(s => s.OrganizerId).ValueGeneratedNever();
        builder.Property(s => s.LastErrorCode).HasMaxLength(64);
        builder.Property(s => s.LastErrorMessage).HasMaxLength(500);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => s.NextAttemptAt);
        builder.HasOne<Organizer>().WithOne().HasForeignKey<MercadoPagoSyncState>(s => s.OrganizerId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MercadoPagoSyncRunConfiguration : IEntityTypeConfiguration<MercadoPagoSyncRun>
{
    public void Configure(EntityTypeBuilder<MercadoPagoSyncRun> builder)
    {
        builder.ToTable("MercadoPagoSyncRuns");
        builder.Property(r => r.ErrorCode).HasMaxLength(64);
        builder.Property(r => r.ErrorMessage).HasMaxLength(500);
        builder.HasIndex(r => new { r.OrganizerId, r.StartedAt }).IsDescending(false, true);
        builder.HasIndex(r => new { r.Status, r.StartedAt });
        builder.HasOne<Organizer>().WithMany().HasForeignKey(r => r.OrganizerId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WebhookInboxEntryConfiguration : IEntityTypeConfiguration<WebhookInboxEntry>
{
    public void Configure(EntityTypeBuilder<WebhookInboxEntry> builder)
    {
        builder.ToTable("WebhookInbox");
        builder.Property(e => e.DedupKey).HasMaxLength(200);
        builder.HasIndex(e => e.DedupKey).IsUnique();
        builder.Property(e => e.Topic).HasMaxLength(64);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.ResourceId).HasMaxLength(64);
        builder.Property(e => e.RequestId).HasMaxLength(64);
        builder.Property(e => e.LastError).HasMaxLength(500);
        builder.HasIndex(e => new { e.Status, e.NextAttemptAt });
        builder.HasIndex(e => e.ReceivedAt);
        builder.HasOne<Organizer>().WithMany().HasForeignKey(e => e.OrganizerId).OnDelete(DeleteBehavior.SetNull);
    }
}
