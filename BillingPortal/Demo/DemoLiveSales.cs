using System.Globalization;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Data;
using BillingPortal.Core.Events;
using BillingPortal.Core.Ingestion;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;
using BillingPortal.MercadoPago;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BillingPortal.Demo;

/// <summary>
/// Section <c>Demo:LiveSales</c>: the demo's live sales (demo mode with the in-process emulator only). On by default in
/// <c>appsettings.Development.json</c>, off otherwise and in tests unless a test turns it on.
/// </summary>
public sealed class DemoLiveSalesOptions
{
    public const string SectionName = "Demo:LiveSales";

    public bool Enabled { get; set; }

    /// <summary>One sale (or, now and then, a refund) per interval.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>The share of ticks that refund a recent live sale instead of selling (default 5%).</summary>
    public double RefundRate { get; set; } = 0.05;
}

/// <summary>
/// «Demo live sales» (issue #5, Done when): every <see cref="DemoLiveSalesOptions.Interval"/>, for a random organizer with
/// an active Mercado Pago link, the ticketing platform sells tickets of one of its upcoming events: the purchase goes
/// into the portal through <see cref="IngestionService"/> (as the platform's API would send it, a fresh order id) and the
/// matching approved payment is created in the in-process emulator (<see cref="SandboxPayments.CreateSaleAsync"/>, the
/// admin route's operation) with <c>external_reference</c> = the order id and the plan's <c>application_fee</c>. The
/// emulator's signed webhook then brings the payment into the portal, and the open summary changes within seconds. About
/// <see cref="DemoLiveSalesOptions.RefundRate"/> of the ticks refund a recent live sale in full through the emulator
/// instead (and the platform marks its order refunded). One log line per sale or refund, ids only.
/// </summary>
public sealed partial class DemoLiveSales(
    IOptions<DemoOptions> demo,
    IOptions<DemoLiveSalesOptions> options,
    MercadoPagoMode mode,
    IDbContextFactory<BillingDbContext> factory,
    IngestionService ingestion,
    SandboxPayments payments,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DemoLiveSales> logger) : BackgroundService
{
    /// <summary>Order ids of live sales start with this (the refunds pick only these).</summary>
    public const string OrderPrefix = "ord_live_";

    private static readonly decimal[] Prices = [35m, 45m, 60m, 80m, 120m, 150m, 220m, 350m];
    private static readonly string[] Methods = ["visa", "master", "visa", "yape", "amex", "pagoefectivo_atm", "diners", "master"];
    private static readonly string[] BuyerNames = ["Ana Torres", "Luis Paredes", "María Salazar", "José Huamán", "Rosa Vargas", "Carlos Rojas", "Lucía Chávez", "Pedro Quispe"];

    private readonly Random _random = new();

    /// <summary>Sales created since start (tests wait on it).</summary>
    public int SalesCreated => Volatile.Read(ref _sales);

    /// <summary>Refunds made since start.</summary>
    public int RefundsMade => Volatile.Read(ref _refunds);

    private int _sales;
    private int _refunds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!demo.Value.Enabled || !mode.UsesSandbox || !options.Value.Enabled) return;

        // The emulator's webhooks need the portal's address: start once the server listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var interval = options.Value.Interval > TimeSpan.Zero ? options.Value.Interval : TimeSpan.FromSeconds(8);
        LogStarted(logger, interval.TotalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try
                {
                    await TickAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>One tick: a refund now and then, otherwise a sale.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        double roll;
        lock (_random) roll = _random.NextDouble();
        if (roll < options.Value.RefundRate && await RefundRecentAsync(cancellationToken)) return;
        await SellAsync(cancellationToken);
    }

    /// <summary>A sale for a random linked organizer; false when no organizer is linked or has an event.</summary>
    public async Task<bool> SellAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var linked = await db.MercadoPagoLinks.AsNoTracking()
            .Where(l => l.Status == MercadoPagoLinkStatus.Active)
            .Join(db.Organizers, l => l.OrganizerId, o => o.Id, (l, o) => new { o.Id, l.MercadoPagoUserId, o.CommissionPlanId })
            .OrderBy(o => o.Id)
            .ToListAsync(cancellationToken);
        if (linked.Count == 0) return false;
        var organizer = linked[Next(linked.Count)];

        var events = await db.Events.AsNoTracking()
            .Where(e => e.OrganizerId == organizer.Id && e.Status == EventStatus.Scheduled && e.StartsAt > now)
            .OrderBy(e => e.StartsAt)
            .Take(20)
            .Select(e => new { e.ExternalId, e.Name, e.CommissionPlanId })
            .ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            events = await db.Events.AsNoTracking()
                .Where(e => e.OrganizerId == organizer.Id && e.Status != EventStatus.Cancelled)
                .OrderByDescending(e => e.StartsAt)
                .Take(5)
                .Select(e => new { e.ExternalId, e.Name, e.CommissionPlanId })
                .ToListAsync(cancellationToken);
        }

        if (events.Count == 0) return false;
        var chosen = events[Next(events.Count)];
        var planId = chosen.CommissionPlanId ?? organizer.CommissionPlanId;
        var plan = await db.CommissionPlans.AsNoTracking().SingleAsync(p => p.Id == planId, cancellationToken);

        var tickets = Next(4) + 1;
        var amount = Prices[Next(Prices.Length)] * tickets;
        var orderId = OrderPrefix + Guid.NewGuid().ToString("N")[..16];
        var buyer = BuyerNames[Next(BuyerNames.Length)];
        var stamp = now.ToString("O", CultureInfo.InvariantCulture);
        var outcome = await ingestion.IngestPurchasesAsync(
        [
            new PurchaseRow
            {
                Id = orderId,
                EventId = chosen.ExternalId,
                BuyerEmail = $"comprador.{orderId[OrderPrefix.Length..][..8]}@correo.example",
                BuyerName = buyer,
                Tickets = tickets,
                Amount = amount,
                Currency = "PEN",
                Status = "paid",
                CreatedAt = stamp,
                PaymentDate = stamp,
            },
        ], cancellationToken);
        if (!outcome.Succeeded)
        {
            LogPurchaseRefused(logger, organizer.Id, outcome.Errors.Count);
            return false;
        }

        var method = Methods[Next(Methods.Length)];
        var payment = await payments.CreateSaleAsync(new SandboxSaleRequest
        {
            SellerId = organizer.MercadoPagoUserId,
            Amount = amount,
            Tickets = tickets,
            PaymentMethodId = method,
            ExternalReference = orderId,
            ApplicationFee = CommissionCalculator.Expected(plan, amount, tickets).Total,
            Description = chosen.Name,
        }, cancellationToken);
        Interlocked.Increment(ref _sales);
        LogSale(logger, organizer.Id, orderId, payment.Id);
        return true;
    }

    /// <summary>Refunds in full one of the latest live sales still approved; false when there is none.</summary>
    public async Task<bool> RefundRecentAsync(CancellationToken cancellationToken)
    {
        // Only sales whose last change is already past: the emulator dates a new sale's approval a few seconds ahead, and a
        // refund stamped before that would look older than the approval to the portal (and be ignored as stale).
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var recent = await db.Payments.AsNoTracking()
            .Where(p => p.Status == PaymentStatus.Approved && p.TransactionAmountRefunded == 0 && p.ExternalReference != null && p.ExternalReference.StartsWith(OrderPrefix))
            .Where(p => p.DateLastUpdated < now)
            .OrderByDescending(p => p.Id)
            .Take(10)
            .Select(p => new { p.Id, p.OrganizerId, p.ExternalReference })
            .ToListAsync(cancellationToken);
        if (recent.Count == 0) return false;
        var chosen = recent[Next(recent.Count)];

        SandboxRefundResult refund;
        try
        {
            refund = await payments.RefundAsync(chosen.Id, null, null, "demo-refund-" + chosen.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        catch (SandboxProblemException)
        {
            // Already refunded in the emulator (its webhook has not arrived yet): sell instead.
            return false;
        }

        await MarkRefundedAsync(db, chosen.ExternalReference!, cancellationToken);
        Interlocked.Increment(ref _refunds);
        LogRefund(logger, chosen.OrganizerId, chosen.ExternalReference!, chosen.Id, refund.Refund.Id);
        return true;
    }

    /// <summary>The platform reports the order refunded (the same full row, status refunded).</summary>
    private async Task MarkRefundedAsync(BillingDbContext db, string orderId, CancellationToken cancellationToken)
    {
        var purchase = await db.Purchases.AsNoTracking()
            .Where(p => p.ExternalId == orderId)
            .Join(db.Events, p => p.EventId, e => e.Id, (p, e) => new { Purchase = p, EventExternalId = e.ExternalId })
            .SingleOrDefaultAsync(cancellationToken);
        if (purchase is null || purchase.Purchase.Status == PurchaseStatus.Refunded) return;
        var p = purchase.Purchase;
        await ingestion.IngestPurchasesAsync(
        [
            new PurchaseRow
            {
                Id = p.ExternalId,
                EventId = purchase.EventExternalId,
                BuyerEmail = p.BuyerEmail,
                BuyerName = p.BuyerName,
                BuyerDocument = p.BuyerDocument,
                Tickets = p.Tickets,
                Amount = p.Amount,
                Currency = p.Currency,
                Status = "refunded",
                CreatedAt = p.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                PaymentDate = p.PaymentDate?.ToString("O", CultureInfo.InvariantCulture),
            },
        ], cancellationToken);
    }

    private int Next(int maxExclusive)
    {
        lock (_random) return _random.Next(maxExclusive);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo live sales: a sale every {Seconds} s for the linked demo organizers")]
    private static partial void LogStarted(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo live sale: organizer {OrganizerId}, order {OrderId}, payment {PaymentId}")]
    private static partial void LogSale(ILogger logger, int organizerId, string orderId, long paymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo live refund: organizer {OrganizerId}, order {OrderId}, payment {PaymentId}, refund {RefundId}")]
    private static partial void LogRefund(ILogger logger, int organizerId, string orderId, long paymentId, long refundId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo live sales: the purchase of organizer {OrganizerId} was refused by ingestion ({Errors} error(s))")]
    private static partial void LogPurchaseRefused(ILogger logger, int organizerId, int errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo live sales: a tick failed; the next one tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
