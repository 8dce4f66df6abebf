using System.Text.Json;
using BillingPortal.Core.Demo;
using BillingPortal.Core.MercadoPago.Contracts;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Unit.MercadoPago;

namespace BillingPortal.Tests.Integration.Demo;

public sealed class MercadoPagoSandboxStoreTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", Guid.NewGuid().ToString("N"));
    private MercadoPagoSandboxStore _store = null!;

    public ValueTask InitializeAsync()
    {
        _store = new MercadoPagoSandboxStore(Path.Combine(_directory, MercadoPagoSandboxStore.FileName));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection on another thread still holds the file: the OS cleans the temp folder.
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task SaveAsync_ThenGet_RoundTripsThePaymentsJson()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = MercadoPagoFixtures.Payment(MercadoPagoFixtures.PartiallyRefunded);

        await _store.SaveAsync(payment, ct);
        var json = await _store.GetJsonAsync(payment.Id, ct);
        var read = await _store.GetAsync(payment.Id, ct);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(payment, MercadoPagoJsonContext.Default.MpPayment), json);
        Assert.Equal(JsonSerializer.Serialize(payment, MercadoPagoJsonContext.Default.MpPayment), JsonSerializer.Serialize(read, MercadoPagoJsonContext.Default.MpPayment));
        Assert.Null(await _store.GetAsync(1, ct));
    }

    [Fact]
    public async Task EnsureCreated_FileOfAnotherLayout_IsRebuilt()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(_directory);
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _store.FilePath + ";Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = "CREATE TABLE payments (id INTEGER PRIMARY KEY, json BLOB NOT NULL); INSERT INTO payments VALUES (1, x'00');";
            command.ExecuteNonQuery();
        }

        await _store.SaveAsync(MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved), ct);

        Assert.Equal(1, await _store.CountAsync(null, ct));
        Assert.Equal([MercadoPagoSandboxStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)], DatabaseDump.Pragma(_store.FilePath, "user_version"));
    }

    [Fact]
    public async Task SaveAsync_SameId_ReplacesThePayment()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);

        await _store.SaveAsync(payment, ct);
        await _store.SaveAsync(payment with { Status = "refunded", StatusDetail = "refunded" }, ct);

        Assert.Equal(1, await _store.CountAsync(null, ct));
        Assert.Equal("refunded", (await _store.GetAsync(payment.Id, ct))!.Status);
    }

    [Fact]
    public async Task CountAndSearch_FilterByCollectorStatusAndDateRange_PageInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        var template = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(-4));
        for (var i = 0; i < 30; i++)
        {
            await _store.SaveAsync(template with
            {
                Id = 1000 + i,
                CollectorId = i % 3 == 0 ? 111 : 222,
                DateCreated = start.AddDays(i),
                DateLastUpdated = start.AddDays(i),
                Status = i % 5 == 0 ? "rejected" : "approved",
                ExternalReference = "ord_" + i,
            }, ct);
        }

        var page = await _store.SearchAsync(new SandboxPaymentQuery
        {
            CollectorId = 222,
            Status = "approved",
            Range = SandboxPaymentField.DateCreated,
            Begin = start.AddDays(5),
            End = start.AddDays(25),
            Sort = SandboxPaymentField.DateCreated,
            Descending = true,
            Limit = 4,
            Offset = 2,
        }, ct);
        var response = page.ToResponse();

        var expectedIds = Enumerable.Range(5, 21).Where(i => i % 3 != 0 && i % 5 != 0).Select(i => 1000L + i).OrderDescending().ToList();
        Assert.Equal(10, await _store.CountAsync(111, ct));
        Assert.Equal(20, await _store.CountAsync(222, ct));
        Assert.Equal(expectedIds.Count, page.Total);
        Assert.Equal(expectedIds.Skip(2).Take(4), response.Results.Select(p => p.Id));
        Assert.Equal((4, 2), (response.Paging.Limit, response.Paging.Offset));
        var byReference = await _store.SearchAsync(new SandboxPaymentQuery { ExternalReference = "ord_7" }, ct);
        Assert.Equal(1007, JsonSerializer.Deserialize(Assert.Single(byReference.Results), MercadoPagoJsonContext.Default.MpPayment)!.Id);
    }

    [Fact]
    public async Task BeginReplace_BulkLoad_ReplacesEverythingAndKeepsItSearchable()
    {
        var ct = TestContext.Current.CancellationToken;
        var template = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);
        await _store.SaveAsync(template with { Id = 1 }, ct);
        var indexesBefore = DatabaseDump.Indexes(_store.FilePath);

        await using (var writer = await _store.BeginReplaceAsync(ct))
        {
            var batch = Enumerable.Range(0, 250)
                .Select(i => template with { Id = 5000 + i, CollectorId = 333 })
                .Select(p => DemoPaymentDocument.From(p, JsonSerializer.SerializeToUtf8Bytes(p, MercadoPagoJsonContext.Default.MpPayment)))
                .ToList();
            await writer.WriteAsync(batch, ct);
            await writer.CompleteAsync(ct);
        }

        Assert.Equal(250, await _store.CountAsync(null, ct));
        Assert.Equal(250, await _store.CountAsync(333, ct));
        Assert.Null(await _store.GetJsonAsync(1, ct));
        Assert.Equal(5249, (await _store.GetAsync(5249, ct))!.Id);
        Assert.Equal(indexesBefore, DatabaseDump.Indexes(_store.FilePath));
        Assert.Equal(["wal"], DatabaseDump.Pragma(_store.FilePath, "journal_mode"));
    }

    [Fact]
    public async Task BeginReplace_Abandoned_LeavesAUsableStore()
    {
        var ct = TestContext.Current.CancellationToken;
        var template = MercadoPagoFixtures.Payment(MercadoPagoFixtures.Approved);
        await _store.EnsureCreatedAsync(ct);
        var indexesBefore = DatabaseDump.Indexes(_store.FilePath);

        await using (var writer = await _store.BeginReplaceAsync(ct))
        {
            await writer.WriteAsync([DemoPaymentDocument.From(template, JsonSerializer.SerializeToUtf8Bytes(template, MercadoPagoJsonContext.Default.MpPayment))], ct);
        }

        await _store.SaveAsync(template, ct);
        Assert.Equal(1, await _store.CountAsync(null, ct));
        Assert.Equal(indexesBefore, DatabaseDump.Indexes(_store.FilePath));
    }
}
