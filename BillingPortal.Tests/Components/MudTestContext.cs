using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Payments;
using BillingPortal.MercadoPago;
using BillingPortal.Security;
using BillingPortal.Tests.Infrastructure;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components;

/// <summary>
/// bUnit base for MudBlazor components: loose JS interop, MudBlazor services without transitions, an
/// interactive Server renderer, the portal's localization in es-PE, bUnit's authorization (nobody signed in until
/// <see cref="SignIn"/>), the portal's tenancy (<see cref="TenantAccessor"/>) and (on demand) the real Core services
/// over a real SQLite file. Disposes asynchronously, as MudBlazor's services require.
/// </summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    /// <summary>"Now" for every component: 20/03/2026 10:00 in Lima.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 20, 15, 0, 0, TimeSpan.Zero);

    private SqliteTestDatabase? _database;

    protected MudTestContext()
    {
        UseCulture("es-PE");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.PopoverOptions.CheckForPopoverProvider = false;
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddLocalization();
        Services.AddSingleton<TimeProvider>(Time);

        // Real Core read services; the database behind them exists once InitializeAsync ran (UsesDatabase).
        Services.AddSingleton(_ => Database.Factory);
        Services.AddSingleton<OrganizerQueries>();
        Services.AddSingleton<LedgerQueries>();
        Services.AddSingleton<BillingPortal.Core.Reporting.DashboardQueries>();
        Services.AddSingleton<BillingPortal.Core.Reporting.EventActivityQueries>();
        Services.AddSingleton<OrganizerAccessService>();
        Services.AddSingleton<MemberService>();
        Services.AddSingleton<PlatformAdminQueries>();
        Services.AddSingleton<AuditLogQueries>();
        Services.AddSingleton<ApiKeyService>();
        Services.AddSingleton<Core.Reporting.TransactionQueries>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new MembershipOptions()));
        Services.AddSingleton(AuthenticationOptions);
        Services.AddScoped<PortalSessionAccessor>();
        Services.AddScoped<TenantAccessor>();

        // Mercado Pago (the connection page, its banner, the alerts page): the real services with a test key; Mercado
        // Pago itself is never called by these components.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenProtection:ActiveKeyId"] = "test",
            ["TokenProtection:Keys:test"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            // The pages read through the report cache; these tests change data between renders, so it is off here
            // (the cache has its own tests: BillingPortal.Tests/Integration/Caching).
            ["Cache:Enabled"] = "false",
        }).Build();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddReportCache(configuration);
        Services.AddMercadoPago(configuration);
        Services.AddSingleton(new MercadoPagoMode(UsesSandbox: false, SandboxPrefix: "/sandbox/mercadopago", AuthorizationOrigin: null, Configured: true));
        Authorization = AddAuthorization();

        // Statements (the layout's notifications list the organizer's exports): the real services over the test database.
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new BillingPortal.Core.Statements.StatementOptions
        {
            ResolvedDirectory = Path.Combine(Path.GetTempPath(), "bp-statements-" + Guid.NewGuid().ToString("N")),
        }));
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new BillingPortal.Core.Statements.PlatformIdentityOptions()));
        Services.AddSingleton<BillingPortal.Core.Statements.StatementComposer>();
        Services.AddSingleton<BillingPortal.Core.Statements.StatementExports>();
        Services.AddSingleton<BillingPortal.Core.Statements.StatementExportNotifier>();

        // Last: this builds the service provider.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected FakeTimeProvider Time { get; } = new(Now);

    /// <summary>The portal's sign-in settings (admin role "platform-admin", no admin emails).</summary>
    protected PortalAuthenticationOptions AuthenticationOptions { get; } = new();

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs <paramref name="user"/> in as the portal's session would (user id and email claims; admin role if asked).</summary>
    protected void SignIn(PortalUser user, bool platformAdmin = false)
    {
        ArgumentNullException.ThrowIfNull(user);
        Authorization.SetAuthorized(user.DisplayName ?? user.Email);
        var claims = new List<Claim>
        {
            new(PortalPrincipal.UserIdClaim, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(PortalPrincipal.EmailClaim, user.Email),
        };
        if (platformAdmin)
        {
            claims.Add(new Claim(PortalPrincipal.RoleClaim, AuthenticationOptions.Oidc.AdminRole));
            Authorization.SetPolicies(PortalPolicies.PlatformAdmin);
        }

        Authorization.SetClaims([.. claims]);
    }

    protected SqliteTestDatabase Database => _database ?? throw new InvalidOperationException("Override UsesDatabase to get a database.");

    /// <summary>True for tests that render components reading the database.</summary>
    protected virtual bool UsesDatabase => false;

    public async ValueTask InitializeAsync()
    {
        if (UsesDatabase) _database = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Sets the thread's culture for rendering (the portal's request localization does this per request).</summary>
    protected static void UseCulture(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    /// <summary>Stores organizers.</summary>
    protected async Task AddOrganizersAsync(params Organizer[] organizers)
    {
        await using var db = Database.CreateContext();
        db.Organizers.AddRange(organizers);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Stores payments and their ledger entries through the one write path, PaymentLedgerWriter.</summary>
    protected async Task AddPaymentsAsync(params Payment[] payments)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Payments.AddRange(payments);
        await new PaymentLedgerWriter(Time).ReplaceAsync(db, payments, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Every stored ledger entry of one organizer (the reference for LedgerSummaries).</summary>
    protected async Task<List<LedgerEntry>> LedgerOfAsync(int organizerId)
    {
        await using var db = Database.CreateContext();
        return await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId).ToListAsync(TestContext.Current.CancellationToken);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (_database is not null) await _database.DisposeAsync();
    }
}
