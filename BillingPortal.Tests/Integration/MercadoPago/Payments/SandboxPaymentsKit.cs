using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.MercadoPago.Payments;

/// <summary>
/// The Mercado Pago emulator standalone on a loopback port (its store in a temp folder) with two sellers and a valid
/// access token each, plus helpers that drive its admin surface over HTTP and build our typed client against it.
/// </summary>
internal sealed class SandboxPaymentsKit : IAsyncDisposable
{
    public const long SellerA = 300_100_200;
    public const long SellerB = 300_100_300;

    private readonly string _directory;

    private SandboxPaymentsKit(string directory, MercadoPagoSandboxServer server, string tokenA, string tokenB)
    {
        _directory = directory;
        Server = server;
        TokenA = tokenA;
        TokenB = tokenB;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public MercadoPagoSandboxServer Server { get; }

    public HttpClient Http { get; }

    public string TokenA { get; }

    public string TokenB { get; }

    public static async Task<SandboxPaymentsKit> StartAsync(Action<MercadoPagoSandboxOptions>? configure, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "mp-payments-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var server = await MercadoPagoSandboxServer.StartAsync(directory, configure, cancellationToken: cancellationToken);
        await server.Accounts.UpsertSellerAsync(new SandboxSeller(SellerA, "PACIFICOSUR", "ventas@pacificosur.example", "Pacífico", "Sur", "Pacífico Sur Producciones S.A.C."), cancellationToken);
        await server.Accounts.UpsertSellerAsync(new SandboxSeller(SellerB, "ANDESLIVE", "ventas@andeslive.example", "Andes", "Live", "Andes Live Entretenimiento S.A.C."), cancellationToken);
        var a = await server.Accounts.IssueTokensAsync(SellerA, server.Options.ClientId, server.Options.AccessTokenLifetime, cancellationToken);
        var b = await server.Accounts.IssueTokensAsync(SellerB, server.Options.ClientId, server.Options.AccessTokenLifetime, cancellationToken);
        return new SandboxPaymentsKit(directory, server, a.AccessToken, b.AccessToken);
    }

    /// <summary><c>POST /_admin/sales</c> (JSON); the payment as the API returns it.</summary>
    public async Task<MpPayment> CreateSaleAsync(object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync("_admin/sales", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        return JsonSerializer.Deserialize(text, MercadoPagoJsonContext.Default.MpPayment)!;
    }

    /// <summary>An approved sale of <paramref name="amount"/> for a seller, created <paramref name="ago"/> before the emulator's now.</summary>
    public Task<MpPayment> SaleAsync(long seller, decimal amount, TimeSpan ago, CancellationToken cancellationToken, string? reference = null, string status = "approved") =>
        CreateSaleAsync(new
        {
            seller_id = seller,
            amount,
            payment_method_id = "visa",
            external_reference = reference,
            status,
            date_created = Server.Clock.GetUtcNow().Subtract(ago).ToString("O", CultureInfo.InvariantCulture),
        }, cancellationToken);

    /// <summary>Any admin POST with a JSON body; returns the response (caller disposes).</summary>
    public Task<HttpResponseMessage> AdminAsync(string path, object body, CancellationToken cancellationToken) =>
        Http.PostAsJsonAsync(path.TrimStart('/'), body, cancellationToken);

    /// <summary>An API GET with a bearer token.</summary>
    public async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request, cancellationToken);
    }

    /// <summary>An API POST of a refund.</summary>
    public async Task<HttpResponseMessage> RefundAsync(long paymentId, string token, string? idempotencyKey, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/payments/{paymentId.ToString(CultureInfo.InvariantCulture)}/refunds");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("X-Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return await Http.SendAsync(request, cancellationToken);
    }

    /// <summary>Adds a fault through <c>POST /_admin/faults</c>.</summary>
    public async Task<int> FaultAsync(object body, CancellationToken cancellationToken)
    {
        using var response = await AdminAsync("_admin/faults", body, cancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return json["id"]!.GetValue<int>();
    }

    /// <summary>A fault as <c>GET /_admin/faults</c> lists it.</summary>
    public async Task<JsonNode> FaultStateAsync(int id, CancellationToken cancellationToken)
    {
        var state = JsonNode.Parse(await Http.GetStringAsync("_admin/faults", cancellationToken))!;
        return state["faults"]!.AsArray().Single(f => f!["id"]!.GetValue<int>() == id)!;
    }

    /// <summary><c>GET /_admin/notifications</c>.</summary>
    public async Task<JsonArray> NotificationsAsync(CancellationToken cancellationToken, string? state = null)
    {
        var json = JsonNode.Parse(await Http.GetStringAsync("_admin/notifications" + (state is null ? "" : "?state=" + state), cancellationToken))!;
        return json["notifications"]!.AsArray();
    }

    /// <summary>Our typed client against this emulator, with the given resilience budget; logs go to <paramref name="logs"/>.</summary>
    public ServiceProvider Client(Action<MercadoPagoClientOptions> configure, ConcurrentQueue<string>? logs = null) => ClientFor(Server.BaseAddress, configure, logs);

    public static ServiceProvider ClientFor(Uri apiBase, Action<MercadoPagoClientOptions> configure, ConcurrentQueue<string>? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null) b.AddProvider(new ListLoggerProvider(logs));
        });
        services.AddOptions<MercadoPagoOptions>().Configure(o =>
        {
            o.ApiBaseUrl = apiBase.ToString();
            o.Client.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Client.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            configure(o.Client);
        });
        services.AddSingleton<IMercadoPagoEndpoints>(sp => new ConfiguredMercadoPagoEndpoints(sp.GetRequiredService<IOptions<MercadoPagoOptions>>().Value));
        services.AddMercadoPagoApiClient();
        return services.BuildServiceProvider();
    }

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; fails after a generous bound (never a speed assertion).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for: " + what);
            await Task.Delay(25, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection still holds the file: the OS cleans the temp folder.
        }
    }

    /// <summary>Collects formatted log lines (to check what the client logs, and that it never logs a token).</summary>
    internal sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{category}|{logLevel}|{formatter(state, exception)}|{properties}|{exception}");
            }
        }
    }
}
