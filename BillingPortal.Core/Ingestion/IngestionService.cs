using BillingPortal.Core.Caching;
using BillingPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Ingestion;

/// <summary>
/// Takes the ticketing platform's organizers, events and purchases. Every row is validated first; if anything is
/// wrong (a field, a duplicate id, an unknown reference, an organizer change) the whole request is rejected with
/// every error listed and nothing is written. Otherwise all rows are upserted by platform id in one transaction:
/// new rows are inserted, changed rows updated, equal rows left untouched, so sending the same request twice changes
/// nothing the second time (and a retry after an unknown commit outcome is safe).
/// </summary>
/// <remarks>
/// Organizers (legal name, RUC, plan: a statement's header) and events (name, state, payouts frozen: the events list, the
/// balance held) feed cached reports: an accepted request that created or updated any invalidates every cached report
/// after its commit (<see cref="IReportCacheInvalidator.InvalidateAllAsync"/>; these are rare batch calls). Purchases feed
/// no cached figure (payments are matched to purchases by the payment upsert, which invalidates its organizer).
/// </remarks>
public sealed class IngestionService(IDbContextFactory<BillingDbContext> factory, TimeProvider time, IReportCacheInvalidator? reports = null)
{
    public async Task<IngestionOutcome> IngestOrganizersAsync(IReadOnlyList<OrganizerRow?>? items, CancellationToken cancellationToken) =>
        await InvalidatingAsync(await RunAsync(items, r => r.Id, (row, check, _) => OrganizerIngestion.Validate(row, check), OrganizerIngestion.ApplyAsync, cancellationToken));

    public async Task<IngestionOutcome> IngestEventsAsync(IReadOnlyList<EventRow?>? items, CancellationToken cancellationToken) =>
        await InvalidatingAsync(await RunAsync(items, r => r.Id, (row, check, _) => EventIngestion.Validate(row, check), EventIngestion.ApplyAsync, cancellationToken));

    public Task<IngestionOutcome> IngestPurchasesAsync(IReadOnlyList<PurchaseRow?>? items, CancellationToken cancellationToken) =>
        RunAsync(items, r => r.Id, PurchaseIngestion.Validate, PurchaseIngestion.ApplyAsync, cancellationToken);

    private async Task<IngestionOutcome> RunAsync<TRow, TValid>(
        IReadOnlyList<TRow?>? items,
        Func<TRow, string?> idOf,
        Func<TRow, RowChecker, DateTimeOffset, TValid?> validate,
        Func<BillingDbContext, IReadOnlyList<TValid>, IngestionErrorCollector, DateTimeOffset, CancellationToken, Task<IngestionResult?>> apply,
        CancellationToken cancellationToken)
        where TRow : class
        where TValid : class, IValidRow
    {
        if (items is null)
            return Reject(new IngestionError(null, null, "items", IngestionRules.Required, "El cuerpo debe tener la forma { \"items\": [ ... ] }."));
        if (items.Count > IngestionLimits.MaxRowsPerRequest)
        {
            return Reject(new IngestionError(null, null, "items", IngestionRules.TooManyRows, string.Create(CultureInfo.InvariantCulture,
                $"Se admiten como máximo {IngestionLimits.MaxRowsPerRequest} filas por solicitud y se recibieron {items.Count}; divida el envío.")));
        }

        var now = time.GetUtcNow();
        var fieldErrors = new IngestionErrorCollector();
        var valid = new List<TValid>(items.Count);
        var firstRowById = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } row)
            {
                fieldErrors.Add(i, null, "item", IngestionRules.Required, "La fila está vacía (null).");
                continue;
            }

            var id = idOf(row);
            var check = new RowChecker(fieldErrors, i, id);
            var validRow = validate(row, check, now);
            if (!string.IsNullOrWhiteSpace(id) && !firstRowById.TryAdd(id, i))
            {
                check.Fail("id", IngestionRules.DuplicateId, string.Create(CultureInfo.InvariantCulture,
                    $"El id '{id}' ya aparece en items[{firstRowById[id]}] de esta solicitud (los id no distinguen mayúsculas)."));
                continue;
            }

            if (validRow is not null) valid.Add(validRow);
        }

        if (items.Count == 0) return IngestionOutcome.Accepted(new IngestionResult(0, 0, 0, 0));

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            // A fresh context per attempt, so a retried attempt starts from the database, not from a failed change set.
            await using var attempt = await factory.CreateDbContextAsync(ct);
            await using var transaction = await attempt.Database.BeginTransactionAsync(ct);
            var errors = new IngestionErrorCollector();
            errors.AddRange(fieldErrors.ToList());
            var result = await apply(attempt, valid, errors, now, ct);
            if (result is null || errors.Count > 0)
            {
                await transaction.RollbackAsync(ct);
                return IngestionOutcome.Rejected(errors.ToList());
            }

            await transaction.CommitAsync(ct);
            return IngestionOutcome.Accepted(result);
        }, cancellationToken);
    }

    private async Task<IngestionOutcome> InvalidatingAsync(IngestionOutcome outcome)
    {
        if (reports is not null && outcome.Result is { } result && result.Created + result.Updated > 0)
            await reports.InvalidateAllAsync(CancellationToken.None);
        return outcome;
    }

    private static IngestionOutcome Reject(IngestionError error) => IngestionOutcome.Rejected([error]);
}
