using System.Text.Json;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>A request the emulator refuses, with the Mercado Pago-shaped error it answers (§6.1).</summary>
public sealed class SandboxProblemException : Exception
{
    public SandboxProblemException(int status, string error, string message, string? causeCode = null)
        : base(message)
    {
        Status = status;
        ErrorKey = error;
        CauseCode = causeCode;
    }

    public SandboxProblemException()
        : this(400, "bad_request", "Bad request")
    {
    }

    public SandboxProblemException(string message)
        : this(400, "bad_request", message)
    {
    }

    public SandboxProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        ErrorKey = "bad_request";
    }

    public int Status { get; }

    public string ErrorKey { get; }

    public string? CauseCode { get; }

    /// <summary>The error answer.</summary>
    public Microsoft.AspNetCore.Http.IResult ToResult() => CauseCode is null
        ? SandboxErrors.Error(Status, ErrorKey, Message)
        : SandboxErrors.Error(Status, ErrorKey, Message, (CauseCode, Message));

    public static SandboxProblemException NotFound() => new(404, "not_found", "Payment not found", "2000");

    /// <summary>400 code 2063: the action is not valid for the payment's state (refund of a non-approved payment, over-refund…).</summary>
    public static SandboxProblemException InvalidState() =>
        new(400, "bad_request", "The action requested is not valid for the current payment state", "2063");
}

/// <summary>A refund created (or the one an idempotency key already created) and its JSON.</summary>
public sealed record SandboxRefundResult(MpRefund Refund, byte[] Json, bool Replayed);

/// <summary>
/// The emulator's payment operations, shared by the API (refunds), the admin surface and the live mode: new sales,
/// approval of pending payments, refunds (idempotent per key), chargebacks and releases of funds. Each change bumps
/// <c>date_last_updated</c> (from <see cref="SandboxClock"/>) and queues the notification Mercado Pago would send
/// (<c>payment.created</c> for a new payment, <c>payment.updated</c> for every change). Changes are serialized in the
/// process (read, change, write one payment at a time).
/// </summary>
public sealed class SandboxPayments : IDisposable
{
    /// <summary>Refund ids the emulator assigns start here (above the demo's).</summary>
    public const long FirstRefundId = 5_000_000_000L;

    /// <summary>Releases always look back this far, besides what was swept last (the demo releases up to 14 days after approval).</summary>
    public static readonly TimeSpan ReleaseLookBack = TimeSpan.FromDays(31);

    private readonly MercadoPagoSandboxStore _store;
    private readonly SandboxAccounts _accounts;
    private readonly SandboxClock _clock;
    private readonly ISandboxNotifier _notifier;
    private readonly MercadoPagoSandboxOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Random _random = new();
    private Task? _creation;

    public SandboxPayments(MercadoPagoSandboxStore store, SandboxAccounts accounts, SandboxClock clock, ISandboxNotifier notifier, IOptions<MercadoPagoSandboxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _accounts = accounts ?? throw new ArgumentNullException(nameof(accounts));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _notifier = notifier ?? throw new ArgumentNullException(nameof(notifier));
        _options = options.Value;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = store.FilePath, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public void Dispose() => _writes.Dispose();

    /// <summary>Creates a sale for a seller (approved or pending) and queues <c>payment.created</c>.</summary>
    public async Task<MpPayment> CreateSaleAsync(SandboxSaleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Amount <= 0 || decimal.Round(request.Amount, 2) != request.Amount)
            throw new SandboxProblemException("amount must be a positive number with at most two decimals");
        if (request.ApplicationFee is { } fee && (fee < 0 || fee > request.Amount))
            throw new SandboxProblemException(400, "bad_request", "application_fee must be between 0 and transaction_amount", fee < 0 ? "4039" : "4038");
        if (SandboxSaleBuilder.Method(request.PaymentMethodId, request.PaymentTypeId) is null)
            throw new SandboxProblemException(400, "bad_request", "Unknown payment_method_id / payment_type_id");
        var seller = await _accounts.GetSellerAsync(request.SellerId, cancellationToken)
                     ?? throw new SandboxProblemException(404, "not_found", "Seller not found");

        await EnsureCreatedAsync(cancellationToken);
        MpPayment payment;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var id = await _store.NextPaymentIdAsync(cancellationToken);
            lock (_random) payment = SandboxSaleBuilder.Build(request, seller, id, _options.MarketplaceUserId, _clock.GetUtcNow(), _random);
            await _store.SaveAsync(payment, async (connection, transaction, ct) =>
            {
                if (!request.Pending || request.ApplicationFee is not { } applicationFee) return;
                await using var terms = connection.CreateCommand();
                terms.Transaction = transaction;
                terms.CommandText = "INSERT OR REPLACE INTO sandbox_sale_terms (payment_id, application_fee) VALUES ($id, $fee)";
                terms.Parameters.AddWithValue("$id", id);
                terms.Parameters.AddWithValue("$fee", applicationFee.ToString(CultureInfo.InvariantCulture));
                await terms.ExecuteNonQueryAsync(ct);
            }, cancellationToken);
        }
        finally
        {
            _writes.Release();
        }

