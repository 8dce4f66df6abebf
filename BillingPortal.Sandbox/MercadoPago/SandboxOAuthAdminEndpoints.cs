using System.Text.Json;
using System.Text.Json.Serialization;
using BillingPortal.Core.MercadoPago.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.MercadoPago;

/// <summary>
/// The OAuth part of the admin surface (tests and the demo; never part of the real API), JSON in snake_case:
/// <list type="bullet">
/// <item><c>GET {prefix}/_admin/sellers</c>, <c>GET {prefix}/_admin/sellers/{id}</c>: the sandbox sellers.</item>
/// <item><c>POST {prefix}/_admin/sellers</c> (body with <c>id</c>), <c>PUT {prefix}/_admin/sellers/{id}</c>: add or update one.</item>
/// <item><c>GET {prefix}/_admin/oauth/application</c>: the emulated application (client id, redirect URLs, PKCE; never the secret).</item>
/// <item><c>POST {prefix}/_admin/oauth/tokens</c> <c>{"seller_id":…}</c>: a token pair for the seller without the consent (the §2.4 shape).</item>
/// <item><c>GET {prefix}/_admin/oauth/sellers/{id}</c>: how many codes, access and refresh tokens were issued for the seller.</item>
/// <item><c>POST {prefix}/_admin/oauth/sellers/{id}/deauthorize</c>: the seller unlinks the application (grants and their
/// tokens revoked; an <c>mp-connect</c> <c>application.deauthorized</c> notification queued when a grant was open).</item>
/// <item><c>POST {prefix}/_admin/oauth/sellers/{id}/expire-access-tokens</c>: the seller's access tokens expire now (refresh tokens still work).</item>
/// </list>
/// </summary>
public static class SandboxOAuthAdminEndpoints
{
    private static readonly JsonSerializerOptions AdminJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Map(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/_admin/sellers", async (SandboxAccounts accounts, CancellationToken ct) =>
            Results.Json((await accounts.ListSellersAsync(ct)).Select(SellerBody.From), AdminJson));
        group.MapGet("/_admin/sellers/{id:long}", async (long id, SandboxAccounts accounts, CancellationToken ct) =>
            await accounts.GetSellerAsync(id, ct) is { } seller ? Results.Json(SellerBody.From(seller), AdminJson) : SellerNotFound());
        group.MapPost("/_admin/sellers", (HttpContext context, SandboxAccounts accounts, CancellationToken ct) => UpsertSellerAsync(context, null, accounts, ct));
        group.MapPut("/_admin/sellers/{id:long}", (long id, HttpContext context, SandboxAccounts accounts, CancellationToken ct) => UpsertSellerAsync(context, id, accounts, ct));

