using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder)
    {
        builder.ToTable("Users");
        builder.Property(u => u.Issuer).HasMaxLength(300);
        builder.Property(u => u.Subject).HasMaxLength(200);
        builder.Property(u => u.Email).HasMaxLength(254);
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.HasIndex(u => new { u.Issuer, u.Subject }).IsUnique();
        builder.HasIndex(u => u.Email);
    }
}

public sealed class OrganizerMemberConfiguration : IEntityTypeConfiguration<OrganizerMember>
{
    public void Configure(EntityTypeBuilder<OrganizerMember> builder)
    {
        builder.HasIndex(m => new { m.OrganizerId, m.UserId }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organizer>().WithMany().HasForeignKey(m => m.OrganizerId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.Email).HasMaxLength(254);
        builder.HasIndex(i => new { i.Email, i.AcceptedAt, i.RevokedAt });
        builder.HasIndex(i => i.OrganizerId);
        builder.HasOne<Organizer>().WithMany().HasForeignKey(i => i.OrganizerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(i => i.InvitedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class OrganizerApiKeyConfiguration : IEntityTypeConfiguration<OrganizerApiKey>
{
    public void Configure(EntityTypeBuilder<OrganizerApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.Hash).HasMaxLength(64);
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasIndex(k => k.OrganizerId);
        builder.HasOne<Organizer>().WithMany().HasForeignKey(k => k.OrganizerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(k => k.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.Property(a => a.Actor).HasMaxLength(254);
        builder.Property(a => a.Target).HasMaxLength(100);
        builder.Property(a => a.Detail).HasMaxLength(500);
        builder.Property(a => a.IpAddress).HasMaxLength(45);
        builder.Property(a => a.UserAgent).HasMaxLength(300);
        builder.HasIndex(a => a.OccurredAt).IsDescending();
        builder.HasIndex(a => new { a.OrganizerId, a.OccurredAt });
    }
}
