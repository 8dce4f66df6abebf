using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Sandbox.Identity;

/// <summary>OpenIddict's stores (applications, authorizations, scopes, tokens) for the sandbox provider.</summary>
public sealed class SandboxIdentityDbContext(DbContextOptions<SandboxIdentityDbContext> options) : DbContext(options);

/// <summary>
/// The sandbox provider's database: a named in-memory SQLite database with a shared cache, alive while
/// <see cref="KeepAlive"/> holds its first connection open (the host's lifetime). Each DbContext opens its own
/// connection to it, so concurrent requests never share one connection.
/// </summary>
/// <remarks>
/// In memory on purpose: the signing and encryption keys are ephemeral, so codes and refresh tokens from an earlier
/// run could not be read anyway; a file would only hold stale rows. Each host (each test) gets its own database name.
/// </remarks>
public sealed class SandboxIdentityDatabase : IDisposable
{
    private readonly Lock _gate = new();
    private SqliteConnection? _keepAlive;

    public string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = $"sandbox-identity-{Guid.NewGuid():N}",
        Mode = SqliteOpenMode.Memory,
        Cache = SqliteCacheMode.Shared,
    }.ToString();

    /// <summary>Opens the connection that keeps the in-memory database alive (idempotent).</summary>
    public void KeepAlive()
    {
        lock (_gate)
        {
            if (_keepAlive is null)
            {
                _keepAlive = new SqliteConnection(ConnectionString);
                _keepAlive.Open();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _keepAlive?.Dispose();
            _keepAlive = null;
        }
    }
}
