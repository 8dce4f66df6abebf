using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BillingPortal.Tests.Integration.Migrations;

/// <summary>
/// SQL Server is verified without a server (ADR-005): the idempotent script that scripts/sqlserver-migrations.sh
/// produces with dotnet-ef is generated here through the same <see cref="IMigrator"/>, and read.
/// </summary>
public sealed class SqlServerScriptTests
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var db = DesignTimeContexts.Create(DesignTimeContexts.SqlServer);
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    });

    [Fact]
    public void GenerateScript_Idempotent_GuardsEveryMigrationWithTheHistoryTable()
    {
        using var db = DesignTimeContexts.Create(DesignTimeContexts.SqlServer);

        var script = Script.Value;

        Assert.Contains("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL", script, StringComparison.Ordinal);
        foreach (var migration in db.Database.GetMigrations())
        {
            Assert.Contains($"WHERE [MigrationId] = N'{migration}'", script, StringComparison.Ordinal);
            Assert.Contains($"VALUES (N'{migration}', ", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GenerateScript_Idempotent_CreatesEveryTableAndIndexOfTheModel()
    {
        using var db = DesignTimeContexts.Create(DesignTimeContexts.SqlServer);
        var tables = DesignTimeContexts.Tables(db);

        var script = Script.Value;

        Assert.Superset(DesignTimeContexts.CoreTables.ToHashSet(), tables.Select(t => t.Name).ToHashSet());
        foreach (var table in tables)
        {
            Assert.Contains($"CREATE TABLE [{table.Name}] (", script, StringComparison.Ordinal);
            foreach (var index in table.Indexes)
            {
                Assert.Matches($@"CREATE (UNIQUE )?INDEX \[{Regex.Escape(index.Name)}\] ON \[{Regex.Escape(table.Name)}\]", script);
            }
        }
    }

    [Fact]
    public void GenerateScript_Idempotent_ContainsTheProductionChecklistIndexes()
    {
        var script = Script.Value;

        Assert.Contains("CREATE INDEX [IX_Purchases_Event_Status] ON [Purchases] ([EventId], [Status]);", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX [IX_Purchases_PaymentDate] ON [Purchases] ([PaymentDate]);", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX [IX_Purchases_CreatedAt_Desc] ON [Purchases] ([CreatedAt] DESC);", script, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateScript_Idempotent_StoresMoneyAsBigint()
    {
        using var db = DesignTimeContexts.Create(DesignTimeContexts.SqlServer);
        var decimalColumns = DesignTimeContexts.Tables(db)
            .SelectMany(t => t.Columns.Where(DesignTimeContexts.IsDecimal).Select(c => (Table: t.Name, Column: c)))
            .ToList();

        var script = Script.Value;

        Assert.Superset(DesignTimeContexts.KnownMoneyColumns.ToHashSet(), decimalColumns.Select(c => (c.Table, c.Column.Name)).ToHashSet());
        foreach (var (table, column) in decimalColumns)
        {
            Assert.Equal("bigint", column.StoreType);
            Assert.Matches($@"\[{Regex.Escape(column.Name)}\] bigint (NOT )?NULL", script);
        }

        Assert.DoesNotMatch(@"\] (decimal|numeric|money|smallmoney|float|real)\b", script);
    }
}
