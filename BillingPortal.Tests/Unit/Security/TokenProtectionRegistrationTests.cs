using BillingPortal.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Unit.Security;

/// <summary>How the token protection comes up: configured keys, the generated local key, and refusals at start-up.</summary>
public sealed class TokenProtectionRegistrationTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Start_ProductionWithoutKeys_RefusesWithAClearMessage()
    {
        using var host = BuildHost(Environments.Production, []);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("no key is configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("Production environment never generates a key", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task Start_BadKey_RefusesNamingTheSetting()
    {
        using var host = BuildHost(Environments.Production, new()
        {
            ["TokenProtection:Keys:2026-11"] = Convert.ToBase64String(new byte[16]),
            ["TokenProtection:ActiveKeyId"] = "2026-11",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("TokenProtection:Keys:2026-11 decodes to 16 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ActiveIdMissing_RefusesNamingTheSetting()
    {
        using var host = BuildHost(Environments.Production, new()
        {
            ["TokenProtection:Keys:2026-11"] = TestKeys.NewKey(),
            ["TokenProtection:ActiveKeyId"] = "2027-05",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("ActiveKeyId '2027-05' names no configured key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithKeys_Protects()
    {
        using var host = BuildHost(Environments.Production, new()
        {
            ["TokenProtection:Keys:2026-11"] = TestKeys.NewKey(),
            ["TokenProtection:ActiveKeyId"] = "2026-11",
        });

        await host.StartAsync(TestContext.Current.CancellationToken);
        var protector = host.Services.GetRequiredService<ITokenProtector>();

        Assert.Equal("2026-11", protector.ActiveKeyId);
        Assert.Equal("x", protector.Unprotect(protector.Protect("x", "p"), "p"));
        Assert.False(File.Exists(KeyFile));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Start_DevelopmentWithoutKeys_GeneratesOneKeyFileThatTheNextInstanceReuses()
    {
        string ciphertext;
        string firstKeyId;
        using (var first = BuildHost(Environments.Development, []))
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            var protector = first.Services.GetRequiredService<ITokenProtector>();
            firstKeyId = protector.ActiveKeyId;
            ciphertext = protector.Protect("TG-secret-refresh", "mp-link:1:refresh");
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(KeyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        var written = await File.ReadAllTextAsync(KeyFile, TestContext.Current.CancellationToken);

        using var second = BuildHost(Environments.Development, []);
        await second.StartAsync(TestContext.Current.CancellationToken);
        var again = second.Services.GetRequiredService<ITokenProtector>();

        Assert.StartsWith("local-", firstKeyId, StringComparison.Ordinal);
        Assert.Equal(firstKeyId, again.ActiveKeyId);
        Assert.Equal("TG-secret-refresh", again.Unprotect(ciphertext, "mp-link:1:refresh"));
        Assert.Equal(written, await File.ReadAllTextAsync(KeyFile, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(_dataDirectory));
        await second.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Start_KeysConfiguredAfterALocalKey_LocalKeyStaysReadableButNotActive()
    {
        string ciphertext;
        using (var development = BuildHost(Environments.Development, []))
        {
            await development.StartAsync(TestContext.Current.CancellationToken);
            ciphertext = development.Services.GetRequiredService<ITokenProtector>().Protect("APP_USR-1", "mp-link:1:access");
            await development.StopAsync(TestContext.Current.CancellationToken);
        }

        using var configured = BuildHost(Environments.Development, new() { ["TokenProtection:Keys:2026-11"] = TestKeys.NewKey() });
        await configured.StartAsync(TestContext.Current.CancellationToken);
        var protector = configured.Services.GetRequiredService<ITokenProtector>();

        Assert.Equal("2026-11", protector.ActiveKeyId);
        Assert.True(protector.NeedsReencryption(ciphertext));
        Assert.Equal("APP_USR-1", protector.Unprotect(ciphertext, "mp-link:1:access"));
        await configured.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Start_DevelopmentWithGenerationSwitchedOff_Refuses()
    {
        using var host = BuildHost(Environments.Development, new() { ["TokenProtection:AllowGeneratedKey"] = "false" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AllowGeneratedKey=false", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    private string KeyFile => Path.Combine(_dataDirectory, "token-protection-key.json");

    private IHost BuildHost(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        settings["Database:DataDirectory"] = _dataDirectory;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTokenProtection(builder.Configuration);
        return builder.Build();
    }
}
