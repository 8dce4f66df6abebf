using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Core.Events;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.MercadoPago.Sync;
using BillingPortal.Core.Organizers;
using BillingPortal.Core.Purchases;
using BillingPortal.Core.Security;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Benchmarks;

/// <summary>
/// <c>--sync</c>: the first sync of one seller's payments (issue #5 §7: 100,000 payments, target under 60 s). Fills the
/// emulator's store with the store's bulk writer (sales over the last 360 days as <see cref="SandboxSaleBuilder"/> builds
/// them, with refunds, chargebacks and pending payments), gives the organizer a purchase per sale, starts
/// <see cref="MercadoPagoSandboxServer"/> on loopback, links the organizer with tokens issued by the emulator (stored
/// encrypted as the linking service stores them) and times <see cref="IPaymentSync.RunAsync"/> with the portal's real
/// services: HTTP, resilience pipeline, JSON, upsert, ledger and anomalies, all in this process on this machine.
/// </summary>
internal static class SyncBenchmark
{
    private const long SellerId = 500_100_200;

    //   dotnet run -c Release --project BillingPortal.Benchmarks -- --sync [--payments 100000] [--page-size 100] [--dir /tmp/x] [--keep]
    public static async Task<int> RunAsync(string[] args)
    {
        int payments = 100_000, pageSize = 100;
        string? directoryArgument = null;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--payments": payments = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--page-size": pageSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir": directoryArgument = args[++i]; break;
                case "--keep": keep = true; break;
                default: throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }

