using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace BillingPortal.Tests.Integration.Demo;

/// <summary>A SHA-256 over every row of every table of a SQLite file (tables by name, rows by rowid, ids included): equal content, equal hash.</summary>
internal static class DatabaseDump
{
    public static string Hash(string filePath, params string[] skipTables)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = filePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_\\_EF%' ESCAPE '\\' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables.Where(t => !skipTables.Contains(t)))
        {
            hash.AppendData(Encoding.UTF8.GetBytes("#" + table));
            using var command = connection.CreateCommand();
            // sqlite_sequence's rows follow the order in which tables got their first id: compare it by table.
            command.CommandText = table == "sqlite_sequence" ? "SELECT * FROM sqlite_sequence ORDER BY name" : $"SELECT * FROM \"{table}\" ORDER BY rowid";
            using var reader = command.ExecuteReader();
            var line = new StringBuilder();
            while (reader.Read())
            {
                line.Clear();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    line.Append(reader.IsDBNull(i) ? "∅" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The index definitions of a file (name and SQL), to check a bulk load put every index back.</summary>
    public static List<string> Indexes(string filePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = filePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name";
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read()) result.Add(reader.GetString(0));
        return result;
    }

    public static List<string> Pragma(string filePath, string pragma)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = filePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read()) result.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return result;
    }
}
