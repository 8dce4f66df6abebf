namespace BillingPortal.Core.Organizers;

/// <summary>
/// Peruvian tax id checks. A RUC has 11 digits, starts with 10, 15, 16, 17 or 20, and its last digit is a
/// modulo-11 check digit over the first ten with weights 5,4,3,2,7,6,5,4,3,2 (SUNAT's algorithm:
/// check = 11 − (Σ mod 11), where 10 → 0 and 11 → 1). A DNI has exactly 8 digits.
/// </summary>
public static class TaxIdValidator
{
    private static readonly int[] RucWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    private static readonly string[] RucPrefixes = ["10", "15", "16", "17", "20"];

    /// <summary>Returns null when valid, otherwise the rule broken (Spanish, for error messages).</summary>
    public static string? Validate(TaxIdKind kind, string? value) => kind switch
    {
        TaxIdKind.Ruc => ValidateRuc(value),
        TaxIdKind.Dni => ValidateDni(value),
    };

    public static string? ValidateRuc(string? ruc)
    {
        if (string.IsNullOrEmpty(ruc) || ruc.Length != 11 || !ruc.All(char.IsAsciiDigit))
            return "El RUC debe tener exactamente 11 dígitos.";
        if (!RucPrefixes.Contains(ruc[..2], StringComparer.Ordinal))
            return "El RUC debe empezar con 10, 15, 16, 17 o 20.";
        if (RucCheckDigit(ruc.AsSpan(0, 10)) != ruc[10] - '0')
            return "El dígito verificador del RUC no es válido.";
        return null;
    }

    public static string? ValidateDni(string? dni) =>
        !string.IsNullOrEmpty(dni) && dni.Length == 8 && dni.All(char.IsAsciiDigit)
            ? null
            : "El DNI debe tener exactamente 8 dígitos.";

    /// <summary>The check digit for the first ten digits of a RUC.</summary>
    public static int RucCheckDigit(ReadOnlySpan<char> firstTen)
    {
        var sum = 0;
        for (var i = 0; i < 10; i++) sum += (firstTen[i] - '0') * RucWeights[i];
        var check = 11 - (sum % 11);
        return check switch { 10 => 0, 11 => 1, _ => check };
    }
}
