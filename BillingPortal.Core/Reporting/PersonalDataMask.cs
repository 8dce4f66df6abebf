namespace BillingPortal.Core.Reporting;

/// <summary>
/// Masks buyers' personal data for people who may not see it (viewers, API keys): enough to recognise a buyer one
/// already knows, not enough to learn who they are.
/// </summary>
public static class PersonalDataMask
{
    private const string Stars = "***";

    /// <summary><c>lucia.quispe@example.com</c> → <c>l***e@e***.com</c>; a text without <c>@</c> → <c>***</c>.</summary>
    public static string? Email(string? email)
    {
        if (string.IsNullOrEmpty(email)) return email;
        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1) return Stars;
        var local = email[..at];
        var domain = email[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        var host = dot > 0 ? domain[..dot] : domain;
        var tld = dot > 0 ? domain[dot..] : "";
        return Edge(local) + "@" + host[0] + Stars + tld;
    }

    /// <summary>A document number keeps its last three characters: <c>45781678</c> → <c>*****678</c>.</summary>
    public static string? Document(string? number)
    {
        if (string.IsNullOrEmpty(number)) return number;
        return number.Length <= 3 ? new string('*', number.Length) : new string('*', number.Length - 3) + number[^3..];
    }

    /// <summary>A name keeps each word's first letter: <c>Lucía Quispe</c> → <c>L*** Q***</c>.</summary>
    public static string? Name(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return name;
        return string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w[0] + Stars));
    }

    private static string Edge(string local) => local.Length switch
    {
        1 => local + Stars,
        _ => local[0] + Stars + local[^1],
    };
}
