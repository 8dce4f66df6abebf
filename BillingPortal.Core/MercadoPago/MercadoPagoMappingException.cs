namespace BillingPortal.Core.MercadoPago;

/// <summary>
/// A Mercado Pago payload that cannot be turned into a <see cref="Payments.Payment"/> without guessing: it names the
/// payment, the field and the rule broken (the sync records it and moves on to the next payment).
/// </summary>
public sealed class MercadoPagoMappingException : Exception
{
    public MercadoPagoMappingException()
    {
    }

    public MercadoPagoMappingException(string message)
        : base(message)
    {
    }

    public MercadoPagoMappingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MercadoPagoMappingException(long paymentId, string field, string rule)
        : base($"Pago {paymentId.ToString(CultureInfo.InvariantCulture)}: el campo «{field}» {rule}")
    {
        PaymentId = paymentId;
        Field = field;
    }

    public long? PaymentId { get; }

    public string? Field { get; }
}
