using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Common;

namespace BillingPortal.Core.Organizers;

/// <summary>A company (RUC) or person (DNI) that sells tickets for its events.</summary>
public class Organizer
{
    public int Id { get; set; }

    /// <summary>The ticketing platform's id for this organizer (what ingestion rows refer to).</summary>
    public required string ExternalId { get; set; }

    public TaxIdKind TaxIdKind { get; set; }

    /// <summary>RUC (11 digits) or DNI (8 digits), validated by <see cref="TaxIdValidator"/>.</summary>
    public required string TaxId { get; set; }

    /// <summary>Razón social (company) or full name (person).</summary>
    public required string LegalName { get; set; }

    public required string ContactEmail { get; set; }

    /// <summary>IANA id of the accounting time zone; every calendar notion uses it.</summary>
    public string TimeZoneId { get; set; } = AccountingCalendar.LimaTimeZoneId;

    public int CommissionPlanId { get; set; }

    public CommissionPlan? CommissionPlan { get; set; }

    /// <summary>The Mercado Pago user id of the linked seller account (= payments' collector_id), once linked.</summary>
    public long? MercadoPagoUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Which Peruvian tax id an organizer has.</summary>
public enum TaxIdKind
{
    Ruc,
    Dni,
}
