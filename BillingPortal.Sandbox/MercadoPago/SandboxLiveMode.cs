using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>The live mode's switch (starts as <c>Sandbox:MercadoPago:LiveMode:Enabled</c>; the admin surface flips it).</summary>
public sealed class SandboxLiveModeSwitch(IOptions<MercadoPagoSandboxOptions> options)
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _enabled = options?.Value.LiveMode.Enabled ?? throw new ArgumentNullException(nameof(options));
    private int _salesCreated;

    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            _signal.Writer.TryWrite(true);
        }
    }

    /// <summary>How many sales the live mode created since the process started.</summary>
    public int SalesCreated => Volatile.Read(ref _salesCreated);

    internal void Counted() => Interlocked.Increment(ref _salesCreated);

    /// <summary>Waits until the switch changes or <paramref name="timeout"/> passes.</summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) wait.CancelAfter(timeout);
        try
        {
            await _signal.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Interval elapsed.
        }

        _signal.Reader.TryRead(out _);
    }
}

/// <summary>
/// The demo's live mode: while switched on, a new approved sale every <see cref="SandboxLiveModeOptions.Interval"/>
/// for a random seller of the emulator (a random method and amount, a fresh <c>external_reference</c>), built like the
/// admin surface's sales, which queues <c>payment.created</c>.
/// </summary>
public sealed class SandboxLiveModeService(
    SandboxLiveModeSwitch liveMode,
    SandboxPayments payments,
    SandboxAccounts accounts,
    IOptions<MercadoPagoSandboxOptions> options,
    ILogger<SandboxLiveModeService> logger) : BackgroundService
{
    private static readonly decimal[] Prices = [35m, 45m, 60m, 80m, 120m, 150m, 220m, 350m];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var random = new Random();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!liveMode.Enabled)
                {
                    await liveMode.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                    continue;
                }

                await CreateSaleAsync(random, stoppingToken);
                await liveMode.WaitAsync(options.Value.LiveMode.Interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SqliteException or SandboxProblemException or IOException)
            {
                logger.LogWarning(e, "Sandbox live mode: the sale could not be created");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task CreateSaleAsync(Random random, CancellationToken cancellationToken)
    {
        var sellers = await accounts.ListSellersAsync(cancellationToken);
        if (sellers.Count == 0) return;
        var seller = sellers[random.Next(sellers.Count)];
        var method = SandboxSaleBuilder.Methods[random.Next(SandboxSaleBuilder.Methods.Count)];
        var tickets = random.Next(1, 5);
        var payment = await payments.CreateSaleAsync(new SandboxSaleRequest
        {
            SellerId = seller.Id,
            Amount = Prices[random.Next(Prices.Length)] * tickets,
            Tickets = tickets,
            PaymentMethodId = method.PaymentMethodId,
            PaymentTypeId = method.PaymentTypeId,
            ExternalReference = "ord_live_" + Guid.NewGuid().ToString("N")[..12],
        }, cancellationToken);
        liveMode.Counted();
        logger.LogInformation("Sandbox live mode: sale {PaymentId} for seller {SellerId}", payment.Id, seller.Id);
    }
}
