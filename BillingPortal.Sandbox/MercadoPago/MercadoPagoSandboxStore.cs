using System.Runtime.InteropServices;
using System.Text.Json;
using BillingPortal.Core.Demo;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The Mercado Pago emulator's payments: one SQLite file (<see cref="FileName"/>, next to the portal's database)
/// holding each payment's JSON exactly as the API returns it (table <c>payment_json</c>), and in a narrow table
/// <c>payments</c> the columns <c>/v1/payments/search</c> filters and sorts on (id, collector_id, the four dates as
/// UTC Unix milliseconds, status, external_reference), indexed per collector. Keeping the ~2.4 KB documents out of
/// the indexed table makes counts, range scans and index builds read megabytes instead of gigabytes. Sized for a
/// million payments and more.
/// </summary>
/// <remarks>
/// The demo seeder fills it through <see cref="SandboxDemoSink"/>: the table is emptied, indexes are dropped,
/// rows are appended in large transactions under a rollback journal, then the indexes are rebuilt and the file
/// goes back to WAL. Everything else (the emulator) reads and upserts single payments.
/// </remarks>
public sealed class MercadoPagoSandboxStore
{
    public const string FileName = "sandbox-mercadopago.db";

    /// <summary>The layout version, kept in <c>PRAGMA user_version</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Payment ids the emulator assigns start here when the store is empty (11 digits, like the demo's).</summary>
    public const long FirstPaymentId = 90_000_000_000L;

    private const string Columns = "id, collector_id, date_created, date_last_updated, date_approved, money_release_date, status, external_reference";

    private static readonly string[] IndexDefinitions =
    [
        "CREATE INDEX IF NOT EXISTS ix_payments_collector_date_created ON payments (collector_id, date_created)",
        "CREATE INDEX IF NOT EXISTS ix_payments_collector_date_last_updated ON payments (collector_id, date_last_updated)",
        "CREATE INDEX IF NOT EXISTS ix_payments_collector_date_approved ON payments (collector_id, date_approved)",
        "CREATE INDEX IF NOT EXISTS ix_payments_collector_money_release_date ON payments (collector_id, money_release_date)",
        "CREATE INDEX IF NOT EXISTS ix_payments_external_reference ON payments (external_reference)",
    ];

    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private Task? _creation;

    public MercadoPagoSandboxStore(string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        FilePath = Path.GetFullPath(filePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public string FilePath { get; }

    /// <summary>Creates the file, table and indexes if missing (idempotent; called by every operation).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled) _creation = CreateAsync();
            return _creation.WaitAsync(cancellationToken);
        }
    }

    private async Task CreateAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using var connection = await OpenAsync(CancellationToken.None);

