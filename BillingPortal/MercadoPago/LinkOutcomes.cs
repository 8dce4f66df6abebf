using BillingPortal.Core.MercadoPago.Linking;

namespace BillingPortal.MercadoPago;

/// <summary>
/// The <c>?resultado=</c> of the connection page after the linking endpoints redirect to it: one slug per
/// <see cref="LinkOutcome"/>, plus a disconnection and "not configured". The page turns a slug into a Spanish message
/// (<c>MercadoPago.Outcome.{slug}</c>); an unknown slug shows nothing.
/// </summary>
public static class LinkOutcomes
{
    public const string Linked = "conectado";
    public const string Denied = "denegado";
    public const string InvalidState = "estado-invalido";
    public const string StateAlreadyUsed = "estado-usado";
    public const string StateExpired = "estado-vencido";
    public const string WrongUser = "otro-usuario";
    public const string InvalidGrant = "codigo-rechazado";
    public const string AccountMismatch = "cuenta-distinta";
    public const string ServiceError = "error-servicio";
    public const string Disconnected = "desconectado";
    public const string NotConfigured = "no-configurado";

    /// <summary>Every slug the page knows.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Linked, Denied, InvalidState, StateAlreadyUsed, StateExpired, WrongUser, InvalidGrant, AccountMismatch, ServiceError, Disconnected, NotConfigured];

    public static string Of(LinkOutcome outcome) => outcome switch
    {
        LinkOutcome.Linked => Linked,
        LinkOutcome.Denied => Denied,
        LinkOutcome.InvalidState => InvalidState,
        LinkOutcome.StateAlreadyUsed => StateAlreadyUsed,
        LinkOutcome.StateExpired => StateExpired,
        LinkOutcome.WrongUser => WrongUser,
        LinkOutcome.InvalidGrant => InvalidGrant,
        LinkOutcome.AccountMismatch => AccountMismatch,
        LinkOutcome.ServiceError => ServiceError,
        _ => ServiceError,
    };

    /// <summary>Whether the slug reports a success (a green alert) rather than a problem.</summary>
    public static bool IsSuccess(string slug) => slug is Linked or Disconnected;

    public static bool IsKnown(string? slug) => slug is not null && All.Contains(slug, StringComparer.Ordinal);
}
