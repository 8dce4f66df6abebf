using BillingPortal.Core.Payments;

namespace BillingPortal.Core.MercadoPago;

/// <summary>Mercado Pago's payment <c>status</c> strings (../shared/mercadopago-api.md §3.4) and their enum.</summary>
public static class MercadoPagoStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Authorized = "authorized";
    public const string InProcess = "in_process";
    public const string InMediation = "in_mediation";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Refunded = "refunded";
    public const string ChargedBack = "charged_back";

    /// <summary>
    /// Parses a status (case-insensitive). Returns false for null or an unknown value: the ledger effect of a status
    /// nobody defined is unknowable, so callers must not guess (see <see cref="PaymentMapper"/>).
    /// </summary>
    public static bool TryParse(string? value, out PaymentStatus status)
    {
        status = default;
        if (value is null) return false;
        switch (value.ToLowerInvariant())
        {
            case Pending: status = PaymentStatus.Pending; return true;
            case Approved: status = PaymentStatus.Approved; return true;
            case Authorized: status = PaymentStatus.Authorized; return true;
            case InProcess: status = PaymentStatus.InProcess; return true;
            case InMediation: status = PaymentStatus.InMediation; return true;
            case Rejected: status = PaymentStatus.Rejected; return true;
            case Cancelled: status = PaymentStatus.Cancelled; return true;
            case Refunded: status = PaymentStatus.Refunded; return true;
            case ChargedBack: status = PaymentStatus.ChargedBack; return true;
            default: return false;
        }
    }

    /// <summary>The wire string of a status.</summary>
    public static string ToWire(PaymentStatus status) => status switch
    {
        PaymentStatus.Pending => Pending,
        PaymentStatus.Approved => Approved,
        PaymentStatus.Authorized => Authorized,
        PaymentStatus.InProcess => InProcess,
        PaymentStatus.InMediation => InMediation,
        PaymentStatus.Rejected => Rejected,
        PaymentStatus.Cancelled => Cancelled,
        PaymentStatus.Refunded => Refunded,
        PaymentStatus.ChargedBack => ChargedBack,
    };
}

/// <summary>Mercado Pago's <c>fee_details[].type</c> values (§3.5).</summary>
public static class MercadoPagoFeeTypes
{
    /// <summary>Mercado Pago's processing fee.</summary>
    public const string MercadoPagoFee = "mercadopago_fee";

    /// <summary>The marketplace (platform) commission, IGV included.</summary>
    public const string ApplicationFee = "application_fee";

    /// <summary>Installment financing cost.</summary>
    public const string FinancingFee = "financing_fee";

    public const string ShippingFee = "shipping_fee";
    public const string CouponFee = "coupon_fee";
    public const string DiscountFee = "discount_fee";
}

/// <summary>Who pays a fee (§3.5): the collector absorbs it, the payer pays it on top.</summary>
public static class MercadoPagoFeePayers
{
    public const string Collector = "collector";
    public const string Payer = "payer";
}

/// <summary><c>money_release_status</c> values.</summary>
public static class MercadoPagoReleaseStatuses
{
    public const string Pending = "pending";
    public const string Released = "released";
}

/// <summary>Refund <c>status</c> values (§4.1); only approved refunds move money.</summary>
public static class MercadoPagoRefundStatuses
{
    public const string Approved = "approved";
    public const string InProcess = "in_process";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Authorized = "authorized";
}
