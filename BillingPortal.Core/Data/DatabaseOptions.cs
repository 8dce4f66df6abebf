using System.ComponentModel.DataAnnotations;

namespace BillingPortal.Core.Data;

/// <summary>Which database the portal uses (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (default, embedded) or <c>SqlServer</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// SQLite: the folder that holds <see cref="SqliteFileName"/> (relative paths are under the content root).
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    [Required]
    public string SqliteFileName { get; set; } = "billingportal.db";

    /// <summary>SQL Server connection string (required when <see cref="Provider"/> is SqlServer); from the environment, never the repo.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations when the portal starts (the <c>migrate</c> command always does).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
