namespace BillingPortal.Core.Ingestion;

/// <summary>
/// The stable rule codes of ingestion errors (snake_case). Clients may switch on them; never rename one, only add.
/// The Spanish messages beside them may be reworded.
/// </summary>
public static class IngestionRules
{
    // Request level
    public const string InvalidJson = "invalid_json";
    public const string BodyTooLarge = "body_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string TooManyRows = "too_many_rows";
    public const string ApiKeyMissing = "api_key_missing";
    public const string ApiKeyInvalid = "api_key_invalid";

    // Any field
    public const string Required = "required";
    public const string MaxLength = "max_length";
    public const string OneOf = "one_of";
    public const string DuplicateId = "duplicate_id";

    // Organizers
    public const string RucFormat = "ruc_format";
    public const string RucPrefix = "ruc_prefix";
    public const string RucCheckDigit = "ruc_check_digit";
    public const string DniFormat = "dni_format";
    public const string DuplicateTaxId = "duplicate_tax_id";
    public const string TaxIdTaken = "tax_id_taken";
    public const string Email = "email";
    public const string TimeZone = "time_zone";
    public const string Range = "range";
    public const string MaxDecimals = "max_decimals";
    public const string NonNegative = "non_negative";

    // Events
    public const string UnknownOrganizer = "unknown_organizer";
    public const string OrganizerChange = "organizer_change";
    public const string Positive = "positive";
    public const string DateFormat = "date_format";
    public const string OffsetRequired = "offset_required";

    // Purchases
    public const string UnknownEvent = "unknown_event";
    public const string MaxAmount = "max_amount";
    public const string Currency = "currency";
    public const string FutureDate = "future_date";
    public const string BeforeCreatedAt = "before_created_at";
    public const string RequiredWhenPaid = "required_when_paid";
}
