namespace BillingPortal.Core.MercadoPago;

/// <summary>Spanish sentences for the UI, one per kind of failure and per common cause code.</summary>
public static class MercadoPagoErrorMessages
{
    /// <summary>A clear Spanish (es-PE) sentence explaining <paramref name="error"/> to an organizer or an admin.</summary>
    public static string Spanish(MercadoPagoError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.HasCause("9062")) return "El rango de fechas es demasiado amplio: Mercado Pago solo acepta búsquedas de menos de 365 días.";
        if (error.HasCause("1000")) return "La búsqueda pide demasiados resultados: Mercado Pago limita la cantidad de filas. Acorte el período o la página.";
        if (error.HasCause("1001")) return "Una fecha de la búsqueda no tiene un formato que Mercado Pago acepte.";
        if (error.HasCause("1003")) return "El orden pedido no es válido para Mercado Pago.";
        if (error.HasCause("1004")) return "El sentido del orden debe ser ascendente o descendente.";
        if (error.HasCause("2063")) return "El pago no admite esta operación en su estado actual (por ejemplo, ya fue devuelto o el monto supera lo que queda por devolver).";
        if (error.HasCause("4292")) return "Falta la clave de idempotencia que Mercado Pago exige para esta operación; no se realizó ningún cambio.";
        if (error.HasCause("2000")) return "Mercado Pago no encuentra ese pago en la cuenta vinculada.";
        if (error.HasCause("3024")) return "Mercado Pago no permite devoluciones parciales para este pago.";
        if (error.HasCause("4038")) return "La comisión no puede ser mayor que el monto del pago.";
        if (error.HasCause("4039")) return "La comisión no puede ser negativa.";
        if (string.Equals(error.ErrorKey, "local_rate_limited", StringComparison.Ordinal))
            return "Mercado Pago está limitando las solicitudes de autorización. Espere unos minutos y vuelva a intentarlo.";
        return error.Kind switch
        {
            MercadoPagoErrorKind.InvalidGrant => "La autorización de Mercado Pago venció, ya se usó o fue revocada: vuelva a conectar la cuenta de Mercado Pago.",
            MercadoPagoErrorKind.InvalidClient => "La aplicación de la plataforma no es válida para Mercado Pago (identificador o clave secreta). Avise al administrador.",
            MercadoPagoErrorKind.Unauthorized => "Mercado Pago rechazó el acceso a la cuenta vinculada: el token venció o fue revocado. Vuelva a conectar la cuenta.",
            MercadoPagoErrorKind.Forbidden => "La cuenta vinculada no tiene permiso para esta operación en Mercado Pago.",
            MercadoPagoErrorKind.NotFound => "Mercado Pago no encuentra lo solicitado.",
            MercadoPagoErrorKind.BadRequest => "Mercado Pago rechazó la solicitud por datos no válidos.",
            MercadoPagoErrorKind.Conflict => "Mercado Pago ya recibió una solicitud igual con otra información; no se repitió la operación.",
            MercadoPagoErrorKind.RateLimited => error.RetryAfter is { } wait
                ? $"Mercado Pago recibió demasiadas solicitudes. Vuelva a intentarlo en {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} segundos."
                : "Mercado Pago recibió demasiadas solicitudes. Vuelva a intentarlo en unos minutos.",
            MercadoPagoErrorKind.ServerError => "Mercado Pago tiene un problema en este momento. Vuelva a intentarlo más tarde.",
            MercadoPagoErrorKind.Timeout => "Mercado Pago no respondió a tiempo. Vuelva a intentarlo en unos minutos.",
            MercadoPagoErrorKind.CircuitOpen => "Mercado Pago falló varias veces seguidas; las consultas se pausaron unos segundos para no saturarlo. Vuelva a intentarlo en breve.",
            MercadoPagoErrorKind.Network => "No se pudo conectar con Mercado Pago. Revise la conexión e inténtelo de nuevo.",
            MercadoPagoErrorKind.InvalidResponse => "Mercado Pago respondió algo que no se pudo leer. Vuelva a intentarlo; si se repite, avise al administrador.",
        };
    }

    /// <summary>The sentence for an exception of the typed clients.</summary>
    public static string Spanish(MercadoPagoApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Spanish(exception.Error);
    }
}
