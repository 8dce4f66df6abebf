using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>A Mercado Pago account of the emulator (a seller an organizer links).</summary>
public sealed record SandboxSeller(long Id, string Nickname, string Email, string FirstName, string LastName, string LegalName)
{
    public string SiteId { get; init; } = "MPE";

    public string CountryId { get; init; } = "PE";

    /// <summary>The account's public key (<c>APP_USR-…</c>), returned by the token endpoint.</summary>
    public string PublicKey { get; init; } = "";
}

/// <summary>What an access token is worth to the API.</summary>
public enum SandboxTokenState
{
    Valid,
    Unknown,
    Expired,
    Revoked,
}

/// <summary>The result of checking a bearer token: the seller it belongs to when valid.</summary>
public sealed record SandboxTokenCheck(SandboxTokenState State, long SellerId, string? ClientId);

/// <summary>A token pair just issued.</summary>
public sealed record SandboxIssuedTokens(string AccessToken, string RefreshToken, long SellerId, long GrantId, DateTimeOffset ExpiresAt, string Scope);

/// <summary>
/// The emulator's accounts and OAuth state, in the sandbox's SQLite file (beside the payments): sellers, grants (one per
/// seller authorization of the application), and tokens (codes, access and refresh tokens, stored as SHA-256 hashes with
/// their kind, grant, expiry, use and revocation). Revoking a grant (the seller unlinks the app) kills its tokens.
/// </summary>
/// <remarks>The OAuth flows (codes, PKCE, rotation) are in the partial <c>SandboxAccounts.OAuth.cs</c>.</remarks>
public sealed partial class SandboxAccounts
{
    public const string DefaultScope = "offline_access read write";

    private readonly string _connectionString;
    private readonly SandboxClock _clock;
    private readonly Lock _gate = new();
    private Task? _creation;

