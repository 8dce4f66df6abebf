using BillingPortal.Core.Alerts;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Organizers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class MercadoPagoLinkConfiguration : IEntityTypeConfiguration<MercadoPagoLink>
{
    public void Configure(EntityTypeBuilder<MercadoPagoLink> builder)
    {
        builder.ToTable("MercadoPagoLinks");
        builder.HasIndex(l => l.OrganizerId).IsUnique();
        builder.HasIndex(l => l.MercadoPagoUserId);
        builder.HasIndex(l => new { l.Status, l.RenewalDueAt });
        builder.Property(l => l.AccountNickname).HasMaxLength(100);
        builder.Property(l => l.PublicKey).HasMaxLength(200);
        builder.Property(l => l.Scopes).HasMaxLength(200);
        builder.Property(l => l.AccessTokenCiphertext).HasMaxLength(1000);
        builder.Property(l => l.RefreshTokenCiphertext).HasMaxLength(1000);
        builder.Property(l => l.LastErrorCode).HasMaxLength(64);
        builder.Property(l => l.Version).IsConcurrencyToken();
        builder.HasOne<Organizer>().WithMany().HasForeignKey(l => l.OrganizerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(l => l.LinkedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class MercadoPagoAuthorizationRequestConfiguration : IEntityTypeConfiguration<MercadoPagoAuthorizationRequest>
{
    public void Configure(EntityTypeBuilder<MercadoPagoAuthorizationRequest> builder)
    {
        builder.ToTable("MercadoPagoAuthorizationRequests");
        builder.Property(r => r.StateHash).HasMaxLength(64);
        builder.HasIndex(r => r.StateHash).IsUnique();
        builder.HasIndex(r => r.ExpiresAt);
        builder.Property(r => r.CodeVerifierCiphertext).HasMaxLength(500);
        builder.Property(r => r.RedirectUri).HasMaxLength(500);
        builder.HasOne<Organizer>().WithMany().HasForeignKey(r => r.OrganizerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AdminAlertConfiguration : IEntityTypeConfiguration<AdminAlert>
{
    public void Configure(EntityTypeBuilder<AdminAlert> builder)
    {
        builder.ToTable("AdminAlerts");
        builder.Property(a => a.Kind).HasMaxLength(64);
        builder.Property(a => a.Key).HasMaxLength(200);
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.Property(a => a.Detail).HasMaxLength(1000);
        builder.Property(a => a.ResolvedBy).HasMaxLength(254);
        builder.HasIndex(a => new { a.Key, a.ResolvedAt });
        builder.HasIndex(a => new { a.ResolvedAt, a.LastSeenAt });
        builder.HasIndex(a => a.OrganizerId);
        builder.HasOne<Organizer>().WithMany().HasForeignKey(a => a.OrganizerId).OnDelete(DeleteBehavior.Cascade);
    }
}
