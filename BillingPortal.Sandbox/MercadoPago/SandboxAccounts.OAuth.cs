using System.Security.Cryptography;
using System.Text;
using BillingPortal.Core.MercadoPago;
using Microsoft.Data.Sqlite;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>Why a code or refresh token was refused (every reason answers <c>invalid_grant</c> on the wire; the reason is for tests and logs).</summary>
public enum SandboxGrantFailure
{
    None,
    Unknown,
    OtherClient,
    Expired,
    AlreadyUsed,
    Revoked,
    RedirectUriMismatch,
    VerifierMissing,
    VerifierMismatch,

    /// <summary>A verifier sent for a code that had no challenge (PKCE downgrade).</summary>
    VerifierUnexpected,
    SellerGone,
}

/// <summary>The result of redeeming a code or a refresh token: the new pair, or why not.</summary>
public sealed record SandboxGrantResult(SandboxIssuedTokens? Tokens, SandboxGrantFailure Failure)
{
    public bool Succeeded => Tokens is not null;

    internal static SandboxGrantResult Fail(SandboxGrantFailure failure) => new(null, failure);
}

public sealed partial class SandboxAccounts
{
    /// <summary>
    /// Issues an authorization code (<c>TG-{24 hex}-{seller}</c>, like the real ones, §2.2) for the seller who pressed
    /// «Permitir», bound to the client, the redirect_uri and the PKCE challenge, valid for <paramref name="lifetime"/>.
    /// Stored hashed like every token.
    /// </summary>
    public async Task<string> IssueCodeAsync(
        long sellerId, string clientId, string redirectUri, string? codeChallenge, string? codeChallengeMethod, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(redirectUri);
        await EnsureCreatedAsync(cancellationToken);
        var code = $"TG-{RandomHex(12)}-{sellerId.ToString(CultureInfo.InvariantCulture)}";
        var now = _clock.GetUtcNow();
        await using var connection = await OpenAsync(cancellationToken);
        await InsertTokenAsync(connection, null, code, "code", null, sellerId, clientId, now, now + lifetime, redirectUri,
            string.IsNullOrEmpty(codeChallenge) ? null : codeChallenge,
            string.IsNullOrEmpty(codeChallenge) ? null : codeChallengeMethod ?? "plain",
            cancellationToken);
        return code;
    }

    /// <summary>
    /// <c>grant_type=authorization_code</c>: checks the code (known, this client, not expired, not used), the redirect_uri
    /// (identical) and the PKCE verifier, marks it used and opens a grant with a new token pair, in one transaction.
    /// Single use holds under concurrency: the code is claimed with <c>UPDATE … WHERE used_at IS NULL</c> and only the
    /// caller that changed the row gets tokens (SQLite's write transactions are serialized, so the claim is also the check).
    /// A refused code is not consumed (Mercado Pago's behaviour here is undocumented).
    /// </summary>
    public async Task<SandboxGrantResult> RedeemCodeAsync(
        string code, string clientId, string? redirectUri, string? codeVerifier, TimeSpan accessTokenLifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = _clock.GetUtcNow();
        var hash = Hash(code);

        long sellerId;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """
                SELECT seller_id, client_id, expires_at, used_at, revoked_at, redirect_uri, code_challenge, code_challenge_method
                FROM tokens WHERE hash = $hash AND kind = 'code'
                """;
            read.Parameters.AddWithValue("$hash", hash);
            await using var row = await read.ExecuteReaderAsync(cancellationToken);
            if (!await row.ReadAsync(cancellationToken)) return SandboxGrantResult.Fail(SandboxGrantFailure.Unknown);
            sellerId = row.GetInt64(0);
            if (!string.Equals(row.GetString(1), clientId, StringComparison.Ordinal)) return SandboxGrantResult.Fail(SandboxGrantFailure.OtherClient);
            if (!row.IsDBNull(3)) return SandboxGrantResult.Fail(SandboxGrantFailure.AlreadyUsed);
            if (!row.IsDBNull(4)) return SandboxGrantResult.Fail(SandboxGrantFailure.Revoked);
            if (row.IsDBNull(2) || row.GetInt64(2) <= now.ToUnixTimeMilliseconds()) return SandboxGrantResult.Fail(SandboxGrantFailure.Expired);
            if (!string.Equals(row.IsDBNull(5) ? null : row.GetString(5), redirectUri, StringComparison.Ordinal))
                return SandboxGrantResult.Fail(SandboxGrantFailure.RedirectUriMismatch);
            var pkce = CheckVerifier(row.IsDBNull(6) ? null : row.GetString(6), row.IsDBNull(7) ? null : row.GetString(7), codeVerifier);
            if (pkce != SandboxGrantFailure.None) return SandboxGrantResult.Fail(pkce);
        }

