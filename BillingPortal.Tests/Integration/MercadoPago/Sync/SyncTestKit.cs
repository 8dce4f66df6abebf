using System.Diagnostics.Metrics;
using System.Globalization;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.MercadoPago.Sync;

/// <summary>
/// What the sync tests share: organizers with a Mercado Pago user id, events and purchases in a real SQLite file, payment
/// versions shaped by the sandbox's <see cref="SandboxSaleBuilder"/> (new sale, refund, chargeback, release) and the
/// ledger expected from a payment's JSON.
/// </summary>
internal static class SyncTestKit
{
    public const long MarketplaceUserId = 112233445;

    private static long _nextPaymentId = 95_000_000_000L + (Random.Shared.NextInt64(0, 1_000_000) * 1000);
    private static long _nextRefundId = 7_000_000_000L + (Random.Shared.NextInt64(0, 1_000_000) * 1000);
    private static long _nextSeller = 700_000_000L + Random.Shared.Next(0, 1_000_000);
    private static int _nextReference;

    /// <summary>A fresh seller id (the organizer's Mercado Pago user id).</summary>
    public static long NewSellerId() => Interlocked.Increment(ref _nextSeller);

    public static SandboxSeller Seller(long id) => new(id, "PRODUCTORA" + id.ToString(CultureInfo.InvariantCulture), $"ventas{id}@example.test", "Rosa", "Quispe", $"Producciones {id} S.A.C.");

    /// <summary>An organizer on the sandbox's commission plan (5% + S/ 1.00 per ticket) whose Mercado Pago account is <paramref name="sellerId"/>, with one event.</summary>
    public static async Task<(int OrganizerId, int EventId)> NewOrganizerAsync(SqliteTestDatabase database, long sellerId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var organizer = new OrganizerBuilder()
            .WithPlan(new CommissionPlan { Name = "Sandbox", Rate = SandboxSaleBuilder.DefaultPlan.Rate, FixedPerTicket = SandboxSaleBuilder.DefaultPlan.FixedPerTicket })
            .Build();
        organizer.MercadoPagoUserId = sellerId;
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(cancellationToken);
        var @event = new Event
        {
            OrganizerId = organizer.Id,
            ExternalId = "evt_" + Guid.NewGuid().ToString("N")[..12],
            Name = "Concierto de prueba",
            Venue = "Estadio Nacional",
            StartsAt = DateTimeOffset.UtcNow.AddDays(30),
            Capacity = 1000,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Events.Add(@event);
        await db.SaveChangesAsync(cancellationToken);
        return (organizer.Id, @event.Id);
    }

    /// <summary>A purchase of the organizer's event with a unique reference; returns the reference.</summary>
    public static async Task<string> NewPurchaseAsync(SqliteTestDatabase database, int organizerId, int eventId, decimal amount, CancellationToken cancellationToken, int tickets = 1)
    {
        var reference = "ord_sync_" + Interlocked.Increment(ref _nextReference).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        await using var db = database.CreateContext();
        db.Purchases.Add(new Purchase
        {
            ExternalId = reference,
            OrganizerId = organizerId,
            EventId = eventId,
            BuyerEmail = "comprador@example.com",
            Tickets = tickets,
            Amount = amount,
            Status = PurchaseStatus.Paid,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(cancellationToken);
        return reference;
    }

    /// <summary>An approved card sale as the sandbox builds it, created <paramref name="ago"/> before <paramref name="now"/>.</summary>
    public static MpPayment Sale(long sellerId, decimal amount, string? reference, DateTimeOffset now, TimeSpan ago, long? id = null, int tickets = 1) =>
        SandboxSaleBuilder.Build(
            new SandboxSaleRequest { SellerId = sellerId, Amount = amount, ExternalReference = reference, DateCreated = now - ago, Tickets = tickets },
            Seller(sellerId),
            id ?? Interlocked.Increment(ref _nextPaymentId),
            MarketplaceUserId,
            now,
            new Random(7));

    /// <summary>The payment refunded by <paramref name="amount"/> (null: the remainder) at <paramref name="at"/>.</summary>
    public static MpPayment Refunded(MpPayment payment, decimal? amount, DateTimeOffset at)
    {
        var before = payment.TransactionAmountRefunded ?? 0m;
        var value = amount ?? payment.TransactionAmount - before;
        var whole = before + value >= payment.TransactionAmount;
        var refund = new MpRefund
        {
            Id = Interlocked.Increment(ref _nextRefundId),
            PaymentId = payment.Id,
            Amount = value,
            Source = new MpRefundSource { Id = payment.CollectorId!.Value.ToString(CultureInfo.InvariantCulture), Type = "collector" },
            DateCreated = SandboxSaleBuilder.ToMercadoPago(at),
            RefundMode = "standard",
            Status = MercadoPagoRefundStatuses.Approved,
            Labels = [],
            AmountRefundedToPayer = value,
        };
        return payment with
        {
            Refunds = [.. payment.Refunds ?? [], refund],
            TransactionAmountRefunded = before + value,
            Status = whole ? MercadoPagoStatuses.Refunded : MercadoPagoStatuses.Approved,
            StatusDetail = whole ? "refunded" : "partially_refunded",
            DateLastUpdated = SandboxSaleBuilder.ToMercadoPago(at),
        };
    }

    public static MpPayment ChargedBack(MpPayment payment, string detail, DateTimeOffset at) =>
        payment with { Status = MercadoPagoStatuses.ChargedBack, StatusDetail = detail, DateLastUpdated = SandboxSaleBuilder.ToMercadoPago(at) };

    public static MpPayment Released(MpPayment payment, DateTimeOffset at) =>
        payment with { MoneyReleaseStatus = MercadoPagoReleaseStatuses.Released, MoneyReleaseDate = SandboxSaleBuilder.ToMercadoPago(at), DateLastUpdated = SandboxSaleBuilder.ToMercadoPago(at) };

    /// <summary>The ledger the portal must hold for <paramref name="payments"/>, computed from the same JSON by the mapper and the engine.</summary>
    public static async Task<List<LedgerLine>> ExpectedLedgerAsync(SqliteTestDatabase database, int organizerId, IEnumerable<MpPayment> payments, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var organizer = await db.Organizers.AsNoTracking().Include(o => o.CommissionPlan).SingleAsync(o => o.Id == organizerId, cancellationToken);
        var list = payments.ToList();
        var references = list.Select(p => p.ExternalReference).OfType<string>().ToList();
        var purchases = await db.Purchases.AsNoTracking().Where(p => p.OrganizerId == organizerId && references.Contains(p.ExternalId)).ToListAsync(cancellationToken);
        var policy = organizer.CommissionPlan is { } plan ? LedgerPolicy.From(plan) : LedgerPolicy.Default;
        return list
            .SelectMany(p => LedgerEngine.Compute(
                PaymentMapper.ToEntity(p, organizerId, purchases.FirstOrDefault(x => x.ExternalId == p.ExternalReference), DateTimeOffset.UtcNow),
                policy,
                AccountingCalendar.For(organizer.TimeZoneId)))
            .Select(LedgerLine.From)
            .OrderBy(l => l.PaymentId).ThenBy(l => l.Kind).ThenBy(l => l.RefundId)
            .ToList();
    }

    /// <summary>The stored ledger of an organizer, comparable with <see cref="ExpectedLedgerAsync"/>.</summary>
    public static async Task<List<LedgerLine>> StoredLedgerAsync(SqliteTestDatabase database, int organizerId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId).ToListAsync(cancellationToken);
        return entries.Select(LedgerLine.From).OrderBy(l => l.PaymentId).ThenBy(l => l.Kind).ThenBy(l => l.RefundId).ToList();
    }

    /// <summary>A stored payment with its fees, refunds and history.</summary>
    public static async Task<Payment?> StoredPaymentAsync(SqliteTestDatabase database, long id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Payments.AsNoTracking().Include(p => p.Fees).Include(p => p.Refunds).Include(p => p.StatusHistory)
            .AsSplitQuery().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
    }

    /// <summary>Rows per table that a sync writes (to prove a no-op wrote nothing).</summary>
    public static async Task<string> FingerprintAsync(SqliteTestDatabase database, int organizerId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrganizerId == organizerId).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.SyncedAt, p.DateLastUpdated, p.Status }).ToListAsync(cancellationToken);
        var ledger = await db.LedgerEntries.AsNoTracking().Where(e => e.OrganizerId == organizerId).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(cancellationToken);
        var history = await db.PaymentStatusChanges.AsNoTracking().Where(h => db.Payments.Any(p => p.Id == h.PaymentId && p.OrganizerId == organizerId))
            .OrderBy(h => h.Id).Select(h => h.Id).ToListAsync(cancellationToken);
        var fees = await db.PaymentFees.AsNoTracking().Where(f => db.Payments.Any(p => p.Id == f.PaymentId && p.OrganizerId == organizerId))
            .OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(cancellationToken);
        var anomalies = await db.Anomalies.AsNoTracking().Where(a => a.OrganizerId == organizerId).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        return string.Join(";", payments.Select(p => $"{p.Id}@{p.SyncedAt.UtcTicks}/{p.DateLastUpdated.UtcTicks}/{p.Status}"))
               + "|L" + string.Join(",", ledger) + "|H" + string.Join(",", history) + "|F" + string.Join(",", fees) + "|A" + string.Join(",", anomalies);
    }
}

