namespace BillingPortal.Security;

/// <summary>The portal's sign-in related addresses (pages in Spanish, endpoints under <c>/cuenta</c>).</summary>
public static class AccountPaths
{
    public const string SignIn = "/cuenta/ingresar";
    public const string SignOut = "/cuenta/salir";
    public const string SwitchOrganizer = "/cuenta/organizador";
    public const string AccessDenied = "/acceso-denegado";
    public const string SessionExpired = "/sesion-expirada";
    public const string SignedOut = "/sesion-cerrada";
    public const string NoOrganizer = "/sin-organizador";
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary><c>?motivo=</c> of the access-denied page: the provider did not vouch for the email.</summary>
    public const string ReasonEmailNotVerified = "correo-no-verificado";

    /// <summary><c>?motivo=</c> of the access-denied page: the callback from the provider failed.</summary>
    public const string ReasonSignInFailed = "inicio-fallido";

    /// <summary><c>?motivo=</c> of the access-denied page: sign-in is not configured on this server.</summary>
    public const string ReasonSignInDisabled = "sin-proveedor";

    /// <summary>The sign-in link that comes back to <paramref name="returnUrl"/> (a local path).</summary>
    public static string SignInLink(string? returnUrl) =>
        SignIn + "?returnUrl=" + Uri.EscapeDataString(string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl);
}
