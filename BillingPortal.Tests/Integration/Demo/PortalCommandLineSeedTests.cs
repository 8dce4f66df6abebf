using BillingPortal.Sandbox.MercadoPago;
using Microsoft.Data.Sqlite;

namespace BillingPortal.Tests.Integration.Demo;

public sealed class PortalCommandLineSeedTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection on another thread still holds a file: the OS cleans the temp folder.
        }
    }

    [Fact]
    public async Task RunAsync_Seed_WritesThePortalDatabaseAndTheSandboxStore()
    {
        var exit = await PortalCommandLine.RunAsync(Arguments("seed", "--scale", "300", "--seed", "7", "--anchor", "2026-11-28"));

        Assert.Equal(0, exit);
        Assert.Equal(300, Count("billingportal.db", "SELECT COUNT(*) FROM Purchases"));
        Assert.True(Count("billingportal.db", "SELECT COUNT(*) FROM Organizers") >= 3);
        Assert.Equal(Count("billingportal.db", "SELECT COUNT(*) FROM Payments"), Count(MercadoPagoSandboxStore.FileName, "SELECT COUNT(*) FROM payments"));
    }

    [Fact]
    public async Task RunAsync_SeedOnSeededDatabase_RefusesWithExitCode3_UnlessReset()
    {
        Assert.Equal(0, await PortalCommandLine.RunAsync(Arguments("seed", "--scale", "100", "--anchor", "2026-11-28")));

        var refused = await PortalCommandLine.RunAsync(Arguments("seed", "--scale", "200", "--anchor", "2026-11-28"));
        var purchasesAfterRefusal = Count("billingportal.db", "SELECT COUNT(*) FROM Purchases");
        var reset = await PortalCommandLine.RunAsync(Arguments("seed", "--scale", "200", "--anchor", "2026-11-28", "--reset"));

        Assert.Equal(PortalCommandLine.SeedRefusedExitCode, refused);
        Assert.Equal(100, purchasesAfterRefusal);
        Assert.Equal(0, reset);
        Assert.Equal(200, Count("billingportal.db", "SELECT COUNT(*) FROM Purchases"));
    }

    [Fact]
    public async Task RunAsync_SeedWithBadScale_ExitsWithUsageCode()
    {
        Assert.Equal(2, await PortalCommandLine.RunAsync(Arguments("seed", "--scale", "0")));
    }

    private string[] Arguments(params string[] command) =>
    [
        .. command,
        "--Database:DataDirectory", _directory,
        "--Serilog:MinimumLevel:Default", "Warning",
        "--Serilog:WriteTo:File:Args:path", Path.Combine(_directory, "logs", "cli-.json"),
    ];

    private long Count(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, file), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
