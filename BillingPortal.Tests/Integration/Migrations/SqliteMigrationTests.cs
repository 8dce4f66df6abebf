using BillingPortal.Core.Data;
using BillingPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Tests.Integration.Migrations;

/// <summary>Migrating a fresh SQLite file (the embedded default) yields exactly the model's schema.</summary>
public sealed class SqliteMigrationTests(SqliteMigrationTests.MigratedFile file) : IClassFixture<SqliteMigrationTests.MigratedFile>
{
    private readonly SqliteTestDatabase _db = file.Database;

    [Fact]
    public async Task Migrate_FreshFile_CreatesEveryTableOfTheModel()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = _db.CreateContext();
        var expected = DesignTimeContexts.Tables(db).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

        // Besides SQLite's own tables, EF's __EFMigrationsHistory and __EFMigrationsLock are not part of the model.
        var actual = await QueryStringsAsync(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_\\_EFMigrations%' ESCAPE '\\'", ct);

        Assert.Equal(expected, actual.Order(StringComparer.Ordinal));
        Assert.Superset(DesignTimeContexts.CoreTables.ToHashSet(), actual.ToHashSet());
    }

    [Fact]
    public async Task Migrate_FreshFile_CreatesEveryIndexOfTheModelOnItsTable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = _db.CreateContext();
        var expected = DesignTimeContexts.Tables(db)
            .SelectMany(t => t.Indexes.Select(i => $"{t.Name}.{i.Name}"))
            .Order(StringComparer.Ordinal).ToList();

        // Named indexes only: SQLite's own sqlite_autoindex_* (primary keys) have no SQL.
        var actual = await QueryStringsAsync(
            "SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL", ct);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Migrate_FreshFile_CreatesTheProductionChecklistIndexes()
    {
        var ct = TestContext.Current.CancellationToken;

        var sql = await QueryStringsAsync(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'IX_Purchases_%' ORDER BY name", ct);

        Assert.Contains("CREATE INDEX \"IX_Purchases_Event_Status\" ON \"Purchases\" (\"EventId\", \"Status\")", sql);
        Assert.Contains("CREATE INDEX \"IX_Purchases_PaymentDate\" ON \"Purchases\" (\"PaymentDate\")", sql);
        Assert.Contains("CREATE INDEX \"IX_Purchases_CreatedAt_Desc\" ON \"Purchases\" (\"CreatedAt\" DESC)", sql);
    }

    [Fact]
    public async Task Migrate_FreshFile_EveryColumnOfTheModelWithMoneyAndInstantsAsInteger()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = _db.CreateContext();
        var tables = DesignTimeContexts.Tables(db);
        var moneyColumns = new List<(string Table, string Column)>();

        foreach (var table in tables)
        {
            var actual = await QueryColumnsAsync(table.Name, ct);

            Assert.Equal(table.Columns.Select(c => c.Name).Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var column in table.Columns.Where(c => DesignTimeContexts.IsDecimal(c) || DesignTimeContexts.IsInstant(c)))
            {
                Assert.True(actual[column.Name] == "INTEGER", $"{table.Name}.{column.Name} is {actual[column.Name]}, expected INTEGER");
                if (DesignTimeContexts.IsDecimal(column)) moneyColumns.Add((table.Name, column.Name));
            }
        }

        Assert.Superset(DesignTimeContexts.KnownMoneyColumns.ToHashSet(), moneyColumns.ToHashSet());
    }

    [Fact]
    public async Task Migrate_FreshFile_RecordsEveryMigrationAndUsesWal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = _db.CreateContext();

        var applied = await QueryStringsAsync("SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId", ct);
        var journal = await QueryStringsAsync("PRAGMA journal_mode", ct);

        Assert.Equal(db.Database.GetMigrations().Order(StringComparer.Ordinal), applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        Assert.Equal(["wal"], journal);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _db.FilePath,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private async Task<List<string>> QueryStringsAsync(string sql, CancellationToken ct)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<string>();
        while (await reader.ReadAsync(ct)) values.Add(reader.GetString(0));
        return values;
    }

    private async Task<Dictionary<string, string>> QueryColumnsAsync(string table, CancellationToken ct)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) columns[reader.GetString(0)] = reader.GetString(1);
        return columns;
    }

    /// <summary>One fresh file migrated by the real <see cref="DatabaseMigrator"/>, shared by these read-only tests.</summary>
    public sealed class MigratedFile : IAsyncLifetime
    {
        public SqliteTestDatabase Database { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Database = await SqliteTestDatabase.CreateAsync(TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync() => await Database.DisposeAsync();
    }
}
