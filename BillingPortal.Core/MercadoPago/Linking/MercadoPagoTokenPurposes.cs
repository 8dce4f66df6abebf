namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>
/// The purposes (authenticated additional data) under which the linking secrets are encrypted: a ciphertext copied to
/// another organizer's row or to the other token's column does not open.
/// </summary>
public static class MercadoPagoTokenPurposes
{
    public static string Access(int organizerId) => "mp-link:" + organizerId.ToString(CultureInfo.InvariantCulture) + ":access";

    public static string Refresh(int organizerId) => "mp-link:" + organizerId.ToString(CultureInfo.InvariantCulture) + ":refresh";

    public static string AuthorizationVerifier(int organizerId) => "mp-authorization:" + organizerId.ToString(CultureInfo.InvariantCulture);
}
