using System.Globalization;
using System.Text;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Formatting.Compact;

namespace BillingPortal.Tests.Integration.MercadoPago.Linking;

/// <summary>
/// Issue #4's check: after linking, renewals (one through a refused call) and failing renewals, neither the raw SQLite
/// files nor the log files hold any token, code or secret, in UTF-8 or UTF-16.
/// </summary>
public sealed class TokenSecrecyTests : IAsyncLifetime
{
    private LinkingTestKit _kit = null!;

    public async ValueTask InitializeAsync() => _kit = await LinkingTestKit.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task DatabaseFiles_AfterLinkingAndRenewals_HoldNoToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var portal = _kit.CreateInstance();
        var (owner, seller, secrets) = await LinkAsync(portal);
        var tokens = portal.GetRequiredService<IMercadoPagoTokenService>();
        secrets.AddRange(Pair(await _kit.ReadTokensAsync(owner.OrganizerId, ct)));
        Assert.Equal(TokenRenewalResult.Renewed, await tokens.RenewAsync(owner.OrganizerId, force: true, ct));
        secrets.AddRange(Pair(await _kit.ReadTokensAsync(owner.OrganizerId, ct)));
        await _kit.Sandbox.Accounts.ExpireAccessTokensAsync(seller.Id, ct);
        await portal.GetRequiredService<IMercadoPagoSellerApi>().ExecuteAsync(owner.OrganizerId, (api, token, c) => api.GetCurrentUserAsync(token, c), ct);
        secrets.AddRange(Pair(await _kit.ReadTokensAsync(owner.OrganizerId, ct)));
        Assert.Equal(TokenRenewalResult.Failed, await _kit.CreateInstance(clientSecret: "wrong-secret").GetRequiredService<IMercadoPagoTokenService>().RenewAsync(owner.OrganizerId, force: true, ct));

        var files = Directory.GetFiles(_kit.Database.Directory, _kit.Database.Options.SqliteFileName + "*");
        var bytes = files.Select(ReadShared).ToList();

        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
        Assert.Equal(8, secrets.Distinct(StringComparer.Ordinal).Count());
        Assert.True(bytes.Any(b => Contains(b, Encoding.UTF8.GetBytes(seller.Nickname))), "the scan finds what is stored in plain text (the account's nickname)");
        foreach (var secret in secrets.Append(_kit.Sandbox.Options.ClientSecret!))
        {
            foreach (var file in bytes)
            {
                Assert.False(Contains(file, Encoding.UTF8.GetBytes(secret)), "a token is in the database files (UTF-8)");
                Assert.False(Contains(file, Encoding.Unicode.GetBytes(secret)), "a token is in the database files (UTF-16)");
            }
        }
    }

    [Fact]
    public async Task LogFiles_AfterLinkingRenewalsAndFailures_HoldNoToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var logDirectory = Path.Combine(_kit.Database.Directory, "logs");
        var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.File(Path.Combine(logDirectory, "portal-.log"), formatProvider: CultureInfo.InvariantCulture, rollingInterval: RollingInterval.Day)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(logDirectory, "portal-.json"), rollingInterval: RollingInterval.Day)
            .CreateLogger();
        List<string> secrets;
        try
        {
            var portal = _kit.CreateInstance(logging: l => l.AddSerilog(logger));
            var (owner, seller, linkSecrets) = await LinkAsync(portal);
            secrets = linkSecrets;
            var tokens = portal.GetRequiredService<IMercadoPagoTokenService>();
            secrets.AddRange(Pair(await _kit.ReadTokensAsync(owner.OrganizerId, ct)));
            Assert.Equal(TokenRenewalResult.Renewed, await tokens.RenewAsync(owner.OrganizerId, force: true, ct));
            secrets.AddRange(Pair(await _kit.ReadTokensAsync(owner.OrganizerId, ct)));
            await _kit.Sandbox.Accounts.ExpireAccessTokensAsync(seller.Id, ct);
            await portal.GetRequiredService<IMercadoPagoSellerApi>().ExecuteAsync(owner.OrganizerId, (api, token, c) => api.GetCurrentUserAsync(token, c), ct);
            secrets.AddRange(Pair(await _kit.ReadTokensAsync(owner.OrganizerId, ct)));
            var misconfigured = _kit.CreateInstance(logging: l => l.AddSerilog(logger), clientSecret: "wrong-secret-0123456789");
            secrets.Add("wrong-secret-0123456789");
            for (var i = 0; i < 3; i++) Assert.Equal(TokenRenewalResult.Failed, await misconfigured.GetRequiredService<IMercadoPagoTokenService>().RenewAsync(owner.OrganizerId, force: true, ct));
            await _kit.Sandbox.Accounts.RevokeGrantsAsync(seller.Id, _kit.ClientId, ct);
            Assert.Equal(TokenRenewalResult.ReauthorizationRequired, await tokens.RenewAsync(owner.OrganizerId, force: true, ct));
        }
        finally
        {
            await logger.DisposeAsync();
        }

        var logs = Directory.GetFiles(logDirectory).Select(f => File.ReadAllText(f, Encoding.UTF8)).ToList();

        Assert.Equal(2, logs.Count);
        Assert.All(logs, log => Assert.Contains("Mercado Pago token renewal of organizer", log, StringComparison.Ordinal));
        Assert.All(logs, log => Assert.Contains("invalid_client", log, StringComparison.Ordinal));
        foreach (var secret in secrets.Append(_kit.Sandbox.Options.ClientSecret!))
        {
            Assert.All(logs, log => Assert.DoesNotContain(secret, log, StringComparison.Ordinal));
        }
    }

    /// <summary>Links a new organizer through the consent page; returns the callback's code and state as secrets too.</summary>
    private async Task<(OrganizerAccess Owner, Sandbox.MercadoPago.SandboxSeller Seller, List<string> Secrets)> LinkAsync(ServiceProvider portal)
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var linking = portal.GetRequiredService<IMercadoPagoLinking>();
        var callback = await LinkingTestKit.ConsentAsync(await linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);
        var completion = await linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct);
        Assert.True(completion.Succeeded, completion.Message);
        return (owner, seller, [callback.Code!, callback.State!]);
    }

    private static string[] Pair((string Access, string Refresh) tokens) => [tokens.Access, tokens.Refresh];

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