        var directory = directoryArgument ?? Path.Combine(Path.GetTempPath(), "billingportal-syncbench-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        var ct = CancellationToken.None;
        var setup = Stopwatch.StartNew();

        // The portal's database: one organizer on the sandbox's plan, one event, one purchase per sale.
        var database = new DatabaseOptions { DataDirectory = directory };
        var factory = new BenchmarkContextFactory(new DbContextOptionsBuilder<SqliteBillingDbContext>()
            .UseSqlite(DataServiceCollectionExtensions.SqliteConnectionString(database, directory)).Options);
        await new DatabaseMigrator(factory, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).MigrateAsync(ct);
        var (organizerId, eventId) = await CreateOrganizerAsync(factory, ct);

        // The emulator's store, written in bulk.
        var generated = Generate(payments, DateTimeOffset.UtcNow);
        await CreatePurchasesAsync(factory, organizerId, eventId, generated, ct);
        var store = new MercadoPagoSandboxStore(Path.Combine(directory, MercadoPagoSandboxStore.FileName));
        await using (var writer = await store.BeginReplaceAsync(ct))
        {
            foreach (var chunk in generated.Chunk(5_000))
                await writer.WriteAsync(chunk.Select(p => DemoPaymentDocument.From(p, JsonSerializer.SerializeToUtf8Bytes(p, MercadoPagoJsonContext.Default.MpPayment))).ToList(), ct);
            await writer.CompleteAsync(ct);
        }

        await using var server = await MercadoPagoSandboxServer.StartAsync(directory, cancellationToken: ct);
        await server.Accounts.UpsertSellerAsync(new SandboxSeller(SellerId, "BENCHPRODUCCIONES", "ventas@bench.example", "Rosa", "Quispe", "Bench Producciones S.A.C."), ct);
        var tokens = await server.Accounts.IssueTokensAsync(SellerId, server.Options.ClientId, server.Options.AccessTokenLifetime, ct);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MercadoPago:ApiBaseUrl"] = server.BaseAddress.ToString(),
            ["MercadoPago:ClientId"] = server.Options.ClientId,
            ["MercadoPago:ClientSecret"] = server.Options.ClientSecret,
            ["MercadoPago:Sync:PageSize"] = pageSize.ToString(CultureInfo.InvariantCulture),
            ["TokenProtection:Keys:bench"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["TokenProtection:ActiveKeyId"] = "bench",
            ["TokenProtection:AllowGeneratedKey"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new WarningConsoleProvider()).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddBillingData(database, directory);
        services.AddMercadoPago(configuration);
        await using var portal = services.BuildServiceProvider();
        await LinkAsync(factory, portal.GetRequiredService<ITokenProtector>(), organizerId, tokens, ct);
        setup.Stop();
        Console.WriteLine($"Setup: {payments.ToString("N0", CultureInfo.InvariantCulture)} payments in the emulator, purchases and link in {setup.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s ({directory})");

        // The measured part: one first sync, as the scheduled job would run it.
        GC.Collect();
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
        using var memory = new PeakMemorySampler();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        using var progress = new Timer(_ => _ = ReportProgressAsync(factory, organizerId, stopwatch), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        var summary = await portal.GetRequiredService<IPaymentSync>().RunAsync(organizerId, SyncRunKind.Incremental, null, ct);
        stopwatch.Stop();
        memory.Stop();
        await progress.DisposeAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        long stored, ledger, anomalies;
        await using (var db = factory.CreateDbContext())
        {
            stored = await db.Payments.LongCountAsync(p => p.OrganizerId == organizerId, ct);
            ledger = await db.LedgerEntries.LongCountAsync(e => e.OrganizerId == organizerId, ct);
            anomalies = await db.Anomalies.LongCountAsync(a => a.OrganizerId == organizerId, ct);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var mb = (long bytes) => (bytes / 1024d / 1024d).ToString("N0", CultureInfo.InvariantCulture) + " MB";
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| run | {summary.Status}, {summary.ErrorCode ?? "no error"} |");
        Console.WriteLine($"| payments in the emulator / stored | {payments.ToString("N0", CultureInfo.InvariantCulture)} / {stored.ToString("N0", CultureInfo.InvariantCulture)} |");
        Console.WriteLine($"| payments seen / new / changed | {summary.PaymentsSeen.ToString("N0", CultureInfo.InvariantCulture)} / {summary.PaymentsNew.ToString("N0", CultureInfo.InvariantCulture)} / {summary.PaymentsChanged.ToString("N0", CultureInfo.InvariantCulture)} |");
        Console.WriteLine($"| pages (limit {pageSize.ToString(CultureInfo.InvariantCulture)}) | {summary.Pages.ToString("N0", CultureInfo.InvariantCulture)} |");
        Console.WriteLine($"| elapsed | {seconds.ToString("N1", CultureInfo.InvariantCulture)} s |");
        Console.WriteLine($"| payments/s | {(summary.PaymentsSeen / seconds).ToString("N0", CultureInfo.InvariantCulture)} |");
        Console.WriteLine($"| CPU time (emulator and portal, all threads) | {cpu.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s |");
        Console.WriteLine($"| ms per page | {(stopwatch.Elapsed.TotalMilliseconds / Math.Max(1, summary.Pages)).ToString("N1", CultureInfo.InvariantCulture)} |");
        Console.WriteLine($"| ledger entries / anomalies written | {ledger.ToString("N0", CultureInfo.InvariantCulture)} / {anomalies.ToString("N0", CultureInfo.InvariantCulture)} |");
        Console.WriteLine($"| peak working set (emulator and portal in one process) | {mb(Math.Max(memory.Peak, Environment.WorkingSet))} |");
        Console.WriteLine($"| GC during the run | gen0 {GC.CollectionCount(0) - gcBefore.Item1}, gen1 {GC.CollectionCount(1) - gcBefore.Item2}, gen2 {GC.CollectionCount(2) - gcBefore.Item3}, pauses {(GC.GetTotalPauseDuration() - gcBefore.Item4).TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s, allocated {mb(GC.GetTotalAllocatedBytes() - gcBefore.Item5)} |");
        Console.WriteLine($"| machine | {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version} |");

        SqliteConnection.ClearAllPools();
        if (!keep) Directory.Delete(directory, recursive: true);
        return summary.Status == SyncRunStatus.Succeeded && stored == payments ? 0 : 1;
    }

    /// <summary>Prints the run's committed pages so far (read from its row), to see whether pages slow down as data grows.</summary>
    private static async Task ReportProgressAsync(BenchmarkContextFactory factory, int organizerId, Stopwatch stopwatch)
    {
        try
        {
            await using var db = factory.CreateDbContext();
            var run = await db.MercadoPagoSyncRuns.AsNoTracking().Where(r => r.OrganizerId == organizerId).OrderByDescending(r => r.Id).FirstOrDefaultAsync();
            if (run is not null)
                Console.WriteLine($"  {stopwatch.Elapsed.TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s: {run.Pages.ToString("N0", CultureInfo.InvariantCulture)} pages, {run.PaymentsNew.ToString("N0", CultureInfo.InvariantCulture)} payments");
        }
        catch (SqliteException)
        {
            // Busy: skip this report.
        }
    }

    private static async Task<(int OrganizerId, int EventId)> CreateOrganizerAsync(BenchmarkContextFactory factory, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var organizer = new Organizer
        {
            ExternalId = "org_bench",
            TaxIdKind = TaxIdKind.Ruc,
            TaxId = "20100070970",
            LegalName = "Bench Producciones S.A.C.",
            ContactEmail = "finanzas@bench.example",
            CommissionPlan = new CommissionPlan { Name = "Sandbox", Rate = SandboxSaleBuilder.DefaultPlan.Rate, FixedPerTicket = SandboxSaleBuilder.DefaultPlan.FixedPerTicket },
            MercadoPagoUserId = SellerId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(ct);
        var @event = new Event
        {
            OrganizerId = organizer.Id,
            ExternalId = "evt_bench",
            Name = "Festival de prueba",
            Venue = "Estadio Nacional",
            StartsAt = DateTimeOffset.UtcNow.AddDays(30),
            Capacity = 200_000,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Events.Add(@event);
        await db.SaveChangesAsync(ct);
        return (organizer.Id, @event.Id);
    }

    /// <summary>
    /// One seller's payments over the last 360 days: approved card, Yape and PagoEfectivo sales (3% left pending), 6%
    /// partially and 3% fully refunded later, 0.3% charged back, and their funds released when due.
    /// </summary>
    private static List<MpPayment> Generate(int count, DateTimeOffset now)
    {
        var random = new Random(42);
        var seller = new SandboxSeller(SellerId, "BENCHPRODUCCIONES", "ventas@bench.example", "Rosa", "Quispe", "Bench Producciones S.A.C.");
        var methods = new[] { ("visa", "credit_card"), ("master", "credit_card"), ("visa", "debit_card"), ("yape", "digital_wallet"), ("pagoefectivo_atm", "atm") };
        var list = new List<MpPayment>(count);
        for (var i = 0; i < count; i++)
        {
            var created = now - TimeSpan.FromMinutes(random.Next(60, 360 * 24 * 60));
            var (method, type) = methods[random.Next(methods.Length)];
            var amount = 20m + random.Next(0, 48_000) / 100m;
            var tickets = 1 + random.Next(4);
            var payment = SandboxSaleBuilder.Build(
                new SandboxSaleRequest
                {
                    SellerId = SellerId,
                    Amount = amount,
                    PaymentMethodId = method,
                    PaymentTypeId = type,
                    ExternalReference = Reference(i),
                    Tickets = tickets,
                    Pending = random.NextDouble() < 0.03,
                    DateCreated = created,
                },
                seller,
                90_000_000_000L + i,
                112233445,
                now,
                random);
            var roll = random.NextDouble();
            var later = payment.DateLastUpdated!.Value + TimeSpan.FromMinutes(random.Next(60, 20 * 24 * 60));
            if (payment.Status == MercadoPagoStatuses.Approved && later < now)
            {
                if (roll < 0.06) payment = Refund(payment, Math.Round(amount / 3, 2), later, 6_000_000_000L + i);
                else if (roll < 0.09) payment = Refund(payment, amount, later, 6_000_000_000L + i);
                else if (roll < 0.093) payment = payment with { Status = MercadoPagoStatuses.ChargedBack, StatusDetail = "in_process", DateLastUpdated = later };
            }

            list.Add(payment);
        }

        return list;
    }

    private static MpPayment Refund(MpPayment payment, decimal amount, DateTimeOffset at, long refundId)
    {
        var whole = amount >= payment.TransactionAmount;
        var when = SandboxSaleBuilder.ToMercadoPago(at);
        return payment with
        {
            Refunds =
            [
                new MpRefund
                {
                    Id = refundId,
                    PaymentId = payment.Id,
                    Amount = amount,
                    Source = new MpRefundSource { Id = SellerId.ToString(CultureInfo.InvariantCulture), Type = "collector" },
                    DateCreated = when,
                    RefundMode = "standard",
                    Status = MercadoPagoRefundStatuses.Approved,
                    Labels = [],
                    AmountRefundedToPayer = amount,
                },
            ],
            TransactionAmountRefunded = amount,
            Status = whole ? MercadoPagoStatuses.Refunded : MercadoPagoStatuses.Approved,
            StatusDetail = whole ? "refunded" : "partially_refunded",
            DateLastUpdated = when,
        };
    }

    private static string Reference(int i) => "ord_bench_" + i.ToString(CultureInfo.InvariantCulture);

    private static async Task CreatePurchasesAsync(BenchmarkContextFactory factory, int organizerId, int eventId, List<MpPayment> payments, CancellationToken ct)
    {
        foreach (var chunk in payments.Chunk(10_000))
        {
            await using var db = factory.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Purchases.AddRange(chunk.Select(p => new Purchase
            {
                ExternalId = p.ExternalReference!,
                OrganizerId = organizerId,
                EventId = eventId,
                BuyerEmail = "comprador@example.com",
                Tickets = p.AdditionalInfo?.Items is [var item, ..] ? item.Quantity ?? 1 : 1,
                Amount = p.TransactionAmount,
                Status = PurchaseStatus.Paid,
                CreatedAt = p.DateCreated.ToUniversalTime(),
                UpdatedAt = p.DateCreated.ToUniversalTime(),
            }));
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Stores the link as the linking service does: tokens encrypted with the organizer's purposes.</summary>
    private static async Task LinkAsync(BenchmarkContextFactory factory, ITokenProtector protector, int organizerId, SandboxIssuedTokens tokens, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = factory.CreateDbContext();
        db.MercadoPagoLinks.Add(new MercadoPagoLink
        {
            OrganizerId = organizerId,
            Status = MercadoPagoLinkStatus.Active,
            MercadoPagoUserId = tokens.SellerId,
            Scopes = tokens.Scope,
            AccessTokenCiphertext = protector.Protect(tokens.AccessToken, MercadoPagoTokenPurposes.Access(organizerId)),
            RefreshTokenCiphertext = protector.Protect(tokens.RefreshToken, MercadoPagoTokenPurposes.Refresh(organizerId)),
            AccessTokenExpiresAt = tokens.ExpiresAt,
            RenewalDueAt = tokens.ExpiresAt - TimeSpan.FromDays(30),
            LinkedAt = now,
            StatusChangedAt = now,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Warnings and errors of the portal's services on the console (a failing run says why).</summary>
    private sealed class WarningConsoleProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{logLevel}] {category}: {formatter(state, exception)} {exception?.Message}");
            }
        }
    }
}
