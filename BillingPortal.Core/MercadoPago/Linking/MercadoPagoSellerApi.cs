using Microsoft.Extensions.Logging;

namespace BillingPortal.Core.MercadoPago.Linking;

/// <summary>
/// <see cref="IMercadoPagoSellerApi"/>: gets the organizer's access token (renewed first when it is about to expire),
/// makes the call, and when Mercado Pago refuses the token (<see cref="MercadoPagoErrorKind.Unauthorized"/>) renews once
/// (unless another caller already did) and retries once; a second failure propagates.
/// </summary>
public sealed class MercadoPagoSellerApi(MercadoPagoTokenService tokens, IMercadoPagoApiClient api, ILogger<MercadoPagoSellerApi> logger) : IMercadoPagoSellerApi
{
    public async Task<T> ExecuteAsync<T>(int organizerId, Func<IMercadoPagoApiClient, string, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var (token, version) = await tokens.GetTokenAsync(organizerId, cancellationToken);
        try
        {
            return await call(api, token, cancellationToken);
        }
        catch (MercadoPagoApiException e) when (e.Error.Kind == MercadoPagoErrorKind.Unauthorized)
        {
            logger.LogWarning("Mercado Pago refused the access token of organizer {OrganizerId} (request {RequestId}); renewing once and retrying", organizerId, e.Error.RequestId);
        }

        var renewal = await tokens.RenewAfterRefusalAsync(organizerId, version, cancellationToken);
        logger.LogInformation("Mercado Pago token renewal of organizer {OrganizerId} after a refused call: {Outcome}", organizerId, renewal);
        (token, _) = await tokens.GetTokenAsync(organizerId, cancellationToken);
        return await call(api, token, cancellationToken);
    }
}
