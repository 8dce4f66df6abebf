using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Organizers;

namespace BillingPortal.Tests.Builders;

/// <summary>Builds an organizer (valid RUC) with a 5% + S/ 0.00 per ticket plan.</summary>
public sealed class OrganizerBuilder
{
    private static int _next;
    private readonly Organizer _organizer;

    public OrganizerBuilder()
    {
        var n = Interlocked.Increment(ref _next);
        _organizer = new Organizer
        {
            ExternalId = $"org_{n}",
            TaxIdKind = TaxIdKind.Ruc,
            TaxId = ValidRuc(n),
            LegalName = $"Producciones Prueba {n} S.A.C.",
            ContactEmail = $"finanzas{n}@example.pe",
            CommissionPlan = new CommissionPlan { Name = "Estándar 5%", Rate = 0.05m, FixedPerTicket = 0m },
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    public OrganizerBuilder WithPlan(CommissionPlan plan)
    {
        _organizer.CommissionPlan = plan;
        return this;
    }

    public Organizer Build() => _organizer;

    /// <summary>A RUC starting with 20 whose check digit is right.</summary>
    public static string ValidRuc(int n)
    {
        var firstTen = "20" + (100_000_00 + n % 90_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + TaxIdValidator.RucCheckDigit(firstTen).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
