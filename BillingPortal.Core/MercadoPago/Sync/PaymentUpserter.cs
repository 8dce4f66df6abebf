using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Caching;
using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.MercadoPago.Sync;

/// <summary>
/// <see cref="IPaymentUpserter"/>: the one write path of Mercado Pago payments (sync and webhooks). A page is one
/// transaction: the stored versions (with fees, refunds and history) and the matching purchases are loaded in three
/// queries, each incoming payment is compared with its stored version, and only created or changed payments get new
/// fees, refunds, a status change, ledger entries (<see cref="PaymentLedgerWriter"/>) and anomalies.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Versions: a <c>date_last_updated</c> older than the stored one is <see cref="PaymentUpsertResult.Stale"/>; the same
/// one with the same content (status, detail, amounts, fees, refunds, release, purchase match) is
/// <see cref="PaymentUpsertResult.Unchanged"/> and writes nothing.</item>
/// <item>Refused, logged by ids only and left out of the outcomes: a <c>collector_id</c> that is not the organizer's
/// Mercado Pago user, a payment id stored for another organizer, and a payment <see cref="PaymentMapper"/> cannot map.</item>
/// <item>Two writers (the sync and the webhook processor) on one payment: each update is conditioned on the stored
/// <c>date_last_updated</c> it read, so an older write never overwrites a newer one; a lost condition or a primary key
/// conflict on insert (the other writer inserted it first) rolls the page back and runs it once more on fresh reads.</item>
/// <item>After the commit, the organizer's cached reports are invalidated (<see cref="IReportCacheInvalidator"/>), then the
/// changes go to <see cref="IPaymentChangeNotifier"/> (when one is registered) and the
/// outcomes to <see cref="MercadoPagoMetrics.PaymentsUpserted"/> by source and result.</item>
/// </list>
/// </remarks>
public sealed class PaymentUpserter(
    IDbContextFactory<BillingDbContext> factory,
    PaymentLedgerWriter ledger,
    MercadoPagoMetrics metrics,
    TimeProvider time,
    IServiceProvider services,
    ILogger<PaymentUpserter> logger) : IPaymentUpserter
{
    /// <summary>A page is tried this many times when another writer got in the way (the first try and one retry).</summary>
    internal const int MaxAttempts = 2;

    public Task<IReadOnlyList<PaymentUpsertOutcome>> UpsertAsync(int organizerId, IReadOnlyList<MpPayment> payments, CancellationToken cancellationToken) =>
        UpsertAsync(organizerId, payments, PaymentUpsertSources.Other, cancellationToken);

    public Task<IReadOnlyList<PaymentUpsertOutcome>> UpsertAsync(int organizerId, IReadOnlyList<MpPayment> payments, string source, CancellationToken cancellationToken) =>
        UpsertAsync(organizerId, payments, source, inTransaction: null, cancellationToken);

    /// <summary>
    /// The upsert with <paramref name="inTransaction"/> run in the page's transaction after its writes (given the
    /// outcomes) and before the commit (the sync advances its cursor there, so the page and the cursor are committed together or not at all).
    /// It may run twice when the page is retried.
    /// </summary>
    internal async Task<IReadOnlyList<PaymentUpsertOutcome>> UpsertAsync(
        int organizerId,
        IReadOnlyList<MpPayment> payments,
        string source,
        Func<BillingDbContext, IReadOnlyList<PaymentUpsertOutcome>, CancellationToken, Task>? inTransaction,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (payments.Count == 0 && inTransaction is null) return [];
        for (var attempt = 1; ; attempt++)
        {
            PageResult result;
            try
            {
                result = await UpsertPageAsync(organizerId, payments, inTransaction, cancellationToken);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsWriteConflict(e))
            {
                logger.LogInformation(
                    "Payment upsert of organizer {OrganizerId}: another writer changed {Count} payments meanwhile; retrying the page on fresh reads",
                    organizerId, payments.Count);
                continue;
            }

            await AfterCommitAsync(organizerId, source, result);
            return result.Outcomes;
        }
    }

    private async Task<PageResult> UpsertPageAsync(
        int organizerId, IReadOnlyList<MpPayment> payments, Func<BillingDbContext, IReadOnlyList<PaymentUpsertOutcome>, CancellationToken, Task>? inTransaction, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await WritePageAsync(db, organizerId, payments, ct);
                if (inTransaction is not null) await inTransaction(db, result.Outcomes, ct);
                await transaction.CommitAsync(ct);
                return result;
            },
            cancellationToken);
    }

    private async Task<PageResult> WritePageAsync(BillingDbContext db, int organizerId, IReadOnlyList<MpPayment> payments, CancellationToken cancellationToken)
    {
        var organizer = await db.Organizers.AsNoTracking().Where(o => o.Id == organizerId)
                            .Select(o => new { o.MercadoPagoUserId }).FirstOrDefaultAsync(cancellationToken)
                        ?? throw new ArgumentException($"Organizer {organizerId.ToString(CultureInfo.InvariantCulture)} does not exist.", nameof(organizerId));

        // The latest version of each payment of the organizer's own account, in the order received.
        var accepted = new Dictionary<long, MpPayment>(payments.Count);
        foreach (var payment in payments)
        {
            if (payment.CollectorId is not { } collector || collector != organizer.MercadoPagoUserId)
            {
                logger.LogWarning(
                    "Payment {PaymentId} refused for organizer {OrganizerId}: its collector {CollectorId} is not the organizer's Mercado Pago account {MercadoPagoUserId}",
                    payment.Id, organizerId, payment.CollectorId, organizer.MercadoPagoUserId);
                continue;
            }

            if (!accepted.TryGetValue(payment.Id, out var seen) || LastUpdated(payment) > LastUpdated(seen)) accepted[payment.Id] = payment;
        }

        var result = new PageResult();
        if (accepted.Count == 0) return result;

        var ids = accepted.Keys.ToList();
        var stored = await db.Payments
            .Where(p => ids.Contains(p.Id))
            .Include(p => p.Fees)
            .Include(p => p.Refunds)
            .Include(p => p.StatusHistory)
            .AsSplitQuery()
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        var references = accepted.Values.Select(p => p.ExternalReference).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        // By the unique external id alone, the organizer checked here: with both in SQL, SQLite (no statistics) prefers the
        // organizer's index and reads every purchase of the organizer for each page.
        var purchases = references.Count == 0
            ? new Dictionary<string, Purchase>(StringComparer.Ordinal)
            : (await db.Purchases.AsNoTracking().Where(p => references.Contains(p.ExternalId)).ToListAsync(cancellationToken))
                .Where(p => p.OrganizerId == organizerId)
                .ToDictionary(p => p.ExternalId, StringComparer.Ordinal);

        var now = time.GetUtcNow();
        var changed = new List<(Payment Payment, Purchase? Purchase)>();
        var created = new List<Payment>();
        foreach (var (id, incoming) in accepted)
        {
            stored.TryGetValue(id, out var current);
            if (current is not null && current.OrganizerId != organizerId)
            {
                logger.LogWarning("Payment {PaymentId} refused for organizer {OrganizerId}: it is stored for organizer {StoredOrganizerId}", id, organizerId, current.OrganizerId);
                continue;
            }

            var incomingUpdated = LastUpdated(incoming);
            if (current is not null && incomingUpdated < current.DateLastUpdated)
            {
                result.Outcomes.Add(new PaymentUpsertOutcome(id, PaymentUpsertResult.Stale));
                continue;
            }

            var purchase = incoming.ExternalReference is { } reference && purchases.TryGetValue(reference, out var found) ? found : null;
            Payment mapped;
            try
            {
                mapped = PaymentMapper.ToEntity(incoming, organizerId, purchase, now);
            }
            catch (MercadoPagoMappingException e)
            {
                logger.LogError("Payment {PaymentId} of organizer {OrganizerId} not stored: field {Field} cannot be mapped", id, organizerId, e.Field);
                continue;
            }

            if (current is null)
            {
                created.Add(mapped);
                changed.Add((mapped, purchase));
                result.Outcomes.Add(new PaymentUpsertOutcome(id, PaymentUpsertResult.Created));
                continue;
            }

            if (incomingUpdated == current.DateLastUpdated && SameContent(current, mapped))
            {
                result.Outcomes.Add(new PaymentUpsertOutcome(id, PaymentUpsertResult.Unchanged));
                continue;
            }

            // Conditioned on the version read: a writer that stored another version meanwhile makes this 0 rows.
            var read = current.DateLastUpdated;
            var claimed = await db.Payments
                .Where(p => p.Id == id && p.DateLastUpdated == read)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.DateLastUpdated, mapped.DateLastUpdated), cancellationToken);
            if (claimed == 0) throw new PaymentWriteConflictException(id);
            Replace(db, current, mapped);
            changed.Add((current, purchase));
            result.Outcomes.Add(new PaymentUpsertOutcome(id, PaymentUpsertResult.Updated));
        }

        if (changed.Count > 0)
        {
            var changedPayments = changed.Select(c => c.Payment).ToList();
            await ledger.ReplaceAsync(db, changedPayments, cancellationToken);
            await ReplaceMatchAnomaliesAsync(db, changed, now, cancellationToken);
            if (db.Database.IsSqlite()) SqlitePageInserts.Insert(db, created);
            else db.Payments.AddRange(created);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (payment, _) in changed)
            {
                var outcome = result.Outcomes.First(o => o.PaymentId == payment.Id).Result;
                result.Changes.Add(new PaymentChange(organizerId, payment.Id, outcome, now));
            }
        }

        return result;
    }

    /// <summary>Copies a newer version onto the stored payment: scalars, fees (replaced), refunds (by id) and one status change if the status moved.</summary>
    private static void Replace(BillingDbContext db, Payment current, Payment mapped)
    {
        var statusChanged = current.Status != mapped.Status || !string.Equals(current.StatusDetail, mapped.StatusDetail, StringComparison.Ordinal);
        db.Entry(current).CurrentValues.SetValues(mapped);

        foreach (var fee in current.Fees) db.Entry(fee).State = EntityState.Deleted;
        current.Fees.Clear();
        foreach (var fee in mapped.Fees)
        {
            current.Fees.Add(fee);
            db.Entry(fee).State = EntityState.Added;
        }

        var incoming = new Dictionary<long, PaymentRefund>();
        foreach (var refund in mapped.Refunds) incoming[refund.Id] = refund;
        foreach (var refund in current.Refunds.ToList())
        {
            if (incoming.Remove(refund.Id, out var newer))
            {
                db.Entry(refund).CurrentValues.SetValues(newer);
                continue;
            }

            db.Entry(refund).State = EntityState.Deleted;
            current.Refunds.Remove(refund);
        }

        foreach (var refund in mapped.Refunds.Where(r => incoming.ContainsKey(r.Id)).DistinctBy(r => r.Id))
        {
            var added = incoming[refund.Id];
            current.Refunds.Add(added);
            db.Entry(added).State = EntityState.Added;
        }

        if (!statusChanged) return;
        var change = mapped.StatusHistory[^1];
        current.StatusHistory.Add(change);
        db.Entry(change).State = EntityState.Added;
    }

    /// <summary>
    /// Replaces the open <see cref="AnomalyKind.UnmatchedPayment"/> and <see cref="AnomalyKind.AmountMismatch"/>
    /// anomalies of the changed payments by what this version shows (the ledger writer does the same for its kinds).
    /// </summary>
    private static async Task ReplaceMatchAnomaliesAsync(BillingDbContext db, List<(Payment Payment, Purchase? Purchase)> changed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = changed.Select(c => c.Payment.Id).ToList();
        await db.Anomalies
            .Where(a => a.PaymentId != null && ids.Contains(a.PaymentId.Value) && a.ResolvedAt == null
                        && (a.Kind == AnomalyKind.UnmatchedPayment || a.Kind == AnomalyKind.AmountMismatch))
            .ExecuteDeleteAsync(cancellationToken);
        foreach (var (payment, purchase) in changed)
        {
            if (purchase is null)
            {
                db.Anomalies.Add(new Anomaly
                {
                    OrganizerId = payment.OrganizerId,
                    PaymentId = payment.Id,
                    Kind = AnomalyKind.UnmatchedPayment,
                    Actual = payment.TransactionAmount,
                    Detail = payment.ExternalReference is null
                        ? "El pago no tiene referencia externa: no se puede asociar a ninguna compra."
                        : $"Ninguna compra del organizador tiene la referencia externa «{payment.ExternalReference}» del pago.",
                    DetectedAt = now,
                });
            }
            else if (purchase.Amount != payment.TransactionAmount)
            {
                db.Anomalies.Add(new Anomaly
                {
                    OrganizerId = payment.OrganizerId,
                    PaymentId = payment.Id,
                    Kind = AnomalyKind.AmountMismatch,
                    Expected = purchase.Amount,
                    Actual = payment.TransactionAmount,
                    Detail = $"El monto del pago difiere del monto de la compra «{purchase.ExternalId}».",
                    DetectedAt = now,
                });
            }
        }
    }

    private async Task AfterCommitAsync(int organizerId, string source, PageResult result)
    {
        if (result.Outcomes.Count > 0)
        {
            Span<int> counts = stackalloc int[4];
            foreach (var outcome in result.Outcomes) counts[(int)outcome.Result]++;
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] == 0) continue;
                metrics.PaymentsUpserted.Add(counts[i], new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("result", ResultTag((PaymentUpsertResult)i)));
            }

            logger.LogDebug(
                "Payment upsert of organizer {OrganizerId} ({Source}): {Created} created, {Updated} updated, {Unchanged} unchanged, {Stale} stale",
                organizerId, source, counts[0], counts[1], counts[2], counts[3]);
        }

        if (result.Changes.Count == 0) return;

        // The organizer's cached reports go first (committed data, whatever the caller's token says), so the pages told
        // to reload just below read fresh figures.
        if (services.GetService<IReportCacheInvalidator>() is { } reports)
        {
            try
            {
                await reports.InvalidateOrganizerAsync(organizerId, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Invalidating the cached reports of organizer {OrganizerId} failed", organizerId);
            }
        }

        if (services.GetService<IPaymentChangeNotifier>() is not { } notifier) return;
        try
        {
            notifier.Publish(result.Changes);
        }
        catch (Exception e)
        {
            // Live pages are a convenience: the payments are committed whatever a subscriber does.
            logger.LogWarning(e, "Publishing {Count} payment changes of organizer {OrganizerId} failed", result.Changes.Count, organizerId);
        }
    }

    private static string ResultTag(PaymentUpsertResult result) => result switch
    {
        PaymentUpsertResult.Created => "created",
        PaymentUpsertResult.Updated => "updated",
        PaymentUpsertResult.Unchanged => "unchanged",
        PaymentUpsertResult.Stale => "stale",
    };

    /// <summary>The version stamp the mapper stores (<c>date_last_updated</c>, else approval, else creation), in UTC.</summary>
    internal static DateTimeOffset LastUpdated(MpPayment payment) =>
        (payment.DateLastUpdated ?? payment.DateApproved ?? payment.DateCreated).ToUniversalTime();

    /// <summary>Whether two mapped versions carry the same facts the portal uses.</summary>
    internal static bool SameContent(Payment stored, Payment incoming) =>
        stored.Status == incoming.Status
        && string.Equals(stored.StatusDetail, incoming.StatusDetail, StringComparison.Ordinal)
        && stored.PurchaseId == incoming.PurchaseId
        && stored.EventId == incoming.EventId
        && stored.Tickets == incoming.Tickets
        && string.Equals(stored.ExternalReference, incoming.ExternalReference, StringComparison.Ordinal)
        && string.Equals(stored.CurrencyId, incoming.CurrencyId, StringComparison.Ordinal)
        && stored.TransactionAmount == incoming.TransactionAmount
        && stored.TransactionAmountRefunded == incoming.TransactionAmountRefunded
        && stored.NetReceivedAmount == incoming.NetReceivedAmount
        && stored.TotalPaidAmount == incoming.TotalPaidAmount
        && stored.MercadoPagoFee == incoming.MercadoPagoFee
        && stored.ApplicationFee == incoming.ApplicationFee
        && stored.OtherCollectorFees == incoming.OtherCollectorFees
        && stored.PayerFees == incoming.PayerFees
        && stored.DateCreated == incoming.DateCreated
        && stored.DateApproved == incoming.DateApproved
        && stored.MoneyReleaseDate == incoming.MoneyReleaseDate
        && stored.MoneyReleaseStatus == incoming.MoneyReleaseStatus
        && stored.Installments == incoming.Installments
        && stored.Fees.Count == incoming.Fees.Count
        && stored.Fees.OrderBy(f => f.Type, StringComparer.Ordinal).ThenBy(f => f.FeePayer).ThenBy(f => f.Amount)
            .SequenceEqual(incoming.Fees.OrderBy(f => f.Type, StringComparer.Ordinal).ThenBy(f => f.FeePayer).ThenBy(f => f.Amount), FeeComparer.Instance)
        && stored.Refunds.Count == incoming.Refunds.Count
        && stored.Refunds.OrderBy(r => r.Id).SequenceEqual(incoming.Refunds.OrderBy(r => r.Id), RefundComparer.Instance);

    /// <summary>Another writer inserted or updated the payment between this page's read and its write.</summary>
    private static bool IsWriteConflict(Exception e) => e switch
    {
        PaymentWriteConflictException => true,
        DbUpdateException { InnerException: SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 or 2067 } } => true,
        DbUpdateException { InnerException: Microsoft.Data.SqlClient.SqlException { Number: 2627 or 2601 } } => true,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 or 2067 } => true,
        SqliteException { SqliteErrorCode: 5 } => true,
        _ => false,
    };

    private sealed class PageResult
    {
        public List<PaymentUpsertOutcome> Outcomes { get; } = [];

        public List<PaymentChange> Changes { get; } = [];
    }

    private sealed class FeeComparer : IEqualityComparer<PaymentFee>
    {
        public static readonly FeeComparer Instance = new();

        public bool Equals(PaymentFee? x, PaymentFee? y) =>
            x is not null && y is not null && string.Equals(x.Type, y.Type, StringComparison.Ordinal) && x.Amount == y.Amount && x.FeePayer == y.FeePayer;

        public int GetHashCode(PaymentFee obj) => HashCode.Combine(obj.Type, obj.Amount, obj.FeePayer);
    }

    private sealed class RefundComparer : IEqualityComparer<PaymentRefund>
    {
        public static readonly RefundComparer Instance = new();

        public bool Equals(PaymentRefund? x, PaymentRefund? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Amount == y.Amount
            && string.Equals(x.Status, y.Status, StringComparison.Ordinal) && x.DateCreated == y.DateCreated
            && string.Equals(x.SourceType, y.SourceType, StringComparison.Ordinal);

        public int GetHashCode(PaymentRefund obj) => HashCode.Combine(obj.Id, obj.Amount, obj.Status);
    }
}

