using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>
/// Writes an <see cref="MpPayment"/> as JSON byte for byte like <see cref="MercadoPagoJsonContext"/> does, several
/// times faster: the contracts' lenient converters keep System.Text.Json on its slow metadata path, which made JSON the
/// largest cost of seeding a million payments. Tests compare both outputs on every shape the demo produces and on the
/// fixtures; a property added to the contracts but not here makes them differ.
/// </summary>
internal static class MpPaymentJsonWriter
{
    [ThreadStatic]
    private static ArrayBufferWriterHolder? _buffer;

    /// <summary>The payment as UTF-8 JSON (a new array of the exact length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte[] ToUtf8Bytes(MpPayment payment)
    {
        var holder = _buffer ??= new ArrayBufferWriterHolder();
        holder.Buffer.ResetWrittenCount();
        holder.Writer.Reset(holder.Buffer);
        Write(holder.Writer, payment);
        holder.Writer.Flush();
        return holder.Buffer.WrittenSpan.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public static void Write(Utf8JsonWriter w, MpPayment p)
    {
        w.WriteStartObject();
        w.WriteNumber("id"u8, p.Id);
        Date(w, "date_created"u8, p.DateCreated);
        Date(w, "date_approved"u8, p.DateApproved);
        Date(w, "date_last_updated"u8, p.DateLastUpdated);
        Date(w, "date_of_expiration"u8, p.DateOfExpiration);
        Date(w, "money_release_date"u8, p.MoneyReleaseDate);
        Text(w, "money_release_status"u8, p.MoneyReleaseStatus);
        Text(w, "money_release_schema"u8, p.MoneyReleaseSchema);
        Text(w, "operation_type"u8, p.OperationType);
        Text(w, "issuer_id"u8, p.IssuerId);
        Text(w, "payment_method_id"u8, p.PaymentMethodId);
        Text(w, "payment_type_id"u8, p.PaymentTypeId);
        Text(w, "status"u8, p.Status);
        Text(w, "status_detail"u8, p.StatusDetail);
        Text(w, "currency_id"u8, p.CurrencyId);
        Text(w, "description"u8, p.Description);
        w.WriteBoolean("live_mode"u8, p.LiveMode);
        Number(w, "sponsor_id"u8, p.SponsorId);
        Text(w, "authorization_code"u8, p.AuthorizationCode);
        Number(w, "collector_id"u8, p.CollectorId);
        Number(w, "marketplace_owner"u8, p.MarketplaceOwner);
        Payer(w, p.Payer);
        Node(w, "metadata"u8, p.Metadata);
        AdditionalInfo(w, p.AdditionalInfo);
        Order(w, p.Order);
        Text(w, "external_reference"u8, p.ExternalReference);
        w.WriteNumber("transaction_amount"u8, p.TransactionAmount);
        Number(w, "transaction_amount_refunded"u8, p.TransactionAmountRefunded);
        Number(w, "coupon_amount"u8, p.CouponAmount);
        Number(w, "shipping_amount"u8, p.ShippingAmount);
        Number(w, "taxes_amount"u8, p.TaxesAmount);
        Number(w, "installments"u8, p.Installments);
        TransactionDetails(w, p.TransactionDetails);
        FeeDetails(w, p.FeeDetails);
        ChargesDetails(w, p.ChargesDetails);
        Boolean(w, "captured"u8, p.Captured);
        Boolean(w, "binary_mode"u8, p.BinaryMode);
        Text(w, "call_for_authorize_id"u8, p.CallForAuthorizeId);
        Text(w, "statement_descriptor"u8, p.StatementDescriptor);
        Card(w, p.Card);
        Text(w, "notification_url"u8, p.NotificationUrl);
        Refunds(w, p.Refunds);
        Text(w, "processing_mode"u8, p.ProcessingMode);
        Text(w, "merchant_account_id"u8, p.MerchantAccountId);
        Elements(w, "acquirer_reconciliation"u8, p.AcquirerReconciliation);
        PointOfInteraction(w, p.PointOfInteraction);

        if (p.PaymentMethod is { } method)
        {
            w.WriteStartObject("payment_method"u8);
            Text(w, "id"u8, method.Id);
            Text(w, "type"u8, method.Type);
            Text(w, "issuer_id"u8, method.IssuerId);
            OptionalElement(w, "data"u8, method.Data);
            w.WriteEndObject();
        }

        OptionalText(w, "callback_url"u8, p.CallbackUrl);
        OptionalText(w, "integrator_id"u8, p.IntegratorId);
        OptionalText(w, "platform_id"u8, p.PlatformId);
        OptionalText(w, "corporation_id"u8, p.CorporationId);
        OptionalText(w, "store_id"u8, p.StoreId);
        OptionalText(w, "pos_id"u8, p.PosId);
        OptionalText(w, "counter_currency"u8, p.CounterCurrency);
        OptionalText(w, "deduction_schema"u8, p.DeductionSchema);
        OptionalText(w, "differential_pricing_id"u8, p.DifferentialPricingId);
        OptionalText(w, "build_version"u8, p.BuildVersion);
        OptionalText(w, "financing_group"u8, p.FinancingGroup);
        OptionalText(w, "coupon_code"u8, p.CouponCode);
        if (p.NetAmount is { } netAmount) w.WriteNumber("net_amount"u8, netAmount);
        if (p.Taxes is not null) Elements(w, "taxes"u8, p.Taxes);
        OptionalElement(w, "three_ds_info"u8, p.ThreeDsInfo);
        OptionalText(w, "merchant_number"u8, p.MerchantNumber);
        OptionalText(w, "payment_method_option_id"u8, p.PaymentMethodOptionId);
        OptionalElement(w, "internal_metadata"u8, p.InternalMetadata);
        Extension(w, p.AdditionalProperties);
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Payer(Utf8JsonWriter w, MpPayer? payer)
    {
        if (payer is null)
        {
            w.WriteNull("payer"u8);
            return;
        }

        w.WriteStartObject("payer"u8);
        Text(w, "id"u8, payer.Id);
        Text(w, "email"u8, payer.Email);
        Text(w, "type"u8, payer.Type);
        Text(w, "entity_type"u8, payer.EntityType);
        Text(w, "first_name"u8, payer.FirstName);
        Text(w, "last_name"u8, payer.LastName);
        Text(w, "operator_id"u8, payer.OperatorId);
        Identification(w, payer.Identification);
        if (payer.Phone is { } phone)
        {
            w.WriteStartObject("phone"u8);
            Text(w, "area_code"u8, phone.AreaCode);
            Text(w, "number"u8, phone.Number);
            Text(w, "extension"u8, phone.Extension);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("phone"u8);
        }

        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Identification(Utf8JsonWriter w, MpIdentification? identification)
    {
        if (identification is null)
        {
            w.WriteNull("identification"u8);
            return;
        }

        w.WriteStartObject("identification"u8);
        Text(w, "type"u8, identification.Type);
        Text(w, "number"u8, identification.Number);
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void AdditionalInfo(Utf8JsonWriter w, MpAdditionalInfo? info)
    {
        if (info is null)
        {
            w.WriteNull("additional_info"u8);
            return;
        }

        w.WriteStartObject("additional_info"u8);
        if (info.Items is null)
        {
            w.WriteNull("items"u8);
        }
        else
        {
            w.WriteStartArray("items"u8);
            foreach (var item in info.Items)
            {
                w.WriteStartObject();
                Text(w, "id"u8, item.Id);
                Text(w, "title"u8, item.Title);
                OptionalText(w, "description"u8, item.Description);
                OptionalText(w, "picture_url"u8, item.PictureUrl);
                OptionalText(w, "category_id"u8, item.CategoryId);
                if (item.Quantity is { } quantity) w.WriteString("quantity"u8, quantity.ToString(CultureInfo.InvariantCulture));
                else w.WriteNull("quantity"u8);
                if (item.UnitPrice is { } price) w.WriteString("unit_price"u8, price.ToString(CultureInfo.InvariantCulture));
                else w.WriteNull("unit_price"u8);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        OptionalElement(w, "payer"u8, info.Payer);
        OptionalElement(w, "shipments"u8, info.Shipments);
        OptionalText(w, "ip_address"u8, info.IpAddress);
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Order(Utf8JsonWriter w, MpOrder? order)
    {
        if (order is null)
        {
            w.WriteNull("order"u8);
            return;
        }

        w.WriteStartObject("order"u8);
        OptionalText(w, "id"u8, order.Id);
        OptionalText(w, "type"u8, order.Type);
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void TransactionDetails(Utf8JsonWriter w, MpTransactionDetails? d)
    {
        if (d is null)
        {
            w.WriteNull("transaction_details"u8);
            return;
        }

        w.WriteStartObject("transaction_details"u8);
        Number(w, "net_received_amount"u8, d.NetReceivedAmount);
        Number(w, "total_paid_amount"u8, d.TotalPaidAmount);
        Number(w, "overpaid_amount"u8, d.OverpaidAmount);
        Number(w, "installment_amount"u8, d.InstallmentAmount);
        Text(w, "external_resource_url"u8, d.ExternalResourceUrl);
        Text(w, "financial_institution"u8, d.FinancialInstitution);
        Text(w, "payment_method_reference_id"u8, d.PaymentMethodReferenceId);
        Text(w, "payable_deferral_period"u8, d.PayableDeferralPeriod);
        Text(w, "acquirer_reference"u8, d.AcquirerReference);
        OptionalText(w, "transaction_id"u8, d.TransactionId);
        if (d.BankTransferId is { } bankTransferId) w.WriteNumber("bank_transfer_id"u8, bankTransferId);
        if (d.Barcode is { } barcode)
        {
            w.WriteStartObject("barcode"u8);
            Text(w, "content"u8, barcode.Content);
            w.WriteEndObject();
        }

        OptionalText(w, "digitable_line"u8, d.DigitableLine);
        OptionalText(w, "verification_code"u8, d.VerificationCode);
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void FeeDetails(Utf8JsonWriter w, IReadOnlyList<MpFeeDetail>? fees)
    {
        if (fees is null)
        {
            w.WriteNull("fee_details"u8);
            return;
        }

        w.WriteStartArray("fee_details"u8);
        foreach (var fee in fees)
        {
            w.WriteStartObject();
            Text(w, "type"u8, fee.Type);
            w.WriteNumber("amount"u8, fee.Amount);
            Text(w, "fee_payer"u8, fee.FeePayer);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void ChargesDetails(Utf8JsonWriter w, IReadOnlyList<MpChargeDetail>? charges)
    {
        if (charges is null)
        {
            w.WriteNull("charges_details"u8);
            return;
        }

        w.WriteStartArray("charges_details"u8);
        foreach (var c in charges)
        {
            w.WriteStartObject();
            Text(w, "id"u8, c.Id);
            Text(w, "name"u8, c.Name);
            Text(w, "type"u8, c.Type);
            if (c.Accounts is { } accounts)
            {
                w.WriteStartObject("accounts"u8);
                Text(w, "from"u8, accounts.From);
                Text(w, "to"u8, accounts.To);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("accounts"u8);
            }

            Number(w, "client_id"u8, c.ClientId);
            Date(w, "date_created"u8, c.DateCreated);
            Date(w, "last_updated"u8, c.LastUpdated);
            if (c.Amounts is { } amounts)
            {
                w.WriteStartObject("amounts"u8);
                Number(w, "original"u8, amounts.Original);
                Number(w, "refunded"u8, amounts.Refunded);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("amounts"u8);
            }

            Node(w, "metadata"u8, c.Metadata);
            Element(w, "reserve_id"u8, c.ReserveId);
            Elements(w, "refund_charges"u8, c.RefundCharges);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Card(Utf8JsonWriter w, MpCard? card)
    {
        if (card is null)
        {
            w.WriteNull("card"u8);
            return;
        }

        w.WriteStartObject("card"u8);
        Text(w, "id"u8, card.Id);
        Text(w, "first_six_digits"u8, card.FirstSixDigits);
        Text(w, "last_four_digits"u8, card.LastFourDigits);
        OptionalText(w, "bin"u8, card.Bin);
        Number(w, "expiration_month"u8, card.ExpirationMonth);
        Number(w, "expiration_year"u8, card.ExpirationYear);
        Date(w, "date_created"u8, card.DateCreated);
        Date(w, "date_last_updated"u8, card.DateLastUpdated);
        if (card.Cardholder is { } holder)
        {
            w.WriteStartObject("cardholder"u8);
            Text(w, "name"u8, holder.Name);
            Identification(w, holder.Identification);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("cardholder"u8);
        }

        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Refunds(Utf8JsonWriter w, IReadOnlyList<MpRefund>? refunds)
    {
        if (refunds is null)
        {
            w.WriteNull("refunds"u8);
            return;
        }

        w.WriteStartArray("refunds"u8);
        foreach (var r in refunds)
        {
            w.WriteStartObject();
            w.WriteNumber("id"u8, r.Id);
            w.WriteNumber("payment_id"u8, r.PaymentId);
            w.WriteNumber("amount"u8, r.Amount);
            Node(w, "metadata"u8, r.Metadata);
            if (r.Source is { } source)
            {
                w.WriteStartObject("source"u8);
                Text(w, "id"u8, source.Id);
                Text(w, "name"u8, source.Name);
                Text(w, "type"u8, source.Type);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("source"u8);
            }

            Date(w, "date_created"u8, r.DateCreated);
            Text(w, "unique_sequence_number"u8, r.UniqueSequenceNumber);
            Text(w, "refund_mode"u8, r.RefundMode);
            Number(w, "adjustment_amount"u8, r.AdjustmentAmount);
            Text(w, "status"u8, r.Status);
            Text(w, "reason"u8, r.Reason);
            Strings(w, "labels"u8, r.Labels);
            if (r.Label is not null) Strings(w, "label"u8, r.Label);
            Number(w, "amount_refunded_to_payer"u8, r.AmountRefundedToPayer);
            Elements(w, "partition_details"u8, r.PartitionDetails);
            Extension(w, r.AdditionalProperties);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void PointOfInteraction(Utf8JsonWriter w, MpPointOfInteraction? poi)
    {
        if (poi is null)
        {
            w.WriteNull("point_of_interaction"u8);
            return;
        }

        w.WriteStartObject("point_of_interaction"u8);
        Text(w, "type"u8, poi.Type);
        OptionalText(w, "sub_type"u8, poi.SubType);
        OptionalText(w, "linked_to"u8, poi.LinkedTo);
        if (poi.BusinessInfo is { } info)
        {
            w.WriteStartObject("business_info"u8);
            Text(w, "unit"u8, info.Unit);
            Text(w, "sub_unit"u8, info.SubUnit);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("business_info"u8);
        }

        OptionalElement(w, "application_data"u8, poi.ApplicationData);
        OptionalElement(w, "transaction_data"u8, poi.TransactionData);
        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Date(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        w.WritePropertyName(name);
        MercadoPagoDateTimeOffsetConverter.WriteQuoted(w, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Date(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        if (value is { } v) Date(w, name, v);
        else w.WriteNull(name);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Text(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void OptionalText(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, decimal? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Boolean(Utf8JsonWriter w, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } v) w.WriteBoolean(name, v);
        else w.WriteNull(name);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Node(Utf8JsonWriter w, ReadOnlySpan<byte> name, JsonNode? node)
    {
        w.WritePropertyName(name);
        if (node is null) w.WriteNullValue();
        else node.WriteTo(w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Element(Utf8JsonWriter w, ReadOnlySpan<byte> name, JsonElement? element)
    {
        w.WritePropertyName(name);
        if (element is { } e) e.WriteTo(w);
        else w.WriteNullValue();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void OptionalElement(Utf8JsonWriter w, ReadOnlySpan<byte> name, JsonElement? element)
    {
        if (element is not { } e) return;
        w.WritePropertyName(name);
        e.WriteTo(w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Elements(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<JsonElement>? elements)
    {
        if (elements is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartArray(name);
        foreach (var e in elements) e.WriteTo(w);
        w.WriteEndArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Strings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void Extension(Utf8JsonWriter w, Dictionary<string, JsonElement>? extension)
    {
        if (extension is null) return;
        foreach (var (key, value) in extension)
        {
            w.WritePropertyName(key);
            value.WriteTo(w);
        }
    }

    private sealed class ArrayBufferWriterHolder
    {
        public ArrayBufferWriterHolder()
        {
            Buffer = new System.Buffers.ArrayBufferWriter<byte>(8192);
            Writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { SkipValidation = true });
        }

        public System.Buffers.ArrayBufferWriter<byte> Buffer { get; }

        public Utf8JsonWriter Writer { get; }
    }
}
