using System.Text.Json.Nodes;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Common;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>A way to pay as the emulator prices it (the demo data's illustrative fees and release delays).</summary>
public sealed record SandboxPaymentMethod(string PaymentMethodId, string PaymentTypeId, string? IssuerId, decimal FeeRate, decimal FeeFixed, int ReleaseDays, string? Bin)
{
    public bool IsCard => PaymentTypeId is "credit_card" or "debit_card";

    public bool IsCash => PaymentTypeId == "atm";
}

/// <summary>A sale to create: what the admin surface and the live mode ask for.</summary>
public sealed record SandboxSaleRequest
{
    public required long SellerId { get; init; }

    public required decimal Amount { get; init; }

    /// <summary><c>visa</c>, <c>master</c>, <c>amex</c>, <c>diners</c>, <c>yape</c>, <c>pagoefectivo_atm</c>.</summary>
    public string PaymentMethodId { get; init; } = "visa";

    /// <summary><c>credit_card</c> or <c>debit_card</c> for visa/master; null: the method's usual type.</summary>
    public string? PaymentTypeId { get; init; }

    public string? ExternalReference { get; init; }

    /// <summary>The platform's commission (IGV included); null: the default plan (5% + S/ 1.00 per ticket, plus IGV).</summary>
    public decimal? ApplicationFee { get; init; }

    /// <summary>Approved at once, or pending (waiting for the payment, as a PagoEfectivo CIP does).</summary>
    public bool Pending { get; init; }

    public int Tickets { get; init; } = 1;

    public string? Description { get; init; }

    /// <summary>When it was created; null: now. Lets tests place payments in the past.</summary>
    public DateTimeOffset? DateCreated { get; init; }
}

/// <summary>
/// Builds complete payment JSON (§3.3) for the emulator's new sales the way the demo generator builds its payments:
/// the same illustrative fees per method (cards 3.79%, Amex/Diners 4.49%, debit 2.99%, Yape 2.95%, PagoEfectivo 3.49%
/// + S/ 1.00; IGV included), <c>fee_details</c> for Mercado Pago's fee and the application fee (both paid by the
/// collector), <c>net_received_amount = amount − fees</c>, release 14 days after approval for cards, 2 for Yape, 3 for
/// PagoEfectivo, and timestamps in <c>-04:00</c> like the API.
/// </summary>
public static class SandboxSaleBuilder
{
    public static readonly TimeSpan MercadoPagoOffset = TimeSpan.FromHours(-4);

    public static readonly IReadOnlyList<SandboxPaymentMethod> Methods =
    [
        new("visa", "credit_card", "1", 0.0379m, 0m, 14, "400917"),
        new("master", "credit_card", "2", 0.0379m, 0m, 14, "503175"),
        new("amex", "credit_card", "3", 0.0449m, 0m, 14, "371180"),
        new("diners", "credit_card", "4", 0.0449m, 0m, 14, "360935"),
        new("visa", "debit_card", "1", 0.0299m, 0m, 14, "421355"),
        new("master", "debit_card", "2", 0.0299m, 0m, 14, "557039"),
        new("yape", "digital_wallet", null, 0.0295m, 0m, 2, null),
        new("pagoefectivo_atm", "atm", null, 0.0349m, 1.00m, 3, null),
    ];

    /// <summary>The commission plan used when a sale names no application fee.</summary>
    public static readonly CommissionPlan DefaultPlan = new() { Name = "Sandbox", Rate = 0.05m, FixedPerTicket = 1.00m };

    private static readonly string[] FirstNames = ["Lucía", "Mateo", "Valeria", "Santiago", "Camila", "Diego", "Ximena", "Andrés", "Mariana", "José"];
    private static readonly string[] Surnames = ["Quispe", "Flores", "Rojas", "Huamán", "Mendoza", "Torres", "Vargas", "Castillo", "Ramírez", "Chávez"];

    /// <summary>The method for an id and optional type; null when unknown.</summary>
    public static SandboxPaymentMethod? Method(string paymentMethodId, string? paymentTypeId) =>
        Methods.FirstOrDefault(m => string.Equals(m.PaymentMethodId, paymentMethodId, StringComparison.OrdinalIgnoreCase)
                                    && (paymentTypeId is null || string.Equals(m.PaymentTypeId, paymentTypeId, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The application fee a sale gets when none is named.</summary>
    public static decimal DefaultApplicationFee(decimal amount, int tickets) => CommissionCalculator.Expected(DefaultPlan, amount, Math.Max(1, tickets)).Total;

    /// <summary>A new payment (approved or pending) for <paramref name="seller"/>, created at <paramref name="now"/> unless the request dates it.</summary>
    public static MpPayment Build(SandboxSaleRequest request, SandboxSeller seller, long paymentId, long marketplaceUserId, DateTimeOffset now, Random random)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(seller);
        ArgumentNullException.ThrowIfNull(random);
        var method = Method(request.PaymentMethodId, request.PaymentTypeId)
                     ?? throw new ArgumentException($"Unknown payment method {request.PaymentMethodId}/{request.PaymentTypeId}.", nameof(request));
        var created = ToMercadoPago(request.DateCreated ?? now);
        var tickets = Math.Max(1, request.Tickets);
        var buyer = Buyer(paymentId);
        var identification = new MpIdentification { Type = "DNI", Number = buyer.Dni };
        var cip = method.IsCash ? Digits(random, 8) : null;
        var reference = request.ExternalReference ?? "ord_sbx_" + paymentId.ToString(CultureInfo.InvariantCulture);

        var payment = new MpPayment
        {
            Id = paymentId,
            DateCreated = created,
            DateApproved = null,
            DateLastUpdated = created,
            DateOfExpiration = method.IsCash ? created.AddHours(72) : null,
            MoneyReleaseDate = null,
            MoneyReleaseStatus = null,
            MoneyReleaseSchema = null,
            OperationType = "regular_payment",
            IssuerId = method.IssuerId,
            PaymentMethodId = method.PaymentMethodId,
            PaymentTypeId = method.PaymentTypeId,
            Status = MercadoPagoStatuses.Pending,
            StatusDetail = "pending_waiting_payment",
            CurrencyId = Money.Pen,
            Description = request.Description ?? "Entrada General - Venta sandbox",
            LiveMode = true,
            SponsorId = null,
            AuthorizationCode = null,
            CollectorId = seller.Id,
            MarketplaceOwner = marketplaceUserId,
            Payer = new MpPayer
            {
                Id = Digits(random, 10),
                Email = null,
                Identification = new MpIdentification(),
                Phone = new MpPhone(),
                Type = null,
            },
            Metadata = new JsonObject { ["order_id"] = reference },
            AdditionalInfo = new MpAdditionalInfo
            {
                Items = [new MpItem { Id = "TKT-GEN", Title = "Entrada General", Quantity = tickets, UnitPrice = Money.Round2(request.Amount / tickets) }],
            },
            Order = new MpOrder { Id = (15_000_000_000L + (paymentId % 1_000_000_000L)).ToString(CultureInfo.InvariantCulture), Type = "mercadopago" },
            ExternalReference = reference,
            TransactionAmount = request.Amount,
            TransactionAmountRefunded = 0m,
            CouponAmount = 0m,
            ShippingAmount = 0m,
            TaxesAmount = 0m,
            Installments = 1,
            TransactionDetails = new MpTransactionDetails
            {
                NetReceivedAmount = 0m,
                TotalPaidAmount = request.Amount,
                OverpaidAmount = 0m,
                InstallmentAmount = request.Amount,
                ExternalResourceUrl = cip is null ? null : "https://pagoefectivo.example/cip/" + cip,
                PaymentMethodReferenceId = cip,
            },
            FeeDetails = [],
            ChargesDetails = [],
            Captured = true,
            BinaryMode = false,
            CallForAuthorizeId = null,
            StatementDescriptor = "MERCADOPAGO*TICKETS",
            Card = method.IsCard
                ? new MpCard
                {
                    FirstSixDigits = method.Bin,
                    LastFourDigits = Digits(random, 4),
                    ExpirationMonth = random.Next(1, 13),
                    ExpirationYear = created.Year + random.Next(1, 6),
                    DateCreated = created,
                    DateLastUpdated = created,
                    Cardholder = new MpCardholder { Name = buyer.CardholderName, Identification = identification },
                }
                : null,
            NotificationUrl = null,
            Refunds = [],
            ProcessingMode = "aggregator",
            MerchantAccountId = null,
            AcquirerReconciliation = [],
            PointOfInteraction = new MpPointOfInteraction
            {
                Type = "UNSPECIFIED",
                BusinessInfo = new MpBusinessInfo { Unit = "online_payments", SubUnit = "checkout_pro" },
            },
        };

        if (request.Pending) return payment;
        // Approved a few seconds after creation, but never after "now": the emulator must not date the future (a later
        // refund stamped "now" would otherwise carry an older date_last_updated than the approval it replaces).
        var approvedAt = created.AddSeconds(random.Next(1, 9));
        if (approvedAt > now) approvedAt = created > now ? created : now;
        return Approve(payment, approvedAt, request.ApplicationFee ?? DefaultApplicationFee(request.Amount, tickets), now, random);
    }

    /// <summary>
    /// Approves a pending payment at <paramref name="approvedAt"/>: fees (Mercado Pago's by method, the application fee),
    /// net, release date and status (<c>released</c> when already due at <paramref name="now"/>), buyer data shown.
    /// </summary>
    public static MpPayment Approve(MpPayment payment, DateTimeOffset approvedAt, decimal applicationFee, DateTimeOffset now, Random random)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(random);
        var method = Method(payment.PaymentMethodId ?? "", payment.PaymentTypeId) ?? Methods[0];
        var amount = payment.TransactionAmount;
        var mercadoPagoFee = Money.Round2((amount * method.FeeRate) + method.FeeFixed);
        var approved = ToMercadoPago(approvedAt);
        var release = approved.AddDays(method.ReleaseDays);
        var buyer = Buyer(payment.Id);
        return payment with
        {
            Status = MercadoPagoStatuses.Approved,
            StatusDetail = "accredited",
            DateApproved = approved,
            DateLastUpdated = approved,
            MoneyReleaseDate = release,
            MoneyReleaseStatus = release <= now ? MercadoPagoReleaseStatuses.Released : MercadoPagoReleaseStatuses.Pending,
            AuthorizationCode = method.IsCard ? Digits(random, 6) : null,
            FeeDetails =
            [
                new MpFeeDetail { Type = MercadoPagoFeeTypes.MercadoPagoFee, Amount = mercadoPagoFee, FeePayer = MercadoPagoFeePayers.Collector },
                new MpFeeDetail { Type = MercadoPagoFeeTypes.ApplicationFee, Amount = applicationFee, FeePayer = MercadoPagoFeePayers.Collector },
            ],
            TransactionDetails = (payment.TransactionDetails ?? new MpTransactionDetails()) with { NetReceivedAmount = amount - mercadoPagoFee - applicationFee },
            Payer = (payment.Payer ?? new MpPayer()) with
            {
                Email = buyer.Email,
                Identification = new MpIdentification { Type = "DNI", Number = buyer.Dni },
            },
        };
    }

    /// <summary>An instant as Mercado Pago writes it (<c>-04:00</c>).</summary>
    public static DateTimeOffset ToMercadoPago(DateTimeOffset instant) => instant.ToOffset(MercadoPagoOffset);

    /// <summary>
    /// The buyer of a payment, derived from its id: the same at creation and at approval, so a pending payment does not
    /// have to hold the buyer's email and document until Mercado Pago would show them (approved, refunded, charged_back).
    /// </summary>
    private static SandboxBuyer Buyer(long paymentId)
    {
        var random = new Random((int)(paymentId % int.MaxValue));
        var first = FirstNames[random.Next(FirstNames.Length)];
        var surname = Surnames[random.Next(Surnames.Length)];
        var dni = random.Next(1, 8).ToString(CultureInfo.InvariantCulture) + Digits(random, 7);
        var email = Ascii(first) + "." + Ascii(surname) + random.Next(1, 100).ToString(CultureInfo.InvariantCulture) + "@example.com";
        return new SandboxBuyer(email, dni, (Ascii(first) + " " + Ascii(surname)).ToUpperInvariant());
    }

    private static string Digits(Random random, int count)
    {
        Span<char> buffer = stackalloc char[count];
        for (var i = 0; i < count; i++) buffer[i] = (char)('0' + random.Next(i == 0 ? 1 : 0, 10));
        return new string(buffer);
    }

    private static string Ascii(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(c switch
            {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' or 'ü' => 'u',
                'ñ' => 'n',
                _ => c,
            });
        }

        return builder.ToString();
    }

    private sealed record SandboxBuyer(string Email, string Dni, string CardholderName);
}
