using BillingPortal.Core.Alerts;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Integration.MercadoPago.Linking;

/// <summary>
/// <see cref="MercadoPagoTokenService"/> and <see cref="MercadoPagoSellerApi"/> against the emulator's rotating refresh
/// tokens, over a real SQLite file shared by one or two portal instances.
/// </summary>
public sealed class MercadoPagoTokenRenewalTests : IAsyncLifetime
{
    private LinkingTestKit _kit = null!;
    private ServiceProvider _portal = null!;

    public async ValueTask InitializeAsync()
    {
        _kit = await LinkingTestKit.StartAsync(TestContext.Current.CancellationToken);
        _portal = _kit.CreateInstance();
    }

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private IMercadoPagoTokenService Tokens => _portal.GetRequiredService<IMercadoPagoTokenService>();

    [Fact]
    public async Task RenewAsync_Forced_StoresTheNewPairAndTheOldRefreshTokenNoLongerWorks()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        var (oldAccess, oldRefresh) = await _kit.ReadTokensAsync(owner.OrganizerId, ct);
        var refreshes = await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct);
        var before = DateTimeOffset.UtcNow;

        var result = await Tokens.RenewAsync(owner.OrganizerId, force: true, ct);

        Assert.Equal(TokenRenewalResult.Renewed, result);
        var (newAccess, newRefresh) = await _kit.ReadTokensAsync(owner.OrganizerId, ct);
        Assert.NotEqual(oldAccess, newAccess);
        Assert.NotEqual(oldRefresh, newRefresh);
        Assert.Equal(refreshes + 1, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal((MercadoPagoLinkStatus.Active, 2, 0), (link.Status, link.Version, link.RenewalFailures));
        Assert.True(link.LastRenewedAt >= before);
        Assert.Equal(link.AccessTokenExpiresAt - TimeSpan.FromDays(30), link.RenewalDueAt);
        Assert.Null(link.RenewalLeaseId);
        Assert.Null(link.RenewalLeaseUntil);
        Assert.Equal(SandboxTokenState.Valid, (await _kit.Sandbox.Accounts.CheckAccessTokenAsync(newAccess, ct)).State);

        var reused = await Assert.ThrowsAsync<MercadoPagoApiException>(() => _portal.GetRequiredService<IMercadoPagoOAuthClient>().RefreshAsync(oldRefresh, ct));
        Assert.Equal(MercadoPagoErrorKind.InvalidGrant, reused.Error.Kind);
    }

    [Fact]
    public async Task RenewAsync_NotDueAndNotForced_IsNotDueAndCallsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        var refreshes = await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct);

        var result = await Tokens.RenewAsync(owner.OrganizerId, force: false, ct);

        Assert.Equal(TokenRenewalResult.NotDue, result);
        Assert.Equal(refreshes, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal(1, link.Version);
        Assert.Null(link.RenewalLeaseId);
    }

    [Fact]
    public async Task RenewAsync_NoActiveLink_IsNotLinked()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);

        Assert.Equal(TokenRenewalResult.NotLinked, await Tokens.RenewAsync(owner.OrganizerId, force: true, ct));
        var error = await Assert.ThrowsAsync<MercadoPagoLinkUnavailableException>(() => Tokens.GetAccessTokenAsync(owner.OrganizerId, ct));
        Assert.Null(error.Status);
    }

    [Fact]
    public async Task RenewDueAsync_OneLinkDue_RenewsOnlyThatOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var (due, dueSeller) = await LinkedAsync();
        var (notDue, notDueSeller) = await LinkedAsync();
        await SetAsync(due.OrganizerId, s => s.SetProperty(l => l.RenewalDueAt, DateTimeOffset.UtcNow.AddMinutes(-1)));

        var summary = await Tokens.RenewDueAsync(ct);

        Assert.Equal(new TokenRenewalSummary(1, 0, 0, 0), summary);
        Assert.Equal(2, await _kit.Sandbox.Accounts.CountTokensAsync(dueSeller.Id, "refresh", ct));
        Assert.Equal(1, await _kit.Sandbox.Accounts.CountTokensAsync(notDueSeller.Id, "refresh", ct));
        Assert.Equal(2, (await _kit.ReadLinkAsync(due.OrganizerId, ct)).Version);
        Assert.Equal(1, (await _kit.ReadLinkAsync(notDue.OrganizerId, ct)).Version);
        Assert.True((await _kit.ReadLinkAsync(due.OrganizerId, ct)).RenewalDueAt > DateTimeOffset.UtcNow.AddDays(100));
    }

    [Fact]
    public async Task RenewAsync_LeaseHeldElsewhere_IsAlreadyInProgressUntilTheLeaseExpires()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        var otherLease = Guid.NewGuid();
        await SetAsync(owner.OrganizerId, s => s.SetProperty(l => l.RenewalLeaseId, otherLease).SetProperty(l => l.RenewalLeaseUntil, DateTimeOffset.UtcNow.AddMinutes(1)));

        var held = await Tokens.RenewAsync(owner.OrganizerId, force: true, ct);

        Assert.Equal(TokenRenewalResult.AlreadyInProgress, held);
        Assert.Equal(1, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
        Assert.Equal(otherLease, (await _kit.ReadLinkAsync(owner.OrganizerId, ct)).RenewalLeaseId);

        await SetAsync(owner.OrganizerId, s => s.SetProperty(l => l.RenewalLeaseUntil, DateTimeOffset.UtcNow.AddSeconds(-1)));
        var expired = await Tokens.RenewAsync(owner.OrganizerId, force: true, ct);

        Assert.Equal(TokenRenewalResult.Renewed, expired);
        Assert.Equal(2, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
        Assert.Null((await _kit.ReadLinkAsync(owner.OrganizerId, ct)).RenewalLeaseId);
    }

    [Fact]
    public async Task GetAccessTokenAsync_TwoInstancesAtOnceOnAnExpiredToken_RenewOnceAndGetTheSameWorkingToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        var first = _kit.CreateInstance().GetRequiredService<IMercadoPagoTokenService>();
        var second = _kit.CreateInstance().GetRequiredService<IMercadoPagoTokenService>();
        var api = _portal.GetRequiredService<IMercadoPagoApiClient>();

        for (var round = 1; round <= 3; round++)
        {
            var refreshes = await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct);
            await SetAsync(owner.OrganizerId, s => s.SetProperty(l => l.AccessTokenExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
            using var start = new ManualResetEventSlim();

            var tokens = await Task.WhenAll(
                Task.Run(() => { start.Wait(ct); return first.GetAccessTokenAsync(owner.OrganizerId, ct); }, ct),
                Task.Run(() => { start.Wait(ct); return second.GetAccessTokenAsync(owner.OrganizerId, ct); }, ct),
                Task.Run(() => { start.Set(); return Task.FromResult(""); }, ct));

            Assert.Equal(refreshes + 1, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
            Assert.Equal(tokens[0], tokens[1]);
            Assert.Equal((await _kit.ReadTokensAsync(owner.OrganizerId, ct)).Access, tokens[0]);
            Assert.Equal(seller.Id, (await api.GetCurrentUserAsync(tokens[0], ct)).Id);
            Assert.Equal(1 + round, (await _kit.ReadLinkAsync(owner.OrganizerId, ct)).Version);
        }
    }

    [Fact]
    public async Task RenewDueAsync_TwoInstancesAtOnce_RenewEachLinkOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var links = new List<(OrganizerAccess Owner, Sandbox.MercadoPago.SandboxSeller Seller)>();
        for (var i = 0; i < 3; i++) links.Add(await LinkedAsync());
        foreach (var (owner, _) in links) await SetAsync(owner.OrganizerId, s => s.SetProperty(l => l.RenewalDueAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        var first = _kit.CreateInstance().GetRequiredService<IMercadoPagoTokenService>();
        var second = _kit.CreateInstance().GetRequiredService<IMercadoPagoTokenService>();

        var summaries = await Task.WhenAll(Task.Run(() => first.RenewDueAsync(ct), ct), Task.Run(() => second.RenewDueAsync(ct), ct));

        Assert.Equal(3, summaries.Sum(s => s.Renewed));
        Assert.Equal(0, summaries.Sum(s => s.Failed + s.ReauthorizationRequired));
        foreach (var (owner, seller) in links)
        {
            Assert.Equal(2, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
            var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
            Assert.Equal((MercadoPagoLinkStatus.Active, 2), (link.Status, link.Version));
            Assert.Equal(SandboxTokenState.Valid, (await _kit.Sandbox.Accounts.CheckAccessTokenAsync((await _kit.ReadTokensAsync(owner.OrganizerId, ct)).Access, ct)).State);
        }
    }

    [Fact]
    public async Task RenewAsync_GrantRevoked_RequiresReauthorizationDropsTheTokensAndAlerts()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        await _kit.Sandbox.Accounts.RevokeGrantsAsync(seller.Id, _kit.ClientId, ct);

        var result = await Tokens.RenewAsync(owner.OrganizerId, force: true, ct);

        Assert.Equal(TokenRenewalResult.ReauthorizationRequired, result);
        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal((MercadoPagoLinkStatus.RequiresReauthorization, "invalid_grant"), (link.Status, link.LastErrorCode));
        Assert.Null(link.AccessTokenCiphertext);
        Assert.Null(link.RefreshTokenCiphertext);
        Assert.Null(link.RenewalDueAt);
        Assert.Null(link.RenewalLeaseId);
        var alert = Assert.Single(await _kit.OpenAlertsAsync(owner.OrganizerId, ct));
        Assert.Equal((AlertKinds.ReauthorizationRequired, AlertSeverity.Critical), (alert.Kind, alert.Severity));
        var view = await _portal.GetRequiredService<IMercadoPagoLinking>().GetLinkAsync(owner, ct);
        Assert.Equal(MercadoPagoLinkStatus.RequiresReauthorization, view!.Status);
        var error = await Assert.ThrowsAsync<MercadoPagoLinkUnavailableException>(() => Tokens.GetAccessTokenAsync(owner.OrganizerId, ct));
        Assert.Equal(MercadoPagoLinkStatus.RequiresReauthorization, error.Status);
        Assert.Equal(new TokenRenewalSummary(0, 0, 0, 0), await Tokens.RenewDueAsync(ct));
    }

    [Fact]
    public async Task RenewAsync_MercadoPagoRefusesTheApplication_CountsFailuresKeepsTheTokensAndAlertsOnTheThird()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, _) = await LinkedAsync();
        var stored = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        var misconfigured = _kit.CreateInstance(clientSecret: "not-the-secret").GetRequiredService<IMercadoPagoTokenService>();

        Assert.Equal(TokenRenewalResult.Failed, await misconfigured.RenewAsync(owner.OrganizerId, force: true, ct));
        Assert.Equal(TokenRenewalResult.Failed, await misconfigured.RenewAsync(owner.OrganizerId, force: true, ct));
        var afterTwo = await _kit.OpenAlertsAsync(owner.OrganizerId, ct);
        Assert.Equal(TokenRenewalResult.Failed, await misconfigured.RenewAsync(owner.OrganizerId, force: true, ct));

        Assert.Empty(afterTwo);
        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal((MercadoPagoLinkStatus.Active, 3, "invalid_client"), (link.Status, link.RenewalFailures, link.LastErrorCode));
        Assert.Equal((stored.AccessTokenCiphertext, stored.RefreshTokenCiphertext, stored.Version), (link.AccessTokenCiphertext, link.RefreshTokenCiphertext, link.Version));
        Assert.Null(link.RenewalLeaseId);
        var alert = Assert.Single(await _kit.OpenAlertsAsync(owner.OrganizerId, ct));
        Assert.Equal(AlertKinds.RenewalFailing, alert.Kind);

        Assert.Equal(TokenRenewalResult.Renewed, await Tokens.RenewAsync(owner.OrganizerId, force: true, ct));
        var renewed = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal((0, (string?)null), (renewed.RenewalFailures, renewed.LastErrorCode));
        Assert.Empty(await _kit.OpenAlertsAsync(owner.OrganizerId, ct));
    }

    [Fact]
    public async Task SellerApi_AccessTokenExpiredAtMercadoPago_RenewsOnceAndTheCallSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        await _kit.Sandbox.Accounts.ExpireAccessTokensAsync(seller.Id, ct);
        var calls = 0;

        var me = await _portal.GetRequiredService<IMercadoPagoSellerApi>().ExecuteAsync(owner.OrganizerId, (api, token, c) =>
        {
            calls++;
            return api.GetCurrentUserAsync(token, c);
        }, ct);

        Assert.Equal(seller.Id, me.Id);
        Assert.Equal(2, calls);
        Assert.Equal(2, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
        Assert.Equal(2, (await _kit.ReadLinkAsync(owner.OrganizerId, ct)).Version);
    }

    [Fact]
    public async Task SellerApi_RefusedAgainAfterRenewing_PropagatesTheSecondFailure()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        var calls = 0;

        var error = await Assert.ThrowsAsync<MercadoPagoApiException>(() => _portal.GetRequiredService<IMercadoPagoSellerApi>().ExecuteAsync(owner.OrganizerId, (api, _, c) =>
        {
            calls++;
            return api.GetCurrentUserAsync("APP_USR-not-a-token", c);
        }, ct));

        Assert.Equal(MercadoPagoErrorKind.Unauthorized, error.Error.Kind);
        Assert.Equal(2, calls);
        Assert.Equal(2, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "refresh", ct));
    }

    [Fact]
    public async Task SellerApi_GrantRevokedAtMercadoPago_EndsWithTheLinkUnavailable()
    {
        var ct = TestContext.Current.CancellationToken;
        var (owner, seller) = await LinkedAsync();
        await _kit.Sandbox.Accounts.RevokeGrantsAsync(seller.Id, _kit.ClientId, ct);

        var error = await Assert.ThrowsAsync<MercadoPagoLinkUnavailableException>(() => _portal.GetRequiredService<IMercadoPagoSellerApi>()
            .ExecuteAsync(owner.OrganizerId, (api, token, c) => api.GetCurrentUserAsync(token, c), ct));

        Assert.Equal(MercadoPagoLinkStatus.RequiresReauthorization, error.Status);
        Assert.Single(await _kit.OpenAlertsAsync(owner.OrganizerId, ct));
    }

    private async Task<(OrganizerAccess Owner, SandboxSeller Seller)> LinkedAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var completion = await LinkingTestKit.LinkAsync(_portal.GetRequiredService<IMercadoPagoLinking>(), owner, seller.Id, ct);
        Assert.True(completion.Succeeded, completion.Message);
        return (owner, seller);
    }

    private async Task SetAsync(int organizerId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<MercadoPagoLink>> setters)
    {
        await using var db = _kit.Database.CreateContext();
        await db.MercadoPagoLinks.Where(l => l.OrganizerId == organizerId).ExecuteUpdateAsync(setters, TestContext.Current.CancellationToken);
    }
}