    public SandboxAccounts(MercadoPagoSandboxStore store, SandboxClock clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _connectionString = new SqliteConnectionStringBuilder { DataSource = store.FilePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        Store = store;
    }

    public MercadoPagoSandboxStore Store { get; }

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
        await Store.EnsureCreatedAsync(CancellationToken.None);
        await using var connection = await OpenAsync(CancellationToken.None);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS sellers (
                id INTEGER PRIMARY KEY,
                nickname TEXT NOT NULL,
                email TEXT NOT NULL,
                first_name TEXT NOT NULL,
                last_name TEXT NOT NULL,
                legal_name TEXT NOT NULL,
                site_id TEXT NOT NULL,
                country_id TEXT NOT NULL,
                public_key TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS grants (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                seller_id INTEGER NOT NULL,
                client_id TEXT NOT NULL,
                scope TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER NULL
            );
            CREATE INDEX IF NOT EXISTS ix_grants_seller ON grants (seller_id, client_id);
            CREATE TABLE IF NOT EXISTS tokens (
                hash TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                grant_id INTEGER NULL,
                seller_id INTEGER NOT NULL,
                client_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NULL,
                used_at INTEGER NULL,
                revoked_at INTEGER NULL,
                redirect_uri TEXT NULL,
                code_challenge TEXT NULL,
                code_challenge_method TEXT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_tokens_grant ON tokens (grant_id);
            CREATE INDEX IF NOT EXISTS ix_tokens_seller ON tokens (seller_id, kind);
            """);
    }

    // ---- sellers ----

    /// <summary>Replaces all sellers (the demo seeder's sellers), keeping grants and tokens of sellers that remain.</summary>
    public async Task ReplaceSellersAsync(IReadOnlyList<SandboxSeller> sellers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sellers);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM sellers";
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var seller in sellers) await UpsertAsync(connection, transaction, seller, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Adds or updates one seller (admin surface, tests).</summary>
    public async Task UpsertSellerAsync(SandboxSeller seller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seller);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await UpsertAsync(connection, null, seller, cancellationToken);
    }

    private static async Task UpsertAsync(SqliteConnection connection, SqliteTransaction? transaction, SandboxSeller seller, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR REPLACE INTO sellers (id, nickname, email, first_name, last_name, legal_name, site_id, country_id, public_key)
            VALUES ($id, $nickname, $email, $first, $last, $legal, $site, $country, $key)
            """;
        command.Parameters.AddWithValue("$id", seller.Id);
        command.Parameters.AddWithValue("$nickname", seller.Nickname);
        command.Parameters.AddWithValue("$email", seller.Email);
        command.Parameters.AddWithValue("$first", seller.FirstName);
        command.Parameters.AddWithValue("$last", seller.LastName);
        command.Parameters.AddWithValue("$legal", seller.LegalName);
        command.Parameters.AddWithValue("$site", seller.SiteId);
        command.Parameters.AddWithValue("$country", seller.CountryId);
        command.Parameters.AddWithValue("$key", string.IsNullOrEmpty(seller.PublicKey) ? PublicKeyFor(seller.Id) : seller.PublicKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SandboxSeller?> GetSellerAsync(long id, CancellationToken cancellationToken)
    {
        var sellers = await QuerySellersAsync("WHERE id = $id", id, cancellationToken);
        return sellers.Count == 0 ? null : sellers[0];
    }

    public Task<IReadOnlyList<SandboxSeller>> ListSellersAsync(CancellationToken cancellationToken) =>
        QuerySellersAsync("ORDER BY legal_name, id", null, cancellationToken);

    private async Task<IReadOnlyList<SandboxSeller>> QuerySellersAsync(string tail, long? id, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, nickname, email, first_name, last_name, legal_name, site_id, country_id, public_key FROM sellers {tail}";
        if (id is { } value) command.Parameters.AddWithValue("$id", value);
        var result = new List<SandboxSeller>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new SandboxSeller(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5))
            {
                SiteId = reader.GetString(6),
                CountryId = reader.GetString(7),
                PublicKey = reader.GetString(8),
            });
        }

        return result;
    }

    // ---- tokens ----

    /// <summary>
    /// Opens a grant for the seller and issues an access and a refresh token (what a successful authorization_code
    /// exchange does). Tests and the admin surface use it directly to get a working token.
    /// </summary>
    public async Task<SandboxIssuedTokens> IssueTokensAsync(long sellerId, string clientId, TimeSpan accessTokenLifetime, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = _clock.GetUtcNow();
        long grantId;
        await using (var grant = connection.CreateCommand())
        {
            grant.Transaction = transaction;
            grant.CommandText = "INSERT INTO grants (seller_id, client_id, scope, created_at) VALUES ($seller, $client, $scope, $now); SELECT last_insert_rowid();";
            grant.Parameters.AddWithValue("$seller", sellerId);
            grant.Parameters.AddWithValue("$client", clientId);
            grant.Parameters.AddWithValue("$scope", DefaultScope);
            grant.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            grantId = (long)(await grant.ExecuteScalarAsync(cancellationToken))!;
        }

        var issued = await IssuePairAsync(connection, transaction, grantId, sellerId, clientId, accessTokenLifetime, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return issued;
    }

    /// <summary>Issues a new access + refresh pair on an existing grant (inside the caller's transaction).</summary>
    internal static async Task<SandboxIssuedTokens> IssuePairAsync(SqliteConnection connection, SqliteTransaction transaction, long grantId, long sellerId, string clientId, TimeSpan lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var access = $"APP_USR-{clientId}-{now.UtcDateTime.ToString("MMddHH", CultureInfo.InvariantCulture)}-{RandomHex(16)}-{sellerId.ToString(CultureInfo.InvariantCulture)}";
        var refresh = $"TG-{RandomHex(12)}-{sellerId.ToString(CultureInfo.InvariantCulture)}";
        var expires = now + lifetime;
        await InsertTokenAsync(connection, transaction, access, "access", grantId, sellerId, clientId, now, expires, null, null, null, cancellationToken);
        await InsertTokenAsync(connection, transaction, refresh, "refresh", grantId, sellerId, clientId, now, null, null, null, null, cancellationToken);
        return new SandboxIssuedTokens(access, refresh, sellerId, grantId, expires, DefaultScope);
    }

    internal static async Task InsertTokenAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string token, string kind, long? grantId, long sellerId, string clientId,
        DateTimeOffset now, DateTimeOffset? expires, string? redirectUri, string? challenge, string? method, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO tokens (hash, kind, grant_id, seller_id, client_id, created_at, expires_at, redirect_uri, code_challenge, code_challenge_method)
            VALUES ($hash, $kind, $grant, $seller, $client, $now, $expires, $redirect, $challenge, $method)
            """;
        command.Parameters.AddWithValue("$hash", Hash(token));
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$grant", (object?)grantId ?? DBNull.Value);
        command.Parameters.AddWithValue("$seller", sellerId);
        command.Parameters.AddWithValue("$client", clientId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", (object?)expires?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$redirect", (object?)redirectUri ?? DBNull.Value);
        command.Parameters.AddWithValue("$challenge", (object?)challenge ?? DBNull.Value);
        command.Parameters.AddWithValue("$method", (object?)method ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Checks a bearer access token: valid (and whose), unknown, expired or revoked (its grant revoked).</summary>
    public async Task<SandboxTokenCheck> CheckAccessTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token)) return new SandboxTokenCheck(SandboxTokenState.Unknown, 0, null);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.seller_id, t.client_id, t.expires_at, t.revoked_at, g.revoked_at
            FROM tokens t LEFT JOIN grants g ON g.id = t.grant_id
            WHERE t.hash = $hash AND t.kind = 'access'
            """;
        command.Parameters.AddWithValue("$hash", Hash(token));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return new SandboxTokenCheck(SandboxTokenState.Unknown, 0, null);
        var seller = reader.GetInt64(0);
        var client = reader.GetString(1);
        if (!reader.IsDBNull(3) || !reader.IsDBNull(4)) return new SandboxTokenCheck(SandboxTokenState.Revoked, seller, client);
        if (!reader.IsDBNull(2) && reader.GetInt64(2) <= _clock.GetUtcNow().ToUnixTimeMilliseconds())
            return new SandboxTokenCheck(SandboxTokenState.Expired, seller, client);
        return new SandboxTokenCheck(SandboxTokenState.Valid, seller, client);
    }

    /// <summary>The seller unlinks the application: every open grant of the seller (for the client) is revoked with its tokens.</summary>
    public async Task<int> RevokeGrantsAsync(long sellerId, string clientId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grants SET revoked_at = $now WHERE seller_id = $seller AND client_id = $client AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$seller", sellerId);
        command.Parameters.AddWithValue("$client", clientId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Fault injection: makes every current access token of the seller expired now (refresh tokens stay usable).</summary>
    public async Task<int> ExpireAccessTokensAsync(long sellerId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE tokens SET expires_at = $now WHERE seller_id = $seller AND kind = 'access' AND (expires_at IS NULL OR expires_at > $now)";
        command.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$seller", sellerId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many times a token kind was issued for a seller (tests: "the token endpoint was called once").</summary>
    public async Task<int> CountTokensAsync(long sellerId, string kind, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM tokens WHERE seller_id = $seller AND kind = $kind";
        command.Parameters.AddWithValue("$seller", sellerId);
        command.Parameters.AddWithValue("$kind", kind);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    internal SandboxClock Clock => _clock;

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>SHA-256 (hex) of a token: the tables never hold a token itself.</summary>
    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    internal static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>A stable public key per seller.</summary>
    public static string PublicKeyFor(long sellerId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("pk:" + sellerId.ToString(CultureInfo.InvariantCulture)));
        var guid = new Guid(hash.AsSpan(0, 16));
        return "APP_USR-" + guid.ToString("D", CultureInfo.InvariantCulture);
    }
}
