namespace BillingPortal.Core.Identity;

/// <summary>
/// The outcome of an API key operation the user can act on, as a closed set (style guide §D.7): <see cref="Success"/>,
/// <see cref="Invalid"/> (a field broke a rule), <see cref="Forbidden"/> (the caller's role may not do this) or
/// <see cref="NotFound"/> (no such key in the caller's organizer). Exceptions are kept for bugs.
/// </summary>
/// <typeparam name="T">The value of a success.</typeparam>
public abstract record ApiKeyResult<T>
{
    // Private: the four nested records are the only cases.
    private ApiKeyResult()
    {
    }

    /// <summary>Whether the operation succeeded.</summary>
    public bool IsSuccess => this is Success;

    /// <summary>Calls the function for this case; every case must be handled.</summary>
    public TOut Match<TOut>(Func<T, TOut> success, Func<Invalid, TOut> invalid, Func<Forbidden, TOut> forbidden, Func<NotFound, TOut> notFound)
    {
        ArgumentNullException.ThrowIfNull(success);
        ArgumentNullException.ThrowIfNull(invalid);
        ArgumentNullException.ThrowIfNull(forbidden);
        ArgumentNullException.ThrowIfNull(notFound);
        return this switch
        {
            Success s => success(s.Value),
            Invalid i => invalid(i),
            Forbidden f => forbidden(f),
            NotFound n => notFound(n),
            _ => throw new InvalidOperationException("Unknown result case."),
        };
    }

    /// <summary>The operation was done.</summary>
    public sealed record Success(T Value) : ApiKeyResult<T>;

    /// <summary>A field broke a rule: <paramref name="Field"/> and <paramref name="Rule"/> (from <see cref="ApiKeyRules"/>) are stable, the message is Spanish.</summary>
    public sealed record Invalid(string Field, string Rule, string Message) : ApiKeyResult<T>;

    /// <summary>The caller is not an owner of the organizer (or is an API key); nothing was changed.</summary>
    public sealed record Forbidden(string Message) : ApiKeyResult<T>;

    /// <summary>No such key in the caller's organizer (another organizer's key is reported the same way).</summary>
    public sealed record NotFound(string Message) : ApiKeyResult<T>;
}

/// <summary>Stable rule codes of <see cref="ApiKeyResult{T}.Invalid"/>; never rename one, only add.</summary>
public static class ApiKeyRules
{
    public const string Required = "required";
    public const string MaxLength = "max_length";
    public const string InvalidCharacters = "invalid_characters";
    public const string DuplicateName = "duplicate_name";
}
