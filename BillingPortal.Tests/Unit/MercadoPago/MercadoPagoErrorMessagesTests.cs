using BillingPortal.Core.MercadoPago;
using BillingPortal.Core.MercadoPago.Contracts;

namespace BillingPortal.Tests.Unit.MercadoPago;

public sealed class MercadoPagoErrorMessagesTests
{
    [Theory]
    [InlineData("9062", "365 días")]
    [InlineData("1000", "demasiados resultados")]
    [InlineData("1001", "fecha")]
    [InlineData("2063", "estado actual")]
    [InlineData("4292", "clave de idempotencia")]
    [InlineData("2000", "no encuentra ese pago")]
    public void Spanish_CommonCauseCodes_ExplainTheCause(string code, string expected)
    {
        var error = new MercadoPagoError(MercadoPagoErrorKind.BadRequest, 400, "bad_request", "x", [new MpErrorCause { Code = code, Description = "x" }], "req-1", null);

        Assert.Contains(expected, MercadoPagoErrorMessages.Spanish(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MercadoPagoErrorKind.InvalidGrant, "vuelva a conectar")]
    [InlineData(MercadoPagoErrorKind.InvalidClient, "administrador")]
    [InlineData(MercadoPagoErrorKind.Unauthorized, "venció o fue revocado")]
    [InlineData(MercadoPagoErrorKind.Forbidden, "permiso")]
    [InlineData(MercadoPagoErrorKind.NotFound, "no encuentra")]
    [InlineData(MercadoPagoErrorKind.BadRequest, "datos no válidos")]
    [InlineData(MercadoPagoErrorKind.Conflict, "no se repitió")]
    [InlineData(MercadoPagoErrorKind.RateLimited, "demasiadas solicitudes")]
    [InlineData(MercadoPagoErrorKind.ServerError, "problema")]
    [InlineData(MercadoPagoErrorKind.Timeout, "no respondió a tiempo")]
    [InlineData(MercadoPagoErrorKind.CircuitOpen, "pausaron")]
    [InlineData(MercadoPagoErrorKind.Network, "No se pudo conectar")]
    [InlineData(MercadoPagoErrorKind.InvalidResponse, "no se pudo leer")]
    public void Spanish_EveryKind_HasItsOwnSentence(MercadoPagoErrorKind kind, string expected)
    {
        var error = new MercadoPagoError(kind, null, null, null, [], null, null);

        Assert.Contains(expected, MercadoPagoErrorMessages.Spanish(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Spanish_EveryKind_Distinct()
    {
        var sentences = Enum.GetValues<MercadoPagoErrorKind>().Select(k => MercadoPagoErrorMessages.Spanish(new MercadoPagoError(k, null, null, null, [], null, null))).ToList();

        Assert.Equal(sentences.Count, sentences.Distinct().Count());
    }

    [Fact]
    public void Spanish_LocalRateLimitedAndRetryAfter_SaySoAndWhen()
    {
        var oauth = new MercadoPagoError(MercadoPagoErrorKind.RateLimited, 429, "local_rate_limited", "x", [], null, null);
        var api = new MercadoPagoError(MercadoPagoErrorKind.RateLimited, 429, null, null, [], null, TimeSpan.FromSeconds(12.2));

        Assert.Contains("autorización", MercadoPagoErrorMessages.Spanish(oauth), StringComparison.Ordinal);
        Assert.Contains("13 segundos", MercadoPagoErrorMessages.Spanish(api), StringComparison.Ordinal);
    }

    [Fact]
    public void Spanish_InvalidGrantFromTheParserShape_AsksToReconnect()
    {
        var error = new MercadoPagoError(MercadoPagoErrorKind.InvalidGrant, 400, "invalid_grant", "Error validating grant.", [], null, null);

        Assert.StartsWith("La autorización de Mercado Pago venció", MercadoPagoErrorMessages.Spanish(error), StringComparison.Ordinal);
    }
}
