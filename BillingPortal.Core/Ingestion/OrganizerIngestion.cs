using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Data;
using BillingPortal.Core.Organizers;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Core.Ingestion;

/// <summary>
/// Organizer rows: validation and upsert. Each organizer gets its own <see cref="CommissionPlan"/> row when created
/// (rate and fixed fee from the row, else 5% + S/ 0.00). A row that gives a different rate or fixed fee updates that
/// plan in place; if the plan is shared (another organizer or an event uses it, e.g. one set up by an admin), the
/// organizer gets a copy with the new figures instead, so nobody else's commission changes. Omitted rate, fixed fee
/// or time zone leave an existing organizer's values alone. Ledger entries already written are never rewritten:
/// a new rate applies to payments processed from then on.
/// </summary>
internal static class OrganizerIngestion
{
    private static readonly Dictionary<string, TaxIdKind> TaxIdKinds = new(StringComparer.Ordinal)
    {
        ["RUC"] = TaxIdKind.Ruc,
        ["DNI"] = TaxIdKind.Dni,
    };

    public static ValidOrganizer? Validate(OrganizerRow row, RowChecker check)
    {
        var id = check.RequiredText(row.Id, "id", IngestionLimits.MaxExternalIdLength);
        var kind = check.OneOf(row.TaxIdType, "tax_id_type", TaxIdKinds);
        var taxId = kind is { } k ? TaxId(k, row.TaxId, check) : null;
        var legalName = check.RequiredText(row.LegalName, "legal_name", 200);
        var email = check.Email(row.ContactEmail, "contact_email");
        var timeZone = check.TimeZone(row.TimeZone, "time_zone");
        var rate = check.Rate(row.CommissionRate, "commission_rate");
        var fixedPerTicket = check.Amount(row.CommissionFixedPerTicket, "commission_fixed_per_ticket", required: false);
        return check.IsValid
            ? new ValidOrganizer(check.Row, id!, kind!.Value, taxId!, legalName!, email!, timeZone, rate, fixedPerTicket)
            : null;
    }

    public static async Task<IngestionResult?> ApplyAsync(
        BillingDbContext db, IReadOnlyList<ValidOrganizer> rows, IngestionErrorCollector errors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, Organizer>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in rows.Select(r => r.Id).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(IngestionLimits.LookupChunkSize))
        {
            foreach (var organizer in await db.Organizers.Include(o => o.CommissionPlan).Where(o => chunk.Contains(o.ExternalId)).ToListAsync(cancellationToken))
                existing[organizer.ExternalId] = organizer;
        }

