using BillingPortal.Core.Statements;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BillingPortal.Core.Data.Configurations;

public sealed class StatementExportConfiguration : IEntityTypeConfiguration<StatementExport>
{
    public void Configure(EntityTypeBuilder<StatementExport> builder)
    {
        builder.Property(e => e.CsvSeparator).HasMaxLength(1);
        builder.Property(e => e.Number).HasMaxLength(32);
        builder.Property(e => e.FileName).HasMaxLength(200);
        builder.Property(e => e.StoragePath).HasMaxLength(300);
        builder.Property(e => e.Sha256).HasMaxLength(64);
        builder.Property(e => e.FiguresSha256).HasMaxLength(64);
        builder.Property(e => e.Error).HasMaxLength(500);
        builder.Ignore(e => e.Progress);
        builder.HasOne<Organizers.Organizer>().WithMany().HasForeignKey(e => e.OrganizerId).OnDelete(DeleteBehavior.Restrict);

        // The organizer's list (newest first), the worker's queue, the expiry sweep.
        builder.HasIndex(e => new { e.OrganizerId, e.CreatedAt });
        builder.HasIndex(e => new { e.Status, e.CreatedAt });
        builder.HasIndex(e => e.ExpiresAt);

        // One monthly statement per organizer, month and format: numbered and immutable.
        builder.HasIndex(e => new { e.OrganizerId, e.Kind, e.PeriodFrom, e.Format })
            .IsUnique()
            .HasFilter("Kind = 'Monthly'")
            .HasDatabaseName("UX_StatementExports_Monthly");
    }
}
