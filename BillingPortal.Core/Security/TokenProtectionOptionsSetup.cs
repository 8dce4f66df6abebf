using System.Security.Cryptography;
using System.Text.Json;
using BillingPortal.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.Security;

/// <summary>
/// Completes and checks <see cref="TokenProtectionOptions"/>. Where a generated key is allowed
/// (<see cref="TokenProtectionOptions.AllowGeneratedKey"/>; null means anywhere but the Production environment) and no key
/// is configured, a key is generated once into <c>{Database:DataDirectory}/token-protection-key.json</c> (owner-only
/// permissions where the OS has them) and used with a warning. When keys are configured and that file exists, its key
/// stays readable (not active), so data encrypted during development can be re-encrypted by rotation.
/// </summary>
internal sealed class TokenProtectionOptionsSetup(IServiceProvider services, IConfiguration configuration)
    : IPostConfigureOptions<TokenProtectionOptions>, IValidateOptions<TokenProtectionOptions>
{
    public const string KeyFileName = "token-protection-key.json";

    public void PostConfigure(string? name, TokenProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!GenerationAllowed(options)) return;

        var path = KeyFilePath();
        if (options.Keys.Count == 0)
        {
            var (keyId, key, generated) = LoadOrGenerate(path);
            options.Keys[keyId] = key;
            if (string.IsNullOrWhiteSpace(options.ActiveKeyId)) options.ActiveKeyId = keyId;
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger<AesGcmTokenProtector>() ?? NullLogger<AesGcmTokenProtector>.Instance;
            if (generated)
            {
                logger.LogWarning("TokenProtection: no key is configured; generated the local key {KeyId} into {KeyFile}. Configure TokenProtection:Keys and ActiveKeyId outside development.", keyId, path);
            }
            else
            {
                logger.LogWarning("TokenProtection: no key is configured; using the local key {KeyId} from {KeyFile}. Configure TokenProtection:Keys and ActiveKeyId outside development.", keyId, path);
            }
        }
        else if (File.Exists(path))
        {
            if (string.IsNullOrWhiteSpace(options.ActiveKeyId) && options.Keys.Count == 1) options.ActiveKeyId = options.Keys.Keys.Single();
            var (keyId, key) = Read(path);
            options.Keys.TryAdd(keyId, key);
        }
    }

    public ValidateOptionsResult Validate(string? name, TokenProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = TokenKeyRing.Validate(options).ToList();
        if (options.Keys.Count == 0)
        {
            errors.Add(Environment()?.IsProduction() == true
                ? "The Production environment never generates a key: configure one."
                : "Generating a local key is switched off (TokenProtection:AllowGeneratedKey=false).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private bool GenerationAllowed(TokenProtectionOptions options) =>
        options.AllowGeneratedKey ?? Environment()?.IsProduction() != true;

    private IHostEnvironment? Environment() => services.GetService<IHostEnvironment>();

    private string KeyFilePath()
    {
        var database = services.GetService<DatabaseOptions>()
            ?? configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()
            ?? new DatabaseOptions();
        var root = Environment()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        var directory = Path.GetFullPath(Path.IsPathRooted(database.DataDirectory) ? database.DataDirectory : Path.Combine(root, database.DataDirectory));
        return Path.Combine(directory, KeyFileName);
    }

    /// <summary>Reads the file, or writes a new key to it (without ever replacing a file another process just wrote).</summary>
    internal static (string KeyId, string Key, bool Generated) LoadOrGenerate(string path)
    {
        if (File.Exists(path))
        {
            var (id, existing) = Read(path);
            return (id, existing, false);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var keyId = "local-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var key = RandomNumberGenerator.GetBytes(TokenKeyRing.KeySizeBytes);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("keyId", keyId);
                writer.WriteString("key", Convert.ToBase64String(key));
                writer.WriteString("createdAt", DateTimeOffset.UtcNow);
                writer.WriteString("note", "Generated for development or the demo. Outside development configure TokenProtection:Keys instead.");
                writer.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: false);
            return (keyId, Convert.ToBase64String(key), true);
        }
        catch (IOException) when (File.Exists(path))
        {
            var (id, existing) = Read(path);
            return (id, existing, false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static (string KeyId, string Key) Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var keyId = document.RootElement.GetProperty("keyId").GetString();
            var key = document.RootElement.GetProperty("key").GetString();
            if (TokenKeyRing.IsValidKeyId(keyId) && !string.IsNullOrEmpty(key)) return (keyId!, key);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"TokenProtection: the local key file {path} is unreadable; restore it (data encrypted with it cannot be read without it) or configure TokenProtection:Keys.", e);
        }

        throw new InvalidOperationException($"TokenProtection: the local key file {path} has no valid keyId/key; restore it or configure TokenProtection:Keys.");
    }
}
