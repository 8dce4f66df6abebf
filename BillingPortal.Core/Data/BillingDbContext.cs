using BillingPortal.Core.Alerts;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Events;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.MercadoPago.Webhooks;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Data;

/// <summary>
/// The one DbContext. Providers subclass it (<see cref="SqliteBillingDbContext"/>, <see cref="SqlServerBillingDbContext"/>)
/// so that each keeps its own migration set:
/// <c>dotnet ef migrations add Name --project BillingPortal.Core --startup-project BillingPortal --context SqliteBillingDbContext --output-dir Data/Migrations/Sqlite</c>
/// (and likewise with <c>SqlServerBillingDbContext</c> and <c>Data/Migrations/SqlServer</c>).
/// </summary>
public abstract class BillingDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Organizer> Organizers => Set<Organizer>();

    public DbSet<CommissionPlan> CommissionPlans => Set<CommissionPlan>();

    public DbSet<Event> Events => Set<Event>();

    public DbSet<Purchase> Purchases => Set<Purchase>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<PaymentFee> PaymentFees => Set<PaymentFee>();

    public DbSet<PaymentRefund> PaymentRefunds => Set<PaymentRefund>();

    public DbSet<PaymentStatusChange> PaymentStatusChanges => Set<PaymentStatusChange>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    /// <summary>The ledger's read models (kept in step with <see cref="LedgerEntries"/> by <see cref="LedgerRollups"/>).</summary>
    public DbSet<LedgerDayTotal> LedgerDayTotals => Set<LedgerDayTotal>();

    public DbSet<LedgerEventDayTotal> LedgerEventDayTotals => Set<LedgerEventDayTotal>();

    public DbSet<LedgerEventMonthTotal> LedgerEventMonthTotals => Set<LedgerEventMonthTotal>();

    public DbSet<LedgerReleaseTotal> LedgerReleaseTotals => Set<LedgerReleaseTotal>();

    public DbSet<LedgerMethodDayTotal> LedgerMethodDayTotals => Set<LedgerMethodDayTotal>();

    public DbSet<LedgerEventReleaseTotal> LedgerEventReleaseTotals => Set<LedgerEventReleaseTotal>();

    public DbSet<Anomaly> Anomalies => Set<Anomaly>();

    public DbSet<PortalUser> Users => Set<PortalUser>();

    public DbSet<OrganizerMember> OrganizerMembers => Set<OrganizerMember>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<OrganizerApiKey> ApiKeys => Set<OrganizerApiKey>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<MercadoPagoLink> MercadoPagoLinks => Set<MercadoPagoLink>();

    public DbSet<MercadoPagoAuthorizationRequest> MercadoPagoAuthorizationRequests => Set<MercadoPagoAuthorizationRequest>();

    public DbSet<AdminAlert> AdminAlerts => Set<AdminAlert>();

    public DbSet<MercadoPagoSyncState> MercadoPagoSyncStates => Set<MercadoPagoSyncState>();

    public DbSet<MercadoPagoSyncRun> MercadoPagoSyncRuns => Set<MercadoPagoSyncRun>();

    public DbSet<WebhookInboxEntry> WebhookInbox => Set<WebhookInboxEntry>();

    /// <summary>Statements generated in the background, and the monthly ones.</summary>
    public DbSet<Statements.StatementExport> StatementExports => Set<Statements.StatementExport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BillingDbContext).Assembly);

    /// <summary>Money is integer céntimos in every database (5–10× faster sums on SQLite; bigint on SQL Server).</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HaveConversion<MoneyCentsConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}