        await _notifier.NotifyPaymentAsync(seller.Id, payment.Id, MercadoPagoNotificationTypes.PaymentCreated, cancellationToken);
        return payment;
    }

    /// <summary>Approves a pending (or in_process) payment now: fees, net and release date; queues <c>payment.updated</c>.</summary>
    public Task<MpPayment> ApproveAsync(long paymentId, decimal? applicationFee, CancellationToken cancellationToken) =>
        ChangeAsync(paymentId, async (payment, connection, now) =>
        {
            if (payment.Status is not (MercadoPagoStatuses.Pending or MercadoPagoStatuses.InProcess)) throw SandboxProblemException.InvalidState();
            var fee = applicationFee ?? await SavedApplicationFeeAsync(connection, paymentId, cancellationToken)
                      ?? SandboxSaleBuilder.DefaultApplicationFee(payment.TransactionAmount, payment.AdditionalInfo?.Items is [var item, ..] ? item.Quantity ?? 1 : 1);
            if (fee < 0 || fee > payment.TransactionAmount) throw new SandboxProblemException("application_fee must be between 0 and transaction_amount");
            lock (_random) return SandboxSaleBuilder.Approve(payment, now, fee, now, _random);
        }, cancellationToken);

    /// <summary>
    /// Refunds an approved payment (§4.1): <paramref name="amount"/> null for the whole remainder. With an idempotency
    /// key, a repeated request returns the first refund (a different payment or amount under the same key: 409).
    /// <paramref name="sellerId"/> null is the admin surface (any payment).
    /// </summary>
    public async Task<SandboxRefundResult> RefundAsync(long paymentId, long? sellerId, decimal? amount, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var fingerprint = paymentId.ToString(CultureInfo.InvariantCulture) + ":" + (amount?.ToString(CultureInfo.InvariantCulture) ?? "full");
        await _writes.WaitAsync(cancellationToken);
        MpPayment updated;
        MpRefund refund;
        byte[] json;
        try
        {
            var source = await _store.GetAsync(paymentId, cancellationToken);
            if (source is null || (sellerId is { } owner && source.CollectorId != owner)) throw SandboxProblemException.NotFound();
            var collector = source.CollectorId!.Value;
            if (idempotencyKey is not null)
            {
                var previous = await FindIdempotentAsync(collector, idempotencyKey, cancellationToken);
                if (previous is { } found)
                {
                    if (!string.Equals(found.Fingerprint, fingerprint, StringComparison.Ordinal))
                        throw new SandboxProblemException(409, "conflict", "The idempotency key was already used with a different request");
                    return new SandboxRefundResult(JsonSerializer.Deserialize(found.Json, MercadoPagoJsonContext.Default.MpRefund)!, found.Json, Replayed: true);
                }
            }

            if (source.Status != MercadoPagoStatuses.Approved) throw SandboxProblemException.InvalidState();
            var refundedBefore = source.TransactionAmountRefunded ?? 0m;
            var remaining = source.TransactionAmount - refundedBefore;
            var value = amount ?? remaining;
            if (value <= 0 || value > remaining) throw SandboxProblemException.InvalidState();

            var now = SandboxSaleBuilder.ToMercadoPago(_clock.GetUtcNow());
            var seller = await _accounts.GetSellerAsync(collector, cancellationToken);
            refund = new MpRefund
            {
                Id = await NextRefundIdAsync(cancellationToken),
                PaymentId = paymentId,
                Amount = value,
                Metadata = [],
                Source = new MpRefundSource
                {
                    Id = collector.ToString(CultureInfo.InvariantCulture),
                    Name = seller?.LegalName ?? seller?.Nickname,
                    Type = "collector",
                },
                DateCreated = now,
                UniqueSequenceNumber = null,
                RefundMode = "standard",
                AdjustmentAmount = 0m,
                Status = MercadoPagoRefundStatuses.Approved,
                Reason = null,
                Labels = [],
                AmountRefundedToPayer = value,
                PartitionDetails = [],
            };
            json = JsonSerializer.SerializeToUtf8Bytes(refund, MercadoPagoJsonContext.Default.MpRefund);
            var whole = refundedBefore + value >= source.TransactionAmount;
            updated = source with
            {
                Refunds = [.. source.Refunds ?? [], refund],
                TransactionAmountRefunded = refundedBefore + value,
                Status = whole ? MercadoPagoStatuses.Refunded : MercadoPagoStatuses.Approved,
                StatusDetail = whole ? "refunded" : "partially_refunded",
                DateLastUpdated = now,
            };
            var refundId = refund.Id;
            await _store.SaveAsync(updated, async (connection, transaction, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO sandbox_refunds (id, payment_id, created_at) VALUES ($id, $payment, $now)";
                command.Parameters.AddWithValue("$id", refundId);
                command.Parameters.AddWithValue("$payment", paymentId);
                command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(ct);
                if (idempotencyKey is null) return;
                await using var key = connection.CreateCommand();
                key.Transaction = transaction;
                key.CommandText = "INSERT INTO sandbox_idempotency (seller_id, key, fingerprint, json, created_at) VALUES ($seller, $key, $fingerprint, $json, $now)";
                key.Parameters.AddWithValue("$seller", collector);
                key.Parameters.AddWithValue("$key", idempotencyKey);
                key.Parameters.AddWithValue("$fingerprint", fingerprint);
                key.Parameters.AddWithValue("$json", json);
                key.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                await key.ExecuteNonQueryAsync(ct);
            }, cancellationToken);
        }
        finally
        {
            _writes.Release();
        }

        await _notifier.NotifyPaymentAsync(updated.CollectorId!.Value, paymentId, MercadoPagoNotificationTypes.PaymentUpdated, cancellationToken);
        return new SandboxRefundResult(refund, json, Replayed: false);
    }

    /// <summary>A chargeback: status <c>charged_back</c> with <c>in_process</c>, <c>settled</c> or <c>reimbursed</c>.</summary>
    public Task<MpPayment> ChargebackAsync(long paymentId, string statusDetail, CancellationToken cancellationToken)
    {
        if (statusDetail is not ("in_process" or "settled" or "reimbursed"))
            throw new SandboxProblemException("status_detail must be in_process, settled or reimbursed");
        return ChangeAsync(paymentId, (payment, _, now) =>
        {
            if (payment.Status is not (MercadoPagoStatuses.Approved or MercadoPagoStatuses.ChargedBack)) throw SandboxProblemException.InvalidState();
            if (payment.Status == MercadoPagoStatuses.ChargedBack && payment.StatusDetail == statusDetail) throw SandboxProblemException.InvalidState();
            return Task.FromResult(payment with { Status = MercadoPagoStatuses.ChargedBack, StatusDetail = statusDetail, DateLastUpdated = now });
        }, cancellationToken);
    }

    /// <summary>Releases one payment's funds now (<c>money_release_status</c> released; the release date becomes now if it was later).</summary>
    public Task<MpPayment> ReleaseAsync(long paymentId, CancellationToken cancellationToken) =>
        ChangeAsync(paymentId, (payment, _, now) =>
        {
            if (payment.MoneyReleaseDate is null || payment.MoneyReleaseStatus == MercadoPagoReleaseStatuses.Released) throw SandboxProblemException.InvalidState();
            var date = payment.MoneyReleaseDate > now ? now : payment.MoneyReleaseDate;
            return Task.FromResult(payment with { MoneyReleaseStatus = MercadoPagoReleaseStatuses.Released, MoneyReleaseDate = date, DateLastUpdated = now });
        }, cancellationToken);

    /// <summary>
    /// Releases every approved payment whose release date has come (since the last sweep, and at least the last
    /// <see cref="ReleaseLookBack"/>); returns how many.
    /// </summary>
    public async Task<int> ReleaseDueAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var now = _clock.GetUtcNow();
        var lookBack = now - ReleaseLookBack;
        var watermark = await ReadStateAsync("release_watermark", cancellationToken) is { } text
            ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(text, CultureInfo.InvariantCulture))
            : lookBack;
        var after = watermark < lookBack ? watermark : lookBack;
        var released = 0;
        foreach (var id in await _store.DueForReleaseAsync(after, now, cancellationToken))
        {
            try
            {
                await ReleaseAsync(id, cancellationToken);
                released++;
            }
            catch (SandboxProblemException)
            {
                // Changed meanwhile (refunded, already released): nothing to release.
            }
        }

        await WriteStateAsync("release_watermark", now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), cancellationToken);
        return released;
    }

    /// <summary>"Simulate a notification": queues a <c>payment</c> notification for an existing payment.</summary>
    public async Task<string> NotifyAsync(long paymentId, string action, CancellationToken cancellationToken)
    {
        var payment = await _store.GetAsync(paymentId, cancellationToken) ?? throw SandboxProblemException.NotFound();
        return await _notifier.NotifyPaymentAsync(payment.CollectorId!.Value, paymentId, action, cancellationToken);
    }

    private async Task<MpPayment> ChangeAsync(long paymentId, Func<MpPayment, SqliteConnection, DateTimeOffset, Task<MpPayment>> change, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        MpPayment updated;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var payment = await _store.GetAsync(paymentId, cancellationToken) ?? throw SandboxProblemException.NotFound();
            await using var connection = await OpenAsync(cancellationToken);
            updated = await change(payment, connection, SandboxSaleBuilder.ToMercadoPago(_clock.GetUtcNow()));
            await _store.SaveAsync(updated, cancellationToken);
        }
        finally
        {
            _writes.Release();
        }

        await _notifier.NotifyPaymentAsync(updated.CollectorId!.Value, paymentId, MercadoPagoNotificationTypes.PaymentUpdated, cancellationToken);
        return updated;
    }

    private static async Task<decimal?> SavedApplicationFeeAsync(SqliteConnection connection, long paymentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT application_fee FROM sandbox_sale_terms WHERE payment_id = $id";
        command.Parameters.AddWithValue("$id", paymentId);
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? decimal.Parse(text, CultureInfo.InvariantCulture) : null;
    }

    private async Task<(string Fingerprint, byte[] Json)?> FindIdempotentAsync(long sellerId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT fingerprint, json FROM sandbox_idempotency WHERE seller_id = $seller AND key = $key";
        command.Parameters.AddWithValue("$seller", sellerId);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (reader.GetString(0), (byte[])reader[1]);
    }

    private async Task<long> NextRefundIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(id) FROM sandbox_refunds";
        return await command.ExecuteScalarAsync(cancellationToken) is long max ? max + 1 : FirstRefundId;
    }

    private async Task<string?> ReadStateAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM sandbox_state WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task WriteStateAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO sandbox_state (key, value) VALUES ($key, $value)";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled) _creation = CreateAsync();
            return _creation.WaitAsync(cancellationToken);
        }
    }

    private async Task CreateAsync()
    {
        await _store.EnsureCreatedAsync(CancellationToken.None);
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS sandbox_refunds (id INTEGER PRIMARY KEY, payment_id INTEGER NOT NULL, created_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS sandbox_idempotency (
                seller_id INTEGER NOT NULL,
                key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                json BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (seller_id, key)
            );
            CREATE TABLE IF NOT EXISTS sandbox_sale_terms (payment_id INTEGER PRIMARY KEY, application_fee TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS sandbox_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