        group.MapGet("/_admin/oauth/application", (IOptions<MercadoPagoSandboxOptions> options) => Results.Json(new ApplicationBody(
            options.Value.ClientId,
            options.Value.ApplicationName,
            options.Value.RedirectUris,
            options.Value.RequirePkce,
            options.Value.AllowPlainPkce,
            (long)options.Value.AuthorizationCodeLifetime.TotalSeconds,
            (long)options.Value.AccessTokenLifetime.TotalSeconds), AdminJson));
        group.MapPost("/_admin/oauth/tokens", IssueTokensAsync);
        group.MapGet("/_admin/oauth/sellers/{id:long}", async (long id, SandboxAccounts accounts, CancellationToken ct) =>
            await accounts.GetSellerAsync(id, ct) is null
                ? SellerNotFound()
                : Results.Json(new TokenCountsBody(
                    id,
                    await accounts.CountTokensAsync(id, "code", ct),
                    await accounts.CountTokensAsync(id, "access", ct),
                    await accounts.CountTokensAsync(id, "refresh", ct)), AdminJson));
        group.MapPost("/_admin/oauth/sellers/{id:long}/deauthorize", DeauthorizeAsync);
        group.MapPost("/_admin/oauth/sellers/{id:long}/expire-access-tokens", async (long id, SandboxAccounts accounts, CancellationToken ct) =>
            Results.Json(new ExpiredBody(id, await accounts.ExpireAccessTokensAsync(id, ct)), AdminJson));
    }

    private static async Task<IResult> UpsertSellerAsync(HttpContext context, long? routeId, SandboxAccounts accounts, CancellationToken cancellationToken)
    {
        SellerBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SellerBody>(context.Request.Body, AdminJson, cancellationToken);
        }
        catch (JsonException)
        {
            return BadRequest("The body must be a JSON seller: {\"id\",\"nickname\",\"email\",\"first_name\",\"last_name\",\"legal_name\"}.");
        }

        var id = routeId ?? body?.Id ?? 0;
        if (body is null || id <= 0 || (routeId is not null && body.Id is { } bodyId && bodyId != routeId))
            return BadRequest("id must be a positive number (and match the route's).");
        if (string.IsNullOrWhiteSpace(body.Nickname) || string.IsNullOrWhiteSpace(body.Email))
            return BadRequest("nickname and email are required.");

        var seller = new SandboxSeller(id, body.Nickname, body.Email, body.FirstName ?? "", body.LastName ?? "", body.LegalName ?? body.Nickname)
        {
            SiteId = body.SiteId ?? "MPE",
            CountryId = body.CountryId ?? "PE",
            PublicKey = body.PublicKey ?? SandboxAccounts.PublicKeyFor(id),
        };
        await accounts.UpsertSellerAsync(seller, cancellationToken);
        return Results.Json(SellerBody.From(seller), AdminJson);
    }

    private static async Task<IResult> IssueTokensAsync(
        HttpContext context, IOptions<MercadoPagoSandboxOptions> options, SandboxAccounts accounts, CancellationToken cancellationToken)
    {
        IssueBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<IssueBody>(context.Request.Body, AdminJson, cancellationToken);
        }
        catch (JsonException)
        {
            return BadRequest("The body must be {\"seller_id\": <number>}.");
        }

        if (body?.SellerId is not > 0) return BadRequest("seller_id is required.");
        var seller = await accounts.GetSellerAsync(body.SellerId.Value, cancellationToken);
        if (seller is null) return SellerNotFound();
        var tokens = await accounts.IssueTokensAsync(seller.Id, options.Value.ClientId, options.Value.AccessTokenLifetime, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return SandboxOAuthEndpoints.TokenResult(context, options.Value, tokens, seller);
    }

    private static async Task<IResult> DeauthorizeAsync(
        long id, HttpContext context, IOptions<MercadoPagoSandboxOptions> options, SandboxAccounts accounts, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await accounts.GetSellerAsync(id, cancellationToken) is null) return SellerNotFound();
        var revoked = await accounts.RevokeGrantsAsync(id, options.Value.ClientId, cancellationToken);
        var notification = revoked > 0
            ? await SandboxOAuthEndpoints.NotifyAsync(context, loggers, id, MercadoPagoNotificationTypes.ApplicationDeauthorized, cancellationToken)
            : null;
        return Results.Json(new DeauthorizedBody(id, revoked, notification), AdminJson);
    }

    private static IResult BadRequest(string message) => SandboxErrors.Error(400, "bad_request", message);

    private static IResult SellerNotFound() => SandboxErrors.Error(404, "not_found", "Seller not found");

    private sealed record SellerBody(
        long? Id, string Nickname, string Email, string? FirstName, string? LastName, string? LegalName, string? SiteId, string? CountryId, string? PublicKey)
    {
        public static SellerBody From(SandboxSeller s) =>
            new(s.Id, s.Nickname, s.Email, s.FirstName, s.LastName, s.LegalName, s.SiteId, s.CountryId, s.PublicKey);
    }

    private sealed record IssueBody(long? SellerId);

    private sealed record ApplicationBody(
        string ClientId, string Name, IReadOnlyList<string> RedirectUris, bool RequirePkce, bool AllowPlainPkce, long AuthorizationCodeLifetimeSeconds, long AccessTokenLifetimeSeconds);

    private sealed record TokenCountsBody(long SellerId, int Codes, int AccessTokens, int RefreshTokens);

    private sealed record ExpiredBody(long SellerId, int ExpiredAccessTokens);

    private sealed record DeauthorizedBody(long SellerId, int RevokedGrants, string? NotificationId);
}
