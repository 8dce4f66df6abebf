using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Data;
using BillingPortal.Core.Payments;
using BillingPortal.Core.Purchases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace BillingPortal.Core.Demo;

/// <summary>Writes generated days into the portal database, inside the transaction the seeder opened.</summary>
internal interface IDemoDatabaseWriter
{
    Task WriteAsync(DemoDay day, CancellationToken cancellationToken);
}

/// <summary>
/// SQLite: raw prepared inserts on the seeder's connection and inside its transaction. Table and column names, and the
/// conversion of each value (céntimos, UTC ticks, enum names), come from the EF model, so they cannot drift from
/// the migrations.
/// </summary>
internal sealed class SqliteDemoWriter : IDemoDatabaseWriter, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly List<string> _indexes = [];
    private readonly SqliteBulkInserter<Purchase> _purchases;
    private readonly SqliteBulkInserter<Payment> _payments;
    private readonly SqliteBulkInserter<PaymentFee> _fees;
    private readonly SqliteBulkInserter<PaymentRefund> _refunds;
    private readonly SqliteBulkInserter<PaymentStatusChange> _history;
    private readonly SqliteBulkInserter<LedgerEntry> _ledger;
    private readonly SqliteBulkInserter<Anomaly> _anomalies;

    public SqliteDemoWriter(BillingDbContext db)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        _connection = connection;
        _transaction = (SqliteTransaction)(db.Database.CurrentTransaction?.GetDbTransaction()
                                           ?? throw new InvalidOperationException("The seeder must open a transaction first."));
        var sql = db.GetService<ISqlGenerationHelper>();
        DropSecondaryIndexes(db.Model, [typeof(Purchase), typeof(Payment), typeof(PaymentFee), typeof(PaymentRefund), typeof(PaymentStatusChange), typeof(LedgerEntry), typeof(Anomaly)]);
        _purchases = new(connection, db.Model, sql, includeGeneratedKey: true);
        _payments = new(connection, db.Model, sql, includeGeneratedKey: true);
        _fees = new(connection, db.Model, sql, includeGeneratedKey: false);
        _refunds = new(connection, db.Model, sql, includeGeneratedKey: true);
        _history = new(connection, db.Model, sql, includeGeneratedKey: false);
        _ledger = new(connection, db.Model, sql, includeGeneratedKey: false);
        _anomalies = new(connection, db.Model, sql, includeGeneratedKey: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public Task WriteAsync(DemoDay day, CancellationToken cancellationToken)
    {
        foreach (var sale in day.Sales)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _purchases.Insert(sale.Purchase);
            foreach (var record in sale.Payments)
            {
                var payment = record.Entity;
                _payments.Insert(payment);
                foreach (var fee in payment.Fees) _fees.Insert(fee);
                foreach (var refund in payment.Refunds) _refunds.Insert(refund);
                foreach (var change in payment.StatusHistory) _history.Insert(change);
                foreach (var entry in record.Ledger) _ledger.Insert(entry);
                foreach (var anomaly in record.Anomalies) _anomalies.Insert(anomaly);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Rebuilds the indexes dropped at the start (same transaction, same SQL as the migrations created).</summary>
    public void RestoreIndexes()
    {
        foreach (var definition in _indexes) Execute(definition);
        _indexes.Clear();
    }

    /// <summary>
    /// Drops the secondary indexes of the tables about to be loaded, remembering their exact SQL from sqlite_master:
    /// building an index once over sorted rows is much faster than maintaining it row by row. Inside the seeder's
    /// transaction, so a failure rolls the drop back too.
    /// </summary>
    private void DropSecondaryIndexes(IModel model, Type[] entities)
    {
        foreach (var type in entities)
        {
            var table = model.FindEntityType(type)!.GetTableName()!;
            using var query = _connection.CreateCommand();
            query.Transaction = _transaction;
            query.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL ORDER BY name";
            query.Parameters.AddWithValue("$table", table);
            var found = new List<(string Name, string Sql)>();
            using (var reader = query.ExecuteReader())
            {
                while (reader.Read()) found.Add((reader.GetString(0), reader.GetString(1)));
            }

            foreach (var (name, definition) in found)
            {
                Execute($"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
                _indexes.Add(definition);
            }
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _purchases.Dispose();
        _payments.Dispose();
        _fees.Dispose();
        _refunds.Dispose();
        _history.Dispose();
        _ledger.Dispose();
        _anomalies.Dispose();
    }
}

/// <summary>
/// One prepared <c>INSERT</c> for an entity type, built from the EF model's table mapping: every mapped column
/// (the key too unless the database generates it), each value passed through the property's value converter.
/// </summary>
/// <remarks>
/// The statement runs on the ADO.NET connection and inside its open transaction, but is prepared and bound through
/// SQLitePCL (the native binding under Microsoft.Data.Sqlite) by parameter index: Microsoft.Data.Sqlite looks every
/// parameter up by name on each execution, which profiling showed was most of the cost of a million-row load.
/// Values are bound exactly as Microsoft.Data.Sqlite binds them (integers, text, blobs, DateOnly as yyyy-MM-dd).
/// </remarks>
internal sealed class SqliteBulkInserter<T> : IDisposable
    where T : class
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly Func<T, sqlite3_stmt, int> _bind;

    // The compiled binders, per type (the model's mapping of a type does not change): the sync builds inserters per page.
    private static Func<T, sqlite3_stmt, int>? s_bindWithKey;
    private static Func<T, sqlite3_stmt, int>? s_bindWithoutKey;

    public SqliteBulkInserter(SqliteConnection connection, IModel model, ISqlGenerationHelper sql, bool includeGeneratedKey)
    {
        var entityType = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var mapping = entityType.GetTableMappings().Single();
        var columns = mapping.ColumnMappings
            .Where(c => includeGeneratedKey || !(c.Property.IsPrimaryKey() && c.Property.ValueGenerated != ValueGenerated.Never))
            .ToList();
        TableName = mapping.Table.Name;
        ColumnNames = columns.Select(c => c.Column.Name).ToArray();
        _bind = includeGeneratedKey ? s_bindWithKey ??= BuildBinder(columns) : s_bindWithoutKey ??= BuildBinder(columns);
        CommandText =
            $"INSERT INTO {sql.DelimitIdentifier(mapping.Table.Name, mapping.Table.Schema)} " +
            $"({string.Join(", ", ColumnNames.Select(n => sql.DelimitIdentifier(n)))}) " +
            $"VALUES ({string.Join(", ", ColumnNames.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
        _database = connection.Handle ?? throw new InvalidOperationException("The connection must be open.");
        var rc = raw.sqlite3_prepare_v2(_database, CommandText, out _statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _database);
    }

    public string TableName { get; }

    public string[] ColumnNames { get; }

    public string CommandText { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Insert(T entity)
    {
        var rc = _bind(entity, _statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _database);
        rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _database);
    }

    public void Dispose() => _statement.Dispose();

    /// <summary>
    /// Compiles one delegate that binds every column: <c>bind(i, convert(e.Property))</c> with the property's value
    /// converter inlined and no boxing; nulls (of nullable properties) bound as NULL without conversion. Returns the
    /// first non-OK SQLite code, or OK.
    /// </summary>
    private static Func<T, sqlite3_stmt, int> BuildBinder(List<IColumnMapping> columns)
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var statement = Expression.Parameter(typeof(sqlite3_stmt), "s");
        var rc = Expression.Variable(typeof(int), "rc");
        var body = new List<Expression>();
        for (var i = 0; i < columns.Count; i++)
        {
            var property = columns[i].Property;
            if (property.PropertyInfo is null)
                throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is a shadow property: the bulk writer cannot read it.");
            var index = Expression.Constant(i + 1);
            Expression value = Expression.Property(entity, property.PropertyInfo);
            var converter = columns[i].TypeMapping.Converter;
            Expression Convert(Expression v)
            {
                if (converter is null) return v;
                var lambda = converter.ConvertToProviderExpression;
                var input = lambda.Parameters[0].Type;
                return Expression.Invoke(lambda, v.Type == input ? v : Expression.Convert(v, input));
            }

            Expression bind;
            if (Nullable.GetUnderlyingType(value.Type) is not null)
            {
                bind = Expression.Condition(
                    Expression.Property(value, "HasValue"),
                    BindValue(statement, index, Convert(Expression.Property(value, "Value"))),
                    Expression.Call(typeof(SqliteBinding), nameof(SqliteBinding.Null), null, statement, index));
            }
            else if (!value.Type.IsValueType && converter is not null)
            {
                bind = Expression.Condition(
                    Expression.Equal(value, Expression.Constant(null, value.Type)),
                    Expression.Call(typeof(SqliteBinding), nameof(SqliteBinding.Null), null, statement, index),
                    BindValue(statement, index, Convert(value)));
            }
            else
            {
                bind = BindValue(statement, index, Convert(value));
            }

            // rc = rc != OK ? rc : bind(...)
            body.Add(Expression.Assign(rc, Expression.Condition(Expression.NotEqual(rc, Expression.Constant(raw.SQLITE_OK)), rc, bind)));
        }

        body.Add(rc);
        return Expression.Lambda<Func<T, sqlite3_stmt, int>>(Expression.Block([rc], body), entity, statement).Compile();
    }

    private static MethodCallExpression BindValue(ParameterExpression statement, Expression index, Expression value)
    {
        var type = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        if (type.IsEnum) throw new NotSupportedException($"{typeof(T).Name}: enum {type.Name} has no converter in the model.");
        var method = typeof(SqliteBinding).GetMethod(nameof(SqliteBinding.Bind), [typeof(sqlite3_stmt), typeof(int), value.Type])
                     ?? throw new NotSupportedException($"{typeof(T).Name}: no SQLite binding for values of type {value.Type.Name}.");
        return Expression.Call(method, statement, index, value);
    }
}

/// <summary>
/// Binds values the way Microsoft.Data.Sqlite does (integers for integral types and booleans, text for strings and
/// DateOnly as yyyy-MM-dd, blobs for byte arrays), without allocating: strings are passed as UTF-16 to SQLite.
/// </summary>
internal static class SqliteBinding
{
    public static int Null(sqlite3_stmt statement, int index) => raw.sqlite3_bind_null(statement, index);

    public static int Bind(sqlite3_stmt statement, int index, long value) => raw.sqlite3_bind_int64(statement, index, value);

    public static int Bind(sqlite3_stmt statement, int index, int value) => raw.sqlite3_bind_int64(statement, index, value);

    public static int Bind(sqlite3_stmt statement, int index, bool value) => raw.sqlite3_bind_int64(statement, index, value ? 1 : 0);

    public static int Bind(sqlite3_stmt statement, int index, double value) => raw.sqlite3_bind_double(statement, index, value);

    public static int Bind(sqlite3_stmt statement, int index, string? value) =>
        value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text16(statement, index, value.AsSpan());

    public static int Bind(sqlite3_stmt statement, int index, byte[]? value) =>
        value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_blob(statement, index, value);

    public static int Bind(sqlite3_stmt statement, int index, DateOnly value)
    {
        Span<char> text = stackalloc char[10];
        value.TryFormat(text, out var written, @"yyyy\-MM\-dd", CultureInfo.InvariantCulture);
        return raw.sqlite3_bind_text16(statement, index, text[..written]);
    }
}

/// <summary>
/// Any provider (the SQL Server path): EF batched inserts, day by day, with the change tracker cleared in between.
/// Purchase ids come from the database and are copied onto their payments.
/// </summary>
internal sealed class EfDemoWriter(BillingDbContext db) : IDemoDatabaseWriter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public async Task WriteAsync(DemoDay day, CancellationToken cancellationToken)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var sale in day.Sales)
        {
            sale.Purchase.Id = 0;
            db.Purchases.Add(sale.Purchase);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var sale in day.Sales)
        {
            foreach (var record in sale.Payments)
            {
                record.Entity.PurchaseId = sale.Purchase.Id;
                db.Payments.Add(record.Entity);
                db.LedgerEntries.AddRange(record.Ledger);
                db.Anomalies.AddRange(record.Anomalies);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