        var taxIdHolders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.TaxId).Distinct(StringComparer.Ordinal).Chunk(IngestionLimits.LookupChunkSize))
        {
            foreach (var holder in await db.Organizers.AsNoTracking().Where(o => chunk.Contains(o.TaxId))
                         .Select(o => new { o.TaxId, o.ExternalId }).ToListAsync(cancellationToken))
                taxIdHolders[holder.TaxId] = holder.ExternalId;
        }

        var firstRowByTaxId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var label = row.Kind == TaxIdKind.Ruc ? "RUC" : "DNI";
            if (!firstRowByTaxId.TryAdd(row.TaxId, row.Row))
            {
                errors.Add(row.Row, row.Id, "tax_id", IngestionRules.DuplicateTaxId,
                    string.Create(CultureInfo.InvariantCulture, $"El {label} {row.TaxId} ya aparece en items[{firstRowByTaxId[row.TaxId]}] de esta solicitud."));
            }
            else if (taxIdHolders.TryGetValue(row.TaxId, out var holder) && !string.Equals(holder, row.Id, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(row.Row, row.Id, "tax_id", IngestionRules.TaxIdTaken, $"El {label} {row.TaxId} ya pertenece a otro organizador del portal.");
            }
        }

        if (errors.Count > 0) return null;

        var planUsers = await PlanUsersAsync(db, rows, existing, cancellationToken);
        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            if (!existing.TryGetValue(row.Id, out var organizer))
            {
                organizer = new Organizer
                {
                    ExternalId = row.Id,
                    TaxIdKind = row.Kind,
                    TaxId = row.TaxId,
                    LegalName = row.LegalName,
                    ContactEmail = row.ContactEmail,
                    TimeZoneId = row.TimeZone ?? Common.AccountingCalendar.LimaTimeZoneId,
                    CommissionPlan = new CommissionPlan
                    {
                        Name = PlanName(row.Id),
                        Rate = row.CommissionRate ?? IngestionLimits.DefaultCommissionRate,
                        FixedPerTicket = row.CommissionFixedPerTicket ?? 0m,
                        CreatedAt = now,
                    },
                    CreatedAt = now,
                };
                db.Organizers.Add(organizer);
                existing[row.Id] = organizer;
                created++;
                continue;
            }

            organizer.TaxIdKind = row.Kind;
            organizer.TaxId = row.TaxId;
            organizer.LegalName = row.LegalName;
            organizer.ContactEmail = row.ContactEmail;
            if (row.TimeZone is not null) organizer.TimeZoneId = row.TimeZone;
            var changed = db.Entry(organizer).State == EntityState.Modified;
            changed |= ApplyPlan(organizer, row, planUsers, now);
            if (changed) updated++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new IngestionResult(rows.Count, created, updated, rows.Count - created - updated);
    }

    private static string PlanName(string externalId) => $"Plan {externalId}";

    /// <summary>Updates the organizer's plan in place, or gives it its own copy when the plan is shared.</summary>
    private static bool ApplyPlan(Organizer organizer, ValidOrganizer row, IReadOnlyDictionary<int, int> planUsers, DateTimeOffset now)
    {
        var plan = organizer.CommissionPlan!;
        var rate = row.CommissionRate ?? plan.Rate;
        var fixedPerTicket = row.CommissionFixedPerTicket ?? plan.FixedPerTicket;
        if (rate == plan.Rate && fixedPerTicket == plan.FixedPerTicket) return false;

        if (planUsers.GetValueOrDefault(plan.Id) > 1)
        {
            organizer.CommissionPlan = new CommissionPlan
            {
                Name = PlanName(organizer.ExternalId),
                Rate = rate,
                FixedPerTicket = fixedPerTicket,
                ReturnMercadoPagoFeeOnRefund = plan.ReturnMercadoPagoFeeOnRefund,
                ReturnCommissionOnRefund = plan.ReturnCommissionOnRefund,
                ReturnMercadoPagoFeeOnChargeback = plan.ReturnMercadoPagoFeeOnChargeback,
                ReturnCommissionOnChargeback = plan.ReturnCommissionOnChargeback,
                CreatedAt = now,
            };
            return true;
        }

        plan.Rate = rate;
        plan.FixedPerTicket = fixedPerTicket;
        return true;
    }

    /// <summary>How many organizers and events use each plan that a row is about to change.</summary>
    private static async Task<Dictionary<int, int>> PlanUsersAsync(
        BillingDbContext db, IReadOnlyList<ValidOrganizer> rows, Dictionary<string, Organizer> existing, CancellationToken cancellationToken)
    {
        var planIds = rows
            .Where(r => existing.TryGetValue(r.Id, out var o)
                        && ((r.CommissionRate is { } rate && rate != o.CommissionPlan!.Rate)
                            || (r.CommissionFixedPerTicket is { } fixedFee && fixedFee != o.CommissionPlan!.FixedPerTicket)))
            .Select(r => existing[r.Id].CommissionPlanId)
            .Distinct()
            .ToList();
        var users = new Dictionary<int, int>();
        foreach (var chunk in planIds.Chunk(IngestionLimits.LookupChunkSize))
        {
            var byOrganizers = await db.Organizers.Where(o => chunk.Contains(o.CommissionPlanId))
                .GroupBy(o => o.CommissionPlanId).Select(g => new { PlanId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            var byEvents = await db.Events.Where(e => e.CommissionPlanId != null && chunk.Contains(e.CommissionPlanId.Value))
                .GroupBy(e => e.CommissionPlanId!.Value).Select(g => new { PlanId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var use in byOrganizers.Concat(byEvents))
                users[use.PlanId] = users.GetValueOrDefault(use.PlanId) + use.Count;
        }

        return users;
    }

    private static string? TaxId(TaxIdKind kind, string? value, RowChecker check)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            check.Fail("tax_id", IngestionRules.Required, "tax_id es obligatorio.");
            return null;
        }

        var problem = TaxIdValidator.Validate(kind, value);
        if (problem is null) return value;
        var rule = kind switch
        {
            TaxIdKind.Dni => IngestionRules.DniFormat,
            TaxIdKind.Ruc when value.Length != 11 || !value.All(char.IsAsciiDigit) => IngestionRules.RucFormat,
            TaxIdKind.Ruc when TaxIdValidator.ValidateRuc(value[..10] + TaxIdValidator.RucCheckDigit(value.AsSpan(0, 10)).ToString(CultureInfo.InvariantCulture)) is not null
                => IngestionRules.RucPrefix,
            TaxIdKind.Ruc => IngestionRules.RucCheckDigit,
        };
        check.Fail("tax_id", rule, problem);
        return null;
    }
}

/// <summary>An organizer row that passed the field checks (references are checked against the database later).</summary>
internal sealed record ValidOrganizer(
    int Row, string Id, TaxIdKind Kind, string TaxId, string LegalName, string ContactEmail, string? TimeZone,
    decimal? CommissionRate, decimal? CommissionFixedPerTicket) : IValidRow;

/// <summary>A row that passed its field checks.</summary>
internal interface IValidRow
{
    int Row { get; }

    string Id { get; }
}
