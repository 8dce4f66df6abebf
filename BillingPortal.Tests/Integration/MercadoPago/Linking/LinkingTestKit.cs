using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Security;
using BillingPortal.Sandbox.MercadoPago;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Tests.Integration.MercadoPago.Linking;

/// <summary>
/// The parts of a linking test: the Mercado Pago emulator standalone on loopback (PKCE required, one registered
/// redirect URL), a real SQLite file with the real migrations, and "portal instances": service providers wired as the
/// portal wires Core (<c>AddBillingData</c> + <c>AddMercadoPago</c>) against that emulator and that file. Two instances
/// share the database like two portal processes would.
/// </summary>
public sealed partial class LinkingTestKit : IAsyncDisposable
{
    public const string Callback = "https://portal.example.test/mercadopago/callback";
    public const string KeyId = "2026-11";

    private static long _nextSellerId = 600_000_000 + Random.Shared.Next(0, 100_000_000);

    private readonly List<ServiceProvider> _instances = [];
    private readonly string _sandboxDirectory;

    private LinkingTestKit(MercadoPagoSandboxServer sandbox, SqliteTestDatabase database, string sandboxDirectory)
    {
        Sandbox = sandbox;
        Database = database;
        _sandboxDirectory = sandboxDirectory;
    }

    public MercadoPagoSandboxServer Sandbox { get; }

    public SqliteTestDatabase Database { get; }

    /// <summary>The token protection key every instance uses (random per kit).</summary>
    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string ClientId => Sandbox.Options.ClientId;

