using System.Globalization;
using BillingPortal.Core.Alerts;
using BillingPortal.Core.Auditing;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Sandbox.MercadoPago;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Integration.MercadoPago.Linking;

/// <summary>
/// <see cref="MercadoPagoLinkingService"/> end to end: our OAuth and API clients against the emulator on loopback
/// (its real consent page, token endpoint and <c>/users/me</c>), over a real SQLite file.
/// </summary>
public sealed class MercadoPagoLinkingTests : IAsyncLifetime
{
    private LinkingTestKit _kit = null!;
    private ServiceProvider _portal = null!;
    private IMercadoPagoLinking _linking = null!;

    public async ValueTask InitializeAsync()
    {
        _kit = await LinkingTestKit.StartAsync(TestContext.Current.CancellationToken);
        _portal = _kit.CreateInstance();
        _linking = _portal.GetRequiredService<IMercadoPagoLinking>();
    }

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task StartAuthorizationAsync_Owner_PointsAtTheConsentPageWithStateAndS256Challenge()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);

        var url = await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct);

        Assert.Equal(_kit.Sandbox.AuthorizationEndpoint.GetLeftPart(UriPartial.Path), url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(_kit.ClientId, query["client_id"].ToString());
        Assert.Equal(("code", "mp", "S256"), (query["response_type"].ToString(), query["platform_id"].ToString(), query["code_challenge_method"].ToString()));
        Assert.Equal(LinkingTestKit.Callback, query["redirect_uri"].ToString());
        var state = query["state"].ToString();
        Assert.Equal(43, state.Length);
        await using var db = _kit.Database.CreateContext();
        var request = await db.MercadoPagoAuthorizationRequests.AsNoTracking().SingleAsync(ct);
        Assert.Equal(MercadoPagoLinkingService.HashState(state), request.StateHash);
        Assert.DoesNotContain(state, request.StateHash + request.CodeVerifierCiphertext, StringComparison.Ordinal);
        Assert.StartsWith(LinkingTestKit.KeyId + ".", request.CodeVerifierCiphertext, StringComparison.Ordinal);
        Assert.Equal((owner.OrganizerId, owner.UserId!.Value, LinkingTestKit.Callback), (request.OrganizerId, request.UserId, request.RedirectUri));
        Assert.Equal(TimeSpan.FromMinutes(15), request.ExpiresAt - request.CreatedAt);
    }

    [Fact]
    public async Task StartAuthorizationAsync_Viewer_IsRefusedAndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var viewer = await _kit.NewOrganizerAsync(OrganizerRole.Viewer, ct);
        var apiKey = viewer with { Role = OrganizerRole.Owner, UserId = null, Actor = "api-key:bp_x" };

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _linking.StartAuthorizationAsync(viewer, LinkingTestKit.Callback, ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _linking.StartAuthorizationAsync(apiKey, LinkingTestKit.Callback, ct));

        await using var db = _kit.Database.CreateContext();
        Assert.Equal(0, await db.MercadoPagoAuthorizationRequests.CountAsync(ct));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_CodeFromTheConsentPage_StoresAnActiveLinkWithEncryptedTokens()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);

        var completion = await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct);

        Assert.True(completion.Succeeded, completion.Message);
        Assert.Equal(owner.OrganizerId, completion.OrganizerId);
        Assert.Contains(seller.Nickname, completion.Message, StringComparison.Ordinal);
        var view = await _linking.GetLinkAsync(owner, ct);
        Assert.NotNull(view);
        Assert.Equal((MercadoPagoLinkStatus.Active, seller.Id, seller.Nickname), (view.Status, view.MercadoPagoUserId, view.AccountNickname));
        Assert.Equal(SandboxAccounts.PublicKeyFor(seller.Id), view.PublicKey);
        Assert.Contains("offline_access", view.Scopes, StringComparison.Ordinal);
        Assert.NotNull(view.AccessTokenExpiresAt);
        Assert.Equal(view.AccessTokenExpiresAt!.Value - TimeSpan.FromDays(30), view.RenewalDueAt);
        Assert.Equal((0, (string?)null), (view.RenewalFailures, view.LastErrorCode));

        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal((owner.UserId, 1), (link.LinkedByUserId, link.Version));
        var (access, refresh) = await _kit.ReadTokensAsync(owner.OrganizerId, ct);
        Assert.StartsWith("APP_USR-", access, StringComparison.Ordinal);
        Assert.StartsWith("TG-", refresh, StringComparison.Ordinal);
        Assert.DoesNotContain(access, link.AccessTokenCiphertext!, StringComparison.Ordinal);
        Assert.Equal(SandboxTokenState.Valid, (await _kit.Sandbox.Accounts.CheckAccessTokenAsync(access, ct)).State);

        await using var db = _kit.Database.CreateContext();
        Assert.Equal(seller.Id, await db.Organizers.Where(o => o.Id == owner.OrganizerId).Select(o => o.MercadoPagoUserId).SingleAsync(ct));
        var audit = await db.AuditLog.AsNoTracking().SingleAsync(a => a.OrganizerId == owner.OrganizerId, ct);
        Assert.Equal((AuditAction.MercadoPagoLinked, owner.UserId, owner.Actor), (audit.Action, audit.ActorUserId, audit.Actor));
        Assert.Equal("mercadopago:" + seller.Id.ToString(CultureInfo.InvariantCulture), audit.Target);
        Assert.DoesNotContain(access, audit.Detail + audit.Target, StringComparison.Ordinal);
        Assert.True((await db.MercadoPagoAuthorizationRequests.AsNoTracking().SingleAsync(ct)).ConsumedAt is not null);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_LinkedToken_WorksThroughTheSellerApi()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        Assert.True((await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct)).Succeeded);

        var me = await _portal.GetRequiredService<IMercadoPagoSellerApi>().ExecuteAsync(owner.OrganizerId, (api, token, c) => api.GetCurrentUserAsync(token, c), ct);

        Assert.Equal((seller.Id, seller.Nickname), (me.Id, me.Nickname));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_TamperedState_IsInvalidStateAndLinksNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var callback = await LinkingTestKit.ConsentAsync(await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);
        var tampered = (callback.State![0] == 'A' ? "B" : "A") + callback.State[1..];

        var completion = await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, tampered, null, AuditOrigin.None, ct);
        var missing = await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, null, null, AuditOrigin.None, ct);

        Assert.Equal((LinkOutcome.InvalidState, (int?)null), (completion.Outcome, completion.OrganizerId));
        Assert.Equal(LinkOutcome.InvalidState, missing.Outcome);
        Assert.Contains("no es válido", completion.Message, StringComparison.Ordinal);
        Assert.Null(await _linking.GetLinkAsync(owner, ct));
        Assert.Equal(0, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "access", ct));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_ReplayedCallback_IsStateAlreadyUsedAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var callback = await LinkingTestKit.ConsentAsync(await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);
        Assert.True((await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct)).Succeeded);
        var before = await _kit.ReadLinkAsync(owner.OrganizerId, ct);

        var replay = await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct);

        Assert.Equal((LinkOutcome.StateAlreadyUsed, owner.OrganizerId), (replay.Outcome, replay.OrganizerId));
        var after = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal((before.Version, before.AccessTokenCiphertext), (after.Version, after.AccessTokenCiphertext));
        Assert.Equal(1, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "access", ct));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_TwoCallbacksWithOneStateAtOnce_OnlyOneExchangesTheCode()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var callback = await LinkingTestKit.ConsentAsync(await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);
        var second = _kit.CreateInstance().GetRequiredService<IMercadoPagoLinking>();

        var results = await Task.WhenAll(
            Task.Run(() => _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct), ct),
            Task.Run(() => second.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct), ct));

        Assert.Single(results, r => r.Outcome == LinkOutcome.Linked);
        Assert.Single(results, r => r.Outcome == LinkOutcome.StateAlreadyUsed);
        Assert.Equal(1, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "access", ct));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_AfterTheLifetime_IsStateExpired()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var linking = LinkingTestKit.Linking(_portal, time);
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var callback = await LinkingTestKit.ConsentAsync(await linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);

        time.Advance(TimeSpan.FromMinutes(15));
        var completion = await linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct);

        Assert.Equal((LinkOutcome.StateExpired, owner.OrganizerId), (completion.Outcome, completion.OrganizerId));
        Assert.Contains("venció", completion.Message, StringComparison.Ordinal);
        Assert.Null(await linking.GetLinkAsync(owner, ct));
        Assert.Equal(0, await _kit.Sandbox.Accounts.CountTokensAsync(seller.Id, "access", ct));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_JustBeforeTheLifetime_Links()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var linking = LinkingTestKit.Linking(_portal, time);
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var callback = await LinkingTestKit.ConsentAsync(await linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);

        time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var completion = await linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct);

        Assert.Equal(LinkOutcome.Linked, completion.Outcome);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_AnotherUsersSession_IsWrongUserAndTheOwnerCanStillFinish()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var otherOwner = await _kit.AddMemberAsync(owner.OrganizerId, OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var callback = await LinkingTestKit.ConsentAsync(await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);

        var wrong = await _linking.CompleteAuthorizationAsync(otherOwner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct);
        var right = await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, null, AuditOrigin.None, ct);

        Assert.Equal((LinkOutcome.WrongUser, owner.OrganizerId), (wrong.Outcome, wrong.OrganizerId));
        Assert.Contains("otro usuario", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(LinkOutcome.Linked, right.Outcome);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_SellerDenied_IsDeniedAndTheStateIsUsedUp()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var callback = await LinkingTestKit.ConsentAsync(await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: false, ct);

        var denied = await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, callback.Error, AuditOrigin.None, ct);
        var again = await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, callback.Code, callback.State, callback.Error, AuditOrigin.None, ct);

        Assert.Equal("access_denied", callback.Error);
        Assert.Null(callback.Code);
        Assert.Equal((LinkOutcome.Denied, owner.OrganizerId), (denied.Outcome, denied.OrganizerId));
        Assert.Contains("No se autorizó", denied.Message, StringComparison.Ordinal);
        Assert.Equal(LinkOutcome.StateAlreadyUsed, again.Outcome);
        Assert.Null(await _linking.GetLinkAsync(owner, ct));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_CodeAlreadyRedeemed_IsInvalidGrant()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        var first = await LinkingTestKit.ConsentAsync(await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);
        Assert.True((await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, first.Code, first.State, null, AuditOrigin.None, ct)).Succeeded);
        var second = await LinkingTestKit.ConsentAsync(await _linking.StartAuthorizationAsync(owner, LinkingTestKit.Callback, ct), seller.Id, allow: true, ct);

        // The first, already redeemed code with the second attempt's state (and so its PKCE verifier).
        var completion = await _linking.CompleteAuthorizationAsync(owner.UserId!.Value, first.Code, second.State, null, AuditOrigin.None, ct);

        Assert.Equal((LinkOutcome.InvalidGrant, owner.OrganizerId), (completion.Outcome, completion.OrganizerId));
        Assert.Contains("rechazó el código", completion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_SellerAlreadyLinkedToAnotherOrganizer_IsAccountMismatch()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var second = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        Assert.True((await LinkingTestKit.LinkAsync(_linking, first, seller.Id, ct)).Succeeded);

        var completion = await LinkingTestKit.LinkAsync(_linking, second, seller.Id, ct);

        Assert.Equal((LinkOutcome.AccountMismatch, second.OrganizerId), (completion.Outcome, completion.OrganizerId));
        Assert.Contains("no corresponde a este organizador", completion.Message, StringComparison.Ordinal);
        Assert.Null(await _linking.GetLinkAsync(second, ct));
        await using var db = _kit.Database.CreateContext();
        Assert.Null(await db.Organizers.Where(o => o.Id == second.OrganizerId).Select(o => o.MercadoPagoUserId).SingleAsync(ct));
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_OtherAccountThanTheRegisteredOne_IsAccountMismatch()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var registered = await _kit.NewSellerAsync(ct);
        var other = await _kit.NewSellerAsync(ct);
        await using (var db = _kit.Database.CreateContext())
        {
            await db.Organizers.Where(o => o.Id == owner.OrganizerId).ExecuteUpdateAsync(s => s.SetProperty(o => o.MercadoPagoUserId, registered.Id), ct);
        }

        var wrong = await LinkingTestKit.LinkAsync(_linking, owner, other.Id, ct);
        var right = await LinkingTestKit.LinkAsync(_linking, owner, registered.Id, ct);

        Assert.Equal(LinkOutcome.AccountMismatch, wrong.Outcome);
        Assert.Equal(LinkOutcome.Linked, right.Outcome);
    }

    [Fact]
    public async Task CompleteAuthorizationAsync_Relink_ReplacesTheTokensAndResolvesTheLinksAlerts()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        Assert.True((await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct)).Succeeded);
        var (firstAccess, _) = await _kit.ReadTokensAsync(owner.OrganizerId, ct);
        var alerts = _portal.GetRequiredService<IAdminAlerts>();
        await alerts.RaiseAsync(AlertKinds.ReauthorizationRequired, AdminAlerts.KeyFor(AlertKinds.ReauthorizationRequired, owner.OrganizerId),
            AlertSeverity.Critical, owner.OrganizerId, "Reautorizar", null, ct);

        Assert.True((await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct)).Succeeded);

        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        var (secondAccess, _) = await _kit.ReadTokensAsync(owner.OrganizerId, ct);
        Assert.NotEqual(firstAccess, secondAccess);
        Assert.Equal(2, link.Version);
        Assert.Empty(await _kit.OpenAlertsAsync(owner.OrganizerId, ct));
        await using var db = _kit.Database.CreateContext();
        Assert.Equal(1, await db.MercadoPagoLinks.CountAsync(l => l.OrganizerId == owner.OrganizerId, ct));
    }

    [Fact]
    public async Task DisconnectAsync_Owner_RemovesTheTokensAndAudits()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        Assert.True((await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct)).Succeeded);

        await _linking.DisconnectAsync(owner, new AuditOrigin("203.0.113.9", "prueba"), ct);

        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal(MercadoPagoLinkStatus.Disconnected, link.Status);
        Assert.Null(link.AccessTokenCiphertext);
        Assert.Null(link.RefreshTokenCiphertext);
        Assert.Null(link.RenewalDueAt);
        var error = await Assert.ThrowsAsync<MercadoPagoLinkUnavailableException>(() => _portal.GetRequiredService<IMercadoPagoTokenService>().GetAccessTokenAsync(owner.OrganizerId, ct));
        Assert.Equal(MercadoPagoLinkStatus.Disconnected, error.Status);
        await using var db = _kit.Database.CreateContext();
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.OrganizerId == owner.OrganizerId).OrderBy(a => a.Id).ToListAsync(ct);
        Assert.Equal([AuditAction.MercadoPagoLinked, AuditAction.MercadoPagoUnlinked], audit.Select(a => a.Action));
        Assert.Equal((owner.Actor, "203.0.113.9"), (audit[1].Actor, audit[1].IpAddress));
    }

    [Fact]
    public async Task DisconnectAsync_Viewer_IsRefusedAndTheLinkStays()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var viewer = await _kit.AddMemberAsync(owner.OrganizerId, OrganizerRole.Viewer, ct);
        var seller = await _kit.NewSellerAsync(ct);
        Assert.True((await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct)).Succeeded);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _linking.DisconnectAsync(viewer, AuditOrigin.None, ct));

        Assert.Equal(MercadoPagoLinkStatus.Active, (await _linking.GetLinkAsync(viewer, ct))!.Status);
    }

    [Fact]
    public async Task HandleConnectNotificationAsync_Deauthorized_RevokesTheLinkAuditsAndAlerts()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        Assert.True((await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct)).Succeeded);

        var handled = await _linking.HandleConnectNotificationAsync(seller.Id, "application.deauthorized", ct);
        var again = await _linking.HandleConnectNotificationAsync(seller.Id, "application.deauthorized", ct);

        Assert.True(handled);
        Assert.False(again);
        var link = await _kit.ReadLinkAsync(owner.OrganizerId, ct);
        Assert.Equal(MercadoPagoLinkStatus.Revoked, link.Status);
        Assert.Null(link.AccessTokenCiphertext);
        Assert.Null(link.RefreshTokenCiphertext);
        var alert = Assert.Single(await _kit.OpenAlertsAsync(owner.OrganizerId, ct));
        Assert.Equal((AlertKinds.LinkRevoked, AlertSeverity.Warning), (alert.Kind, alert.Severity));
        await using var db = _kit.Database.CreateContext();
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.OrganizerId == owner.OrganizerId).OrderBy(a => a.Id).LastAsync(ct);
        Assert.Equal((AuditAction.MercadoPagoUnlinked, AuditTrail.PlatformActor, (int?)null), (audit.Action, audit.Actor, audit.ActorUserId));
    }

    [Fact]
    public async Task HandleConnectNotificationAsync_AuthorizedOrUnknownSeller_ChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await _kit.NewOrganizerAsync(OrganizerRole.Owner, ct);
        var seller = await _kit.NewSellerAsync(ct);
        Assert.True((await LinkingTestKit.LinkAsync(_linking, owner, seller.Id, ct)).Succeeded);

        Assert.False(await _linking.HandleConnectNotificationAsync(seller.Id, "application.authorized", ct));
        Assert.False(await _linking.HandleConnectNotificationAsync(seller.Id + 1, "application.deauthorized", ct));

        Assert.Equal(MercadoPagoLinkStatus.Active, (await _kit.ReadLinkAsync(owner.OrganizerId, ct)).Status);
        Assert.Empty(await _kit.OpenAlertsAsync(owner.OrganizerId, ct));
    }
}
