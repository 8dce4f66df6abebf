namespace BillingPortal.Core.Common;

/// <summary>
/// Masks buyers' personal data as ../shared/domain.md asks ("first letter and domain of the email, last 3 digits of a
/// document"): <c>lucia.quispe@example.com</c> → <c>l***@example.com</c>, <c>45871234</c> → <c>*****234</c>. Statements and
/// every screen or export shown to someone who is not an owner use it.
/// </summary>
public static class PersonalDataMask
{
    /// <summary>The first letter, <c>***</c> and the domain; null or blank stays as it is; no <c>@</c> → <c>***</c>.</summary>
    public static string? Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return email;
        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1) return "***";
        return string.Concat(trimmed.AsSpan(0, 1), "***", trimmed.AsSpan(at));
    }

    /// <summary>Asterisks for every character but the last 3; 3 characters or fewer → all asterisks.</summary>
    public static string? Document(string? document)
    {
        if (string.IsNullOrWhiteSpace(document)) return document;
        var trimmed = document.Trim();
        if (trimmed.Length <= 3) return new string('*', trimmed.Length);
        return string.Concat(new string('*', trimmed.Length - 3), trimmed.AsSpan(trimmed.Length - 3));
    }

    /// <summary>A name keeps each word's first letter: <c>Lucía Quispe</c> → <c>L*** Q***</c>.</summary>
    public static string? Name(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return name;
        return string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w[0] + "***"));
    }
}