    public static async Task<LinkingTestKit> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", "mp-linking-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var sandbox = await MercadoPagoSandboxServer.StartAsync(directory, o =>
        {
            o.RedirectUris = [Callback];
            o.RequirePkce = true;
        }, cancellationToken: cancellationToken);
        var database = await SqliteTestDatabase.CreateAsync(cancellationToken);
        return new LinkingTestKit(sandbox, database, directory);
    }

    /// <summary>
    /// A portal instance: Core's data and Mercado Pago registrations over the kit's database and emulator, with
    /// millisecond retry delays. <paramref name="settings"/> overrides configuration keys; <paramref name="logging"/>
    /// adds log providers (default: none).
    /// </summary>
    public ServiceProvider CreateInstance(Action<IDictionary<string, string?>>? settings = null, Action<ILoggingBuilder>? logging = null, string? clientSecret = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["TokenProtection:Keys:" + KeyId] = Key,
            ["TokenProtection:ActiveKeyId"] = KeyId,
            ["TokenProtection:AllowGeneratedKey"] = "false",
            ["MercadoPago:Client:MaxRetries"] = "1",
            ["MercadoPago:Client:RetryBaseDelay"] = "00:00:00.010",
            ["MercadoPago:Client:RetryMaxDelay"] = "00:00:00.100",
            ["MercadoPago:Client:AttemptTimeout"] = "00:00:10",
            ["MercadoPago:Client:TotalTimeout"] = "00:00:20",
            ["MercadoPago:TokenRenewal:LeaseDuration"] = "00:00:30",
        };
        settings?.Invoke(values);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Trace);
            logging?.Invoke(builder);
        });
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IMercadoPagoEndpoints>(new KitEndpoints(Sandbox.BaseAddress, Sandbox.AuthorizationEndpoint, (ClientId, clientSecret ?? Sandbox.Options.ClientSecret!)));
        services.AddBillingData(Database.Options, Database.Directory);
        services.AddMercadoPago(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _instances.Add(provider);
        return provider;
    }

    /// <summary>The linking service of an instance, on a chosen clock (a FakeTimeProvider for expiry tests).</summary>
    public static MercadoPagoLinkingService Linking(IServiceProvider instance, TimeProvider time) => new(
        instance.GetRequiredService<IDbContextFactory<BillingDbContext>>(),
        instance.GetRequiredService<IMercadoPagoOAuthClient>(),
        instance.GetRequiredService<IMercadoPagoApiClient>(),
        instance.GetRequiredService<ITokenProtector>(),
        instance.GetRequiredService<IAdminAlerts>(),
        instance.GetRequiredService<IOptions<MercadoPagoOptions>>(),
        time,
        instance.GetRequiredService<ILogger<MercadoPagoLinkingService>>());

    /// <summary>The token service of an instance, on a chosen clock.</summary>
    public static MercadoPagoTokenService Tokens(IServiceProvider instance, TimeProvider time) => new(
        instance.GetRequiredService<IDbContextFactory<BillingDbContext>>(),
        instance.GetRequiredService<IMercadoPagoOAuthClient>(),
        instance.GetRequiredService<ITokenProtector>(),
        instance.GetRequiredService<IAdminAlerts>(),
        instance.GetRequiredService<IOptions<MercadoPagoOptions>>(),
        time,
        instance.GetRequiredService<ILogger<MercadoPagoTokenService>>());

    /// <summary>A new emulator seller with a unique id.</summary>
    public async Task<SandboxSeller> NewSellerAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextSellerId);
        var seller = new SandboxSeller(id, $"PRODUCTORA{id}", $"ventas{id}@example.test", "Rosa", "Quispe", $"Producciones Andinas {id} S.A.C.");
        await Sandbox.Accounts.UpsertSellerAsync(seller, cancellationToken);
        return seller;
    }

    /// <summary>An organizer with a member of the given role; returns the member's access.</summary>
    public async Task<OrganizerAccess> NewOrganizerAsync(OrganizerRole role, CancellationToken cancellationToken)
    {
        await using var db = Database.CreateContext();
        var organizer = new OrganizerBuilder().Build();
        db.Organizers.Add(organizer);
        await db.SaveChangesAsync(cancellationToken);
        return await AddMemberAsync(organizer.Id, role, cancellationToken);
    }

    /// <summary>Another user in the organizer.</summary>
    public async Task<OrganizerAccess> AddMemberAsync(int organizerId, OrganizerRole role, CancellationToken cancellationToken)
    {
        await using var db = Database.CreateContext();
        var user = new PortalUser
        {
            Issuer = "https://sandbox.test",
            Subject = Guid.NewGuid().ToString("N"),
            Email = $"{Guid.NewGuid():N}@example.pe",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        db.OrganizerMembers.Add(new OrganizerMember { OrganizerId = organizerId, UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync(cancellationToken);
        return new OrganizerAccess(organizerId, role, user.Id, user.Email);
    }

    /// <summary>Start → the emulator's consent («Permitir» for the seller) → the callback: the whole link.</summary>
    public static async Task<LinkCompletion> LinkAsync(IMercadoPagoLinking linking, OrganizerAccess owner, long sellerId, CancellationToken cancellationToken)
    {
        var consent = await linking.StartAuthorizationAsync(owner, Callback, cancellationToken);
        var callback = await ConsentAsync(consent, sellerId, allow: true, cancellationToken);
        return await linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, callback.Error, AuditOrigin.None, cancellationToken);
    }

    /// <summary>
    /// Drives the emulator's consent page as a browser: GET it (keeping its cookie), read the form, POST «Permitir» or
    /// «Denegar» for the seller, and read the redirect back to the portal.
    /// </summary>
    public static async Task<ConsentCallback> ConsentAsync(Uri consentUrl, long sellerId, bool allow, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() });
        using var page = await http.GetAsync(consentUrl, cancellationToken);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"consent page answered {(int)page.StatusCode}");
        var action = FormAction().Match(html);
        Assert.True(action.Success, "no form on the consent page");
        var fields = HiddenInput().Matches(html)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .ToList();
        fields.Add(new("decision", allow ? "allow" : "deny"));
        fields.Add(new("seller_id", sellerId.ToString(CultureInfo.InvariantCulture)));
        using var decided = await http.PostAsync(new Uri(consentUrl, WebUtility.HtmlDecode(action.Groups[1].Value)), new FormUrlEncodedContent(fields), cancellationToken);
        Assert.True(decided.StatusCode == HttpStatusCode.Redirect, $"consent POST answered {(int)decided.StatusCode}");
        var location = decided.Headers.Location!;
        Assert.StartsWith(Callback, location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        return new ConsentCallback(Value(query, "code"), Value(query, "state"), Value(query, "error"));

        static string? Value(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name) =>
            query.TryGetValue(name, out var value) ? value.ToString() : null;
    }

    public async Task<MercadoPagoLink> ReadLinkAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = Database.CreateContext();
        return await db.MercadoPagoLinks.AsNoTracking().SingleAsync(l => l.OrganizerId == organizerId, cancellationToken);
    }

    /// <summary>The stored tokens, opened with the kit's key (what the database holds, decrypted).</summary>
    public async Task<(string Access, string Refresh)> ReadTokensAsync(int organizerId, CancellationToken cancellationToken)
    {
        var link = await ReadLinkAsync(organizerId, cancellationToken);
        var protector = new AesGcmTokenProtector(TokenKeyRing.Create(new TokenProtectionOptions { ActiveKeyId = KeyId, Keys = { [KeyId] = Key } }));
        return (protector.Unprotect(link.AccessTokenCiphertext!, MercadoPagoTokenPurposes.Access(organizerId)),
                protector.Unprotect(link.RefreshTokenCiphertext!, MercadoPagoTokenPurposes.Refresh(organizerId)));
    }

    public async Task<List<AdminAlert>> OpenAlertsAsync(int organizerId, CancellationToken cancellationToken)
    {
        await using var db = Database.CreateContext();
        return await db.AdminAlerts.AsNoTracking().Where(a => a.OrganizerId == organizerId && a.ResolvedAt == null).ToListAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_sandboxDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection on another thread still holds the file: the OS cleans the temp folder.
        }
    }

    [GeneratedRegex("<form[^>]*\\saction=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}

/// <summary>What the emulator redirected back to the portal with.</summary>
public sealed record ConsentCallback(string? Code, string? State, string? Error);

/// <summary>The emulator as the portal sees it in these tests.</summary>
internal sealed record KitEndpoints(Uri ApiBase, Uri AuthorizationEndpoint, (string ClientId, string ClientSecret) Application) : IMercadoPagoEndpoints;