        // The store holds emulator data only: a file from another layout is rebuilt, not migrated.
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version";
            if ((long)(await version.ExecuteScalarAsync())! != SchemaVersion)
                await ExecuteAsync(connection, "DROP TABLE IF EXISTS payments; DROP TABLE IF EXISTS payment_json;", CancellationToken.None);
        }

        // 8 KB pages hold three ~2.4 KB payments each; 4 KB pages would hold one and waste 40% of the file.
        await ExecuteAsync(connection, """
            PRAGMA page_size = 8192;
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS payments (
                id INTEGER PRIMARY KEY,
                collector_id INTEGER NOT NULL,
                date_created INTEGER NOT NULL,
                date_last_updated INTEGER NOT NULL,
                date_approved INTEGER NULL,
                money_release_date INTEGER NULL,
                status TEXT NOT NULL,
                external_reference TEXT NULL
            );
            CREATE TABLE IF NOT EXISTS payment_json (
                id INTEGER PRIMARY KEY,
                json BLOB NOT NULL
            );
            """, CancellationToken.None);
        foreach (var index in IndexDefinitions) await ExecuteAsync(connection, index, CancellationToken.None);
        await ExecuteAsync(connection, $"PRAGMA user_version = {SchemaVersion}", CancellationToken.None);
    }

    /// <summary>How many payments are stored, optionally for one collector.</summary>
    public async Task<long> CountAsync(long? collectorId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = collectorId is null ? "SELECT COUNT(*) FROM payments" : "SELECT COUNT(*) FROM payments WHERE collector_id = $collector";
        if (collectorId is { } c) command.Parameters.AddWithValue("$collector", c);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A payment's JSON (UTF-8) as stored, or null.</summary>
    public async Task<byte[]?> GetJsonAsync(long id, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM payment_json WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>A payment's JSON as stored, or null when it does not exist or another collector's (a token sees only its own).</summary>
    public async Task<byte[]?> GetJsonAsync(long id, long collectorId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT j.json FROM payments p JOIN payment_json j ON j.id = p.id WHERE p.id = $id AND p.collector_id = $collector";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$collector", collectorId);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>The next free payment id (above every stored one, and at least in the demo's 11-digit range).</summary>
    public async Task<long> NextPaymentIdAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(id) FROM payments";
        var max = await command.ExecuteScalarAsync(cancellationToken);
        return max is long value && value >= FirstPaymentId ? value + 1 : FirstPaymentId;
    }

    /// <summary>The ids of approved payments whose <c>money_release_date</c> is in (<paramref name="after"/>, <paramref name="until"/>] (oldest first).</summary>
    public async Task<IReadOnlyList<long>> DueForReleaseAsync(DateTimeOffset after, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.id FROM payments p JOIN payment_json j ON j.id = p.id
            WHERE p.status = 'approved' AND p.money_release_date > $after AND p.money_release_date <= $until
              AND json_extract(CAST(j.json AS TEXT), '$.money_release_status') IS NOT 'released'
            ORDER BY p.money_release_date, p.id
            """;
        command.Parameters.AddWithValue("$after", after.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>A payment, or null.</summary>
    public async Task<MpPayment?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync(id, cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpPayment);
    }

    /// <summary>Inserts or replaces a payment (the emulator's write path: new payments, refunds, status changes).</summary>
    public Task SaveAsync(MpPayment payment, CancellationToken cancellationToken) => SaveAsync(payment, null, cancellationToken);

    /// <summary>
    /// Inserts or replaces a payment and, in the same transaction, runs <paramref name="alongside"/> (e.g. the refund's
    /// idempotency record), so that both are stored or neither is.
    /// </summary>
    public async Task SaveAsync(MpPayment payment, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task>? alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.CollectorId is null) throw new ArgumentException("collector_id is required.", nameof(payment));
        var document = DemoPaymentDocument.From(payment, JsonSerializer.SerializeToUtf8Bytes(payment, MercadoPagoJsonContext.Default.MpPayment));
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT OR REPLACE INTO payments ({Columns}) VALUES ($id, $collector, $created, $updated, $approved, $release, $status, $reference); " +
            "INSERT OR REPLACE INTO payment_json (id, json) VALUES ($id, $json);";
        var parameters = AddParameters(command);
        Bind(parameters, document);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (alongside is not null) await alongside(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A page of payments in the order and window asked for, and the total that match (the shape
    /// <c>/v1/payments/search</c> needs). Results are the stored JSON, ready to write into a response.
    /// </summary>
    public async Task<SandboxPaymentPage> SearchAsync(SandboxPaymentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);

        var where = new List<string>();
        await using var count = connection.CreateCommand();
        await using var page = connection.CreateCommand();
        void Filter(string clause, string name, object value)
        {
            where.Add(clause);
            count.Parameters.AddWithValue(name, value);
            page.Parameters.AddWithValue(name, value);
        }

        var range = Column(query.Range);
        if (query.CollectorId is { } collector) Filter("collector_id = $collector", "$collector", collector);
        if (query.Status is { } status) Filter("status = $status", "$status", status);
        if (query.ExternalReference is { } reference) Filter("external_reference = $reference", "$reference", reference);
        if (query.Begin is { } begin) Filter($"{range} >= $begin", "$begin", begin.ToUnixTimeMilliseconds());
        if (query.End is { } end) Filter($"{range} <= $end", "$end", end.ToUnixTimeMilliseconds());
        if (query.CreatedFrom is { } from) Filter("date_created >= $created_from", "$created_from", from.ToUnixTimeMilliseconds());
        var whereSql = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        var direction = query.Descending ? "DESC" : "ASC";

        count.CommandText = "SELECT COUNT(*) FROM payments" + whereSql;
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        page.CommandText =
            $"SELECT j.json FROM (SELECT id, {Column(query.Sort)} AS sort_key FROM payments{whereSql} ORDER BY sort_key {direction}, id {direction} LIMIT $limit OFFSET $offset) p " +
            $"JOIN payment_json j ON j.id = p.id ORDER BY p.sort_key {direction}, p.id {direction}";
        page.Parameters.AddWithValue("$limit", query.Limit);
        page.Parameters.AddWithValue("$offset", query.Offset);
        var results = new List<byte[]>(Math.Min(query.Limit, 1000));
        await using (var reader = await page.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) results.Add((byte[])reader[0]);
        }

        return new SandboxPaymentPage(total, query.Limit, query.Offset, results);
    }

    /// <summary>Starts replacing every stored payment with the ones written through the returned writer (the demo seeder's path).</summary>
    public async Task<IDemoPaymentWriter> BeginReplaceAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;", cancellationToken);
            foreach (var name in IndexDefinitions.Select(IndexName)) await ExecuteAsync(connection, $"DROP INDEX IF EXISTS {name}", cancellationToken);
            await ExecuteAsync(connection, "DELETE FROM payments; DELETE FROM payment_json;", cancellationToken);

            // A rollback journal writes appended pages once (WAL would write them twice). Leaving WAL needs the only
            // connection to the file: idle pooled ones are closed; if another is busy, the load simply stays in WAL.
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode = DELETE";
                command.CommandTimeout = 1;
                try
                {
                    await command.ExecuteScalarAsync(cancellationToken);
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
                {
                    // SQLITE_BUSY / SQLITE_LOCKED: keep WAL.
                }
            }

            return new BulkWriter(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static string Column(SandboxPaymentField field) => field switch
    {
        SandboxPaymentField.Id => "id",
        SandboxPaymentField.DateCreated => "date_created",
        SandboxPaymentField.DateLastUpdated => "date_last_updated",
        SandboxPaymentField.DateApproved => "date_approved",
        SandboxPaymentField.MoneyReleaseDate => "money_release_date",
    };

    private static string IndexName(string definition) => definition.Split(' ')[5];

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteParameter[] AddParameters(SqliteCommand command) =>
    [
        command.Parameters.Add(new SqliteParameter("$id", SqliteType.Integer)),
        command.Parameters.Add(new SqliteParameter("$collector", SqliteType.Integer)),
        command.Parameters.Add(new SqliteParameter("$created", SqliteType.Integer)),
        command.Parameters.Add(new SqliteParameter("$updated", SqliteType.Integer)),
        command.Parameters.Add(new SqliteParameter("$approved", SqliteType.Integer)),
        command.Parameters.Add(new SqliteParameter("$release", SqliteType.Integer)),
        command.Parameters.Add(new SqliteParameter("$status", SqliteType.Text)),
        command.Parameters.Add(new SqliteParameter("$reference", SqliteType.Text)),
        command.Parameters.Add(new SqliteParameter("$json", SqliteType.Blob)),
    ];

    private static void Bind(SqliteParameter[] p, DemoPaymentDocument d)
    {
        p[0].Value = d.Id;
        p[1].Value = d.CollectorId;
        p[2].Value = d.DateCreated.ToUnixTimeMilliseconds();
        p[3].Value = d.DateLastUpdated.ToUnixTimeMilliseconds();
        p[4].Value = d.DateApproved is { } approved ? approved.ToUnixTimeMilliseconds() : DBNull.Value;
        p[5].Value = d.MoneyReleaseDate is { } release ? release.ToUnixTimeMilliseconds() : DBNull.Value;
        p[6].Value = d.Status;
        p[7].Value = (object?)d.ExternalReference ?? DBNull.Value;
        p[8].Value = MemoryMarshal.TryGetArray(d.Json, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : d.Json.ToArray();
    }

    /// <summary>
    /// The demo seeder's bulk load: appends in transactions of <see cref="RowsPerTransaction"/> rows through one
    /// statement prepared and bound by index with SQLitePCL (Microsoft.Data.Sqlite re-resolves parameters by name on
    /// every execution, the main cost of a million-row load).
    /// </summary>
    private sealed class BulkWriter : IDemoPaymentWriter
    {
        private const int RowsPerTransaction = 100_000;
        private readonly SqliteConnection _connection;
        private readonly sqlite3 _database;
        private readonly sqlite3_stmt _insert;
        private readonly sqlite3_stmt _insertJson;
        private SqliteTransaction? _transaction;
        private int _rowsInTransaction;
        private bool _completed;

        public BulkWriter(SqliteConnection connection)
        {
            _connection = connection;
            _database = connection.Handle!;
            var rc = raw.sqlite3_prepare_v2(_database, $"INSERT INTO payments ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", out _insert);
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _database);
            rc = raw.sqlite3_prepare_v2(_database, "INSERT INTO payment_json (id, json) VALUES (?1, ?2)", out _insertJson);
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _database);
        }

        public Task WriteAsync(IReadOnlyList<DemoPaymentDocument> payments, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(payments);
            foreach (var d in payments)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _transaction ??= _connection.BeginTransaction();
                raw.sqlite3_bind_int64(_insert, 1, d.Id);
                raw.sqlite3_bind_int64(_insert, 2, d.CollectorId);
                raw.sqlite3_bind_int64(_insert, 3, d.DateCreated.ToUnixTimeMilliseconds());
                raw.sqlite3_bind_int64(_insert, 4, d.DateLastUpdated.ToUnixTimeMilliseconds());
                if (d.DateApproved is { } approved) raw.sqlite3_bind_int64(_insert, 5, approved.ToUnixTimeMilliseconds());
                else raw.sqlite3_bind_null(_insert, 5);
                if (d.MoneyReleaseDate is { } release) raw.sqlite3_bind_int64(_insert, 6, release.ToUnixTimeMilliseconds());
                else raw.sqlite3_bind_null(_insert, 6);
                raw.sqlite3_bind_text(_insert, 7, d.Status);
                if (d.ExternalReference is { } reference) raw.sqlite3_bind_text(_insert, 8, reference);
                else raw.sqlite3_bind_null(_insert, 8);
                Step(_insert);
                raw.sqlite3_bind_int64(_insertJson, 1, d.Id);
                raw.sqlite3_bind_blob(_insertJson, 2, d.Json.Span);
                Step(_insertJson);
                if (++_rowsInTransaction >= RowsPerTransaction) Commit();
            }

            return Task.CompletedTask;
        }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            Commit();
            foreach (var index in IndexDefinitions) await ExecuteAsync(_connection, index, cancellationToken);
            await ExecuteAsync(_connection, "PRAGMA journal_mode = WAL; PRAGMA optimize;", cancellationToken);
            _completed = true;
        }

        public async ValueTask DisposeAsync()
        {
            _insert.Dispose();
            _insertJson.Dispose();
            if (!_completed)
            {
                _transaction?.Rollback();
                _transaction?.Dispose();
                _transaction = null;

                // Leave the store usable (indexes and WAL back) even when the load was abandoned.
                foreach (var index in IndexDefinitions) await ExecuteAsync(_connection, index, CancellationToken.None);
                await ExecuteAsync(_connection, "PRAGMA journal_mode = WAL", CancellationToken.None);
            }

            await _connection.DisposeAsync();
        }

        private void Step(sqlite3_stmt statement)
        {
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _database);
        }

        private void Commit()
        {
            _transaction?.Commit();
            _transaction?.Dispose();
            _transaction = null;
            _rowsInTransaction = 0;
        }
    }
}

/// <summary>The dates (and id) a search can filter and sort on, as in <c>range</c> and <c>sort</c> (§3.2).</summary>
public enum SandboxPaymentField
{
    Id,
    DateCreated,
    DateLastUpdated,
    DateApproved,
    MoneyReleaseDate,
}

/// <summary>A search over the stored payments (<c>/v1/payments/search</c>'s filters, both date bounds inclusive).</summary>
public sealed record SandboxPaymentQuery
{
    public long? CollectorId { get; init; }

    public string? Status { get; init; }

    public string? ExternalReference { get; init; }

    /// <summary>Which date <see cref="Begin"/> and <see cref="End"/> apply to (default date_created).</summary>
    public SandboxPaymentField Range { get; init; } = SandboxPaymentField.DateCreated;

    public DateTimeOffset? Begin { get; init; }

    public DateTimeOffset? End { get; init; }

    /// <summary>Only payments created at or after this instant (search returns the last 12 months only).</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    public SandboxPaymentField Sort { get; init; } = SandboxPaymentField.DateCreated;

    public bool Descending { get; init; }

    public int Limit { get; init; } = 30;

    public int Offset { get; init; }
}

/// <summary>One page of a search: the stored JSON of each payment and the total that matched.</summary>
public sealed record SandboxPaymentPage(long Total, int Limit, int Offset, IReadOnlyList<byte[]> Results)
{
    /// <summary>The page as the API's search envelope.</summary>
    public MpPaymentSearchResponse ToResponse() => new()
    {
        Paging = new MpPaging { Total = Total, Limit = Limit, Offset = Offset },
        Results = Results.Select(json => JsonSerializer.Deserialize(json, MercadoPagoJsonContext.Default.MpPayment)!).ToList(),
    };
}