        if (!await ClaimAsync(connection, transaction, hash, now, cancellationToken)) return SandboxGrantResult.Fail(SandboxGrantFailure.AlreadyUsed);
        if (!await SellerExistsAsync(connection, transaction, sellerId, cancellationToken)) return SandboxGrantResult.Fail(SandboxGrantFailure.SellerGone);

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
        return new SandboxGrantResult(issued, SandboxGrantFailure.None);
    }

    /// <summary>
    /// <c>grant_type=refresh_token</c>: the refresh token is single use and rotating (§2.4): a known, unused, unrevoked
    /// one of this client on a live grant is claimed (<c>UPDATE … WHERE used_at IS NULL</c>) and a new access + refresh
    /// pair is issued on the same grant. The previous access token stays valid until it expires.
    /// </summary>
    public async Task<SandboxGrantResult> RotateRefreshTokenAsync(string refreshToken, string clientId, TimeSpan accessTokenLifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = _clock.GetUtcNow();
        var hash = Hash(refreshToken);

        long sellerId;
        long grantId;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """
                SELECT t.seller_id, t.client_id, t.grant_id, t.expires_at, t.used_at, t.revoked_at, g.revoked_at
                FROM tokens t LEFT JOIN grants g ON g.id = t.grant_id
                WHERE t.hash = $hash AND t.kind = 'refresh'
                """;
            read.Parameters.AddWithValue("$hash", hash);
            await using var row = await read.ExecuteReaderAsync(cancellationToken);
            if (!await row.ReadAsync(cancellationToken) || row.IsDBNull(2)) return SandboxGrantResult.Fail(SandboxGrantFailure.Unknown);
            sellerId = row.GetInt64(0);
            grantId = row.GetInt64(2);
            if (!string.Equals(row.GetString(1), clientId, StringComparison.Ordinal)) return SandboxGrantResult.Fail(SandboxGrantFailure.OtherClient);
            if (!row.IsDBNull(4)) return SandboxGrantResult.Fail(SandboxGrantFailure.AlreadyUsed);
            if (!row.IsDBNull(5) || !row.IsDBNull(6)) return SandboxGrantResult.Fail(SandboxGrantFailure.Revoked);
            if (!row.IsDBNull(3) && row.GetInt64(3) <= now.ToUnixTimeMilliseconds()) return SandboxGrantResult.Fail(SandboxGrantFailure.Expired);
        }

        if (!await ClaimAsync(connection, transaction, hash, now, cancellationToken)) return SandboxGrantResult.Fail(SandboxGrantFailure.AlreadyUsed);
        var issued = await IssuePairAsync(connection, transaction, grantId, sellerId, clientId, accessTokenLifetime, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SandboxGrantResult(issued, SandboxGrantFailure.None);
    }

    /// <summary>Marks a code or refresh token used; false when another caller got there first.</summary>
    private static async Task<bool> ClaimAsync(SqliteConnection connection, SqliteTransaction transaction, string hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var claim = connection.CreateCommand();
        claim.Transaction = transaction;
        claim.CommandText = "UPDATE tokens SET used_at = $now WHERE hash = $hash AND used_at IS NULL";
        claim.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        claim.Parameters.AddWithValue("$hash", hash);
        return await claim.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<bool> SellerExistsAsync(SqliteConnection connection, SqliteTransaction transaction, long sellerId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM sellers WHERE id = $id";
        command.Parameters.AddWithValue("$id", sellerId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>RFC 7636 §4.6: S256 compares BASE64URL(SHA256(verifier)) with the challenge, plain compares them as they are.</summary>
    private static SandboxGrantFailure CheckVerifier(string? challenge, string? method, string? verifier)
    {
        if (challenge is null) return string.IsNullOrEmpty(verifier) ? SandboxGrantFailure.None : SandboxGrantFailure.VerifierUnexpected;
        if (string.IsNullOrEmpty(verifier)) return SandboxGrantFailure.VerifierMissing;
        if (!Pkce.IsValidVerifier(verifier)) return SandboxGrantFailure.VerifierMismatch;
        var computed = string.Equals(method, "S256", StringComparison.Ordinal) ? Pkce.ChallengeS256(verifier) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge))
            ? SandboxGrantFailure.None
            : SandboxGrantFailure.VerifierMismatch;
    }
}
