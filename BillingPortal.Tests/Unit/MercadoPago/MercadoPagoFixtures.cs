using System.Text.Json;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Tests.Unit.MercadoPago;

/// <summary>
/// Reads the recorded-shape payloads in <c>BillingPortal.Tests/Fixtures/mercadopago/</c> from the source tree (found by
/// walking up from the test binaries), so the fixtures need no copy rule in the project file.
/// </summary>
internal static class MercadoPagoFixtures
{
    /// <summary>§3.6: an approved card payment with Mercado Pago and marketplace fees.</summary>
    public const string Approved = "payment-approved.json";

    /// <summary>§3.7: the same payment fully refunded (partial document, as in the reference).</summary>
    public const string Refunded = "payment-refunded.json";

    /// <summary>A partial refund of a 6-installment payment with a payer-paid financing fee, written with the tolerated variants.</summary>
    public const string PartiallyRefunded = "payment-partially-refunded-installments.json";

    private static readonly Lazy<string> Folder = new(FindFolder);

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder.Value, name));

    public static MpPayment Payment(string name) =>
        JsonSerializer.Deserialize(Text(name), MercadoPagoJsonContext.Default.MpPayment)
        ?? throw new InvalidOperationException($"{name} is empty.");

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "BillingPortal.Tests", "Fixtures", "mercadopago");
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(directory.FullName, "Fixtures", "mercadopago");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, Approved))) return candidate;
        }

        throw new DirectoryNotFoundException("Fixtures/mercadopago not found above " + AppContext.BaseDirectory);
    }
}