/// <summary>A ledger entry's facts (no database id), for comparing stored and expected ledgers.</summary>
internal sealed record LedgerLine(long PaymentId, LedgerEntryKind Kind, long? RefundId, DateTimeOffset OccurredAt, decimal Gross, decimal MercadoPagoFee, decimal CommissionBase, decimal CommissionIgv, decimal OtherFees, decimal Net, PaymentStatus Status)
{
    public static LedgerLine From(LedgerEntry e) =>
        new(e.PaymentId, e.Kind, e.RefundId, e.OccurredAt.ToUniversalTime(), e.Gross, e.MercadoPagoFee, e.CommissionBase, e.CommissionIgv, e.OtherFees, e.Net, e.PaymentStatus);
}

/// <summary>
/// Collects the measurements of one instrument of the Mercado Pago meter created by one <see cref="IMeterFactory"/>
/// (one test's services; other tests' meters are ignored), tags flattened as "k=v,k=v".
/// </summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Tags, double Value)> _values = [];
    private readonly Lock _gate = new();

    public MeterRecorder(IMeterFactory scope, string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == MercadoPagoMetrics.MeterName && ReferenceEquals(i.Meter.Scope, scope) && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Add(value, tags));
        _listener.Start();
    }

    /// <summary>The sum of the measurements whose tags include every pair given.</summary>
    public double Sum(params (string Key, string Value)[] tags)
    {
        lock (_gate)
        {
            return _values.Where(v => tags.All(t => v.Tags.Split(',').Contains(t.Key + "=" + t.Value))).Sum(v => v.Value);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var flat = string.Join(",", tags.ToArray().Select(t => t.Key + "=" + t.Value));
        lock (_gate) _values.Add((flat, value));
    }
}