/// <summary>
/// SQLite: the page's new payments (with fees, refunds and status change) and every ledger entry and anomaly the page
/// added go in through prepared statements (<see cref="SqliteBulkInserter{T}"/>, the seeder's inserter, built from the EF
/// model) on the page's connection and inside its transaction, instead of EF's per-row command batches: the first sync
/// inserts a year of payments. Entries inserted here are detached so that SaveChanges writes only the updates.
/// </summary>
internal static class SqlitePageInserts
{
    public static void Insert(BillingDbContext db, IReadOnlyList<Payment> created)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var sql = db.GetService<ISqlGenerationHelper>();
        using (var payments = new SqliteBulkInserter<Payment>(connection, db.Model, sql, includeGeneratedKey: true))
        using (var fees = new SqliteBulkInserter<PaymentFee>(connection, db.Model, sql, includeGeneratedKey: false))
        using (var refunds = new SqliteBulkInserter<PaymentRefund>(connection, db.Model, sql, includeGeneratedKey: true))
        using (var history = new SqliteBulkInserter<PaymentStatusChange>(connection, db.Model, sql, includeGeneratedKey: false))
        {
            foreach (var payment in created)
            {
                payments.Insert(payment);
                foreach (var fee in payment.Fees) fees.Insert(fee);
                foreach (var refund in payment.Refunds) refunds.Insert(refund);
                foreach (var change in payment.StatusHistory) history.Insert(change);
            }
        }

        var entries = db.ChangeTracker.Entries<LedgerEntry>().Where(e => e.State == EntityState.Added).ToList();
        if (entries.Count > 0)
        {
            using var ledger = new SqliteBulkInserter<LedgerEntry>(connection, db.Model, sql, includeGeneratedKey: false);
            foreach (var entry in entries)
            {
                ledger.Insert(entry.Entity);
                entry.State = EntityState.Detached;
            }
        }

        var anomalies = db.ChangeTracker.Entries<Anomaly>().Where(e => e.State == EntityState.Added).ToList();
        if (anomalies.Count == 0) return;
        using var inserter = new SqliteBulkInserter<Anomaly>(connection, db.Model, sql, includeGeneratedKey: false);
        foreach (var anomaly in anomalies)
        {
            inserter.Insert(anomaly.Entity);
            anomaly.State = EntityState.Detached;
        }
    }
}

/// <summary>A payment's stored version changed between the upsert's read and its conditional write (another writer).</summary>
internal sealed class PaymentWriteConflictException(long paymentId)
    : Exception($"Payment {paymentId.ToString(CultureInfo.InvariantCulture)} was written by another writer meanwhile.")
{
    public long PaymentId { get; } = paymentId;
}
