using BillingPortal.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Cli;

/// <summary>
/// The executable's command line, run for real as a child process (<c>dotnet BillingPortal.dll …</c>).
/// Serving (no command) is covered by the host's own tests, not here.
/// </summary>
public sealed class PortalCommandLineTests
{
    [Fact]
    public async Task Migrate_WithDataDirectory_ExitsZeroAndCreatesTheMigratedFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempFolder();
        var dataDirectory = Path.Combine(temp.Path, "data");

        var run = await PortalProcess.RunAsync(temp.Path,
            ["migrate", "--contentRoot", PortalProcess.OutputDirectory, "--Database:DataDirectory", dataDirectory], ct);

        Assert.True(run.ExitCode == 0, run.ToString());
        var file = Path.Combine(dataDirectory, new DatabaseOptions().SqliteFileName);
        Assert.True(File.Exists(file), $"{file} was not created.\n{run}");
        Assert.Equal(ExpectedMigrations(), await AppliedMigrationsAsync(file, ct));
    }

    [Fact]
    public async Task Migrate_SecondRun_ExitsZeroAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempFolder();
        var dataDirectory = Path.Combine(temp.Path, "data");
        string[] args = ["migrate", "--contentRoot", PortalProcess.OutputDirectory, "--Database:DataDirectory", dataDirectory];
        var first = await PortalProcess.RunAsync(temp.Path, args, ct);
        Assert.True(first.ExitCode == 0, first.ToString());

        var second = await PortalProcess.RunAsync(temp.Path, args, ct);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(ExpectedMigrations(), await AppliedMigrationsAsync(Path.Combine(dataDirectory, new DatabaseOptions().SqliteFileName), ct));
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("migrat")]
    [InlineData("serve now")]
    public async Task Run_UnknownCommand_PrintsUsageAndExitsTwo(string commandLine)
    {
        using var temp = new TempFolder();

        var run = await PortalProcess.RunAsync(temp.Path, commandLine.Split(' '), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(commandLine.Split(' ')[0], run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("seed --scale 0", "--scale")]
    [InlineData("seed --scale abc", "--scale")]
    [InlineData("seed --scale -5", "--scale")]
    [InlineData("seed --scale 5000001", "--scale")]
    [InlineData("seed --scale", "--scale")]
    [InlineData("seed --seed x", "--seed")]
    [InlineData("seed --bogus", "--bogus")]
    [InlineData("seed --scale 10 extra", "extra")]
    public async Task Seed_InvalidArguments_PrintsUsageAndExitsTwo(string commandLine, string named)
    {
        using var temp = new TempFolder();

        var run = await PortalProcess.RunAsync(temp.Path, commandLine.Split(' '), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(named, run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.StandardOutput);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_Command_PrintsUsageAndExitsZero(string command)
    {
        using var temp = new TempFolder();

        var run = await PortalProcess.RunAsync(temp.Path, [command], TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("migrate", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("seed [--scale N] [--seed S]", run.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(run.StandardError);
    }

    private static List<string> ExpectedMigrations()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        return [.. db.Database.GetMigrations().Order(StringComparer.Ordinal)];
    }

    private static async Task<List<string>> AppliedMigrationsAsync(string file, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }
}
