using BillingPortal.Core.Payments;

namespace BillingPortal.Tests.Builders;

/// <summary>Builds payments with valid defaults: an approved S/ 150.00 card sale with MP and platform fees.</summary>
public sealed class PaymentBuilder
{
    private static long _nextId = 91_000_000_000;
    private static long _nextRefundId = 1_000_000_000;
    private readonly Payment _payment;

    public PaymentBuilder()
    {
        var approved = new DateTimeOffset(2026, 3, 14, 19, 2, 13, TimeSpan.FromHours(-4));
        _payment = new Payment
        {
            Id = Interlocked.Increment(ref _nextId),
            OrganizerId = 1,
            CollectorId = 241983636,
            ExternalReference = "ord_5521",
            Status = PaymentStatus.Approved,
            StatusDetail = "accredited",
            CurrencyId = "PEN",
            TransactionAmount = 150.00m,
            NetReceivedAmount = 135.42m,
            TotalPaidAmount = 150.00m,
            MercadoPagoFee = 7.08m,
            ApplicationFee = 7.50m,
            DateCreated = approved.AddSeconds(-2),
            DateApproved = approved,
            DateLastUpdated = approved,
            MoneyReleaseDate = approved.AddDays(14),
            MoneyReleaseStatus = MoneyReleaseStatus.Pending,
            PaymentMethodId = "visa",
            PaymentTypeId = "credit_card",
            Installments = 1,
            Tickets = 2,
        };
    }

    public PaymentBuilder ForOrganizer(int organizerId)
    {
        _payment.OrganizerId = organizerId;
        return this;
    }

    public PaymentBuilder WithId(long id)
    {
        _payment.Id = id;
        return this;
    }

    /// <summary>Sets the amount and fees; the net received is made consistent (amount − collector fees).</summary>
    public PaymentBuilder WithAmounts(decimal amount, decimal mercadoPagoFee, decimal applicationFee, decimal otherFees = 0m)
    {
        _payment.TransactionAmount = amount;
        _payment.TotalPaidAmount = amount;
        _payment.MercadoPagoFee = mercadoPagoFee;
        _payment.ApplicationFee = applicationFee;
        _payment.OtherCollectorFees = otherFees;
        _payment.NetReceivedAmount = amount - mercadoPagoFee - applicationFee - otherFees;
        return this;
    }

    public PaymentBuilder WithNetReceived(decimal net)
    {
        _payment.NetReceivedAmount = net;
        return this;
    }

    public PaymentBuilder WithPayerFees(decimal payerFees)
    {
        _payment.PayerFees = payerFees;
        _payment.TotalPaidAmount = _payment.TransactionAmount + payerFees;
        return this;
    }

    public PaymentBuilder WithTickets(int tickets)
    {
        _payment.Tickets = tickets;
        return this;
    }

    public PaymentBuilder WithEvent(int eventId)
    {
        _payment.EventId = eventId;
        return this;
    }

    public PaymentBuilder WithStatus(PaymentStatus status, string? detail = null)
    {
        _payment.Status = status;
        _payment.StatusDetail = detail;
        return this;
    }

    public PaymentBuilder ApprovedAt(DateTimeOffset at)
    {
        _payment.DateCreated = at.AddSeconds(-2);
        _payment.DateApproved = at;
        _payment.DateLastUpdated = at;
        return this;
    }

    public PaymentBuilder WithoutApprovalDate(DateTimeOffset created)
    {
        _payment.DateCreated = created;
        _payment.DateApproved = null;
        return this;
    }

    public PaymentBuilder WithRelease(DateTimeOffset? date, MoneyReleaseStatus? status)
    {
        _payment.MoneyReleaseDate = date;
        _payment.MoneyReleaseStatus = status;
        return this;
    }

    /// <summary>Sets <c>date_last_updated</c> without recording a status change (a payment seen only in its latest version).</summary>
    public PaymentBuilder LastUpdatedAt(DateTimeOffset at)
    {
        _payment.DateLastUpdated = at;
        return this;
    }

    public PaymentBuilder WithCurrency(string currency)
    {
        _payment.CurrencyId = currency;
        return this;
    }

    public PaymentBuilder WithRefund(decimal amount, DateTimeOffset at, string status = "approved", long? refundId = null)
    {
        _payment.Refunds.Add(new PaymentRefund
        {
            Id = refundId ?? Interlocked.Increment(ref _nextRefundId),
            PaymentId = _payment.Id,
            Amount = amount,
            Status = status,
            DateCreated = at,
            SourceType = "collector",
        });
        _payment.TransactionAmountRefunded = _payment.Refunds.Where(r => r.Status == "approved").Sum(r => r.Amount);
        return this;
    }

    /// <summary>Records a status the payment was seen in (and makes it the current one).</summary>
    public PaymentBuilder WithStatusChange(PaymentStatus status, string? detail, DateTimeOffset at)
    {
        _payment.StatusHistory.Add(new PaymentStatusChange { PaymentId = _payment.Id, Status = status, StatusDetail = detail, ChangedAt = at, RecordedAt = at });
        _payment.Status = status;
        _payment.StatusDetail = detail;
        _payment.DateLastUpdated = at;
        return this;
    }

    public Payment Build() => _payment;
}
