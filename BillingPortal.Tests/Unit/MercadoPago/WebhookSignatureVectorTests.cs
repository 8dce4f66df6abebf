using BillingPortal.Core.MercadoPago.Webhooks;

namespace BillingPortal.Tests.Unit.MercadoPago;

/// <summary>The §5.4 vectors (secret <c>your_secret_key_here</c>) and the verification rules of §5.3.</summary>
public sealed class WebhookSignatureVectorTests
{
    private const string Secret = "your_secret_key_here";
    private const string RequestId = "2066ca19-c6f1-498a-be75-1923005edd06";
    private const string LowerId = "ord01jq4s4ky8hwq6na5pxb65b3d3";
    private const string UpperId = "ORD01JQ4S4KY8HWQ6NA5PXB65B3D3";
    private const string Row1 = "633f91233312dd391ec75fa0bea539cfc2d6c4918873305b84a96cc1c58db71c";
    private const string Row2 = "fb15ae6472eb449173c556793205d77787d58f384d183bb5bc3b724c27bd103c";
    private const string Row5 = "a2d8b9f2183063522f01ca8d71f1cf68f92eaeeeb2359d29caaf1a7b424f9ee6";

    private static readonly DateTimeOffset TsMillisInstant = DateTimeOffset.FromUnixTimeMilliseconds(1742505638683);

    [Theory]
    [InlineData(LowerId, RequestId, "1742505638683", "id:ord01jq4s4ky8hwq6na5pxb65b3d3;request-id:2066ca19-c6f1-498a-be75-1923005edd06;ts:1742505638683;", Row1)]
    [InlineData(UpperId, RequestId, "1742505638683", "id:ORD01JQ4S4KY8HWQ6NA5PXB65B3D3;request-id:2066ca19-c6f1-498a-be75-1923005edd06;ts:1742505638683;", Row2)]
    [InlineData(null, RequestId, "1704908010", "request-id:2066ca19-c6f1-498a-be75-1923005edd06;ts:1704908010;", Row5)]
    public void ManifestAndDigest_Section54Rows_MatchExactly(string? dataId, string requestId, string ts, string manifest, string digest)
    {
        Assert.Equal(manifest, MercadoPagoWebhookSignature.Manifest(dataId, requestId, ts));
        Assert.Equal(digest, MercadoPagoWebhookSignature.Digest(Secret, manifest));
    }

    [Fact]
    public void Sign_Row5_IsTheHeaderMercadoPagoSends()
    {
        Assert.Equal("ts=1704908010,v1=" + Row5, MercadoPagoWebhookSignature.Sign(Secret, null, RequestId, 1704908010));
    }

    [Theory]
    [InlineData(LowerId, Row1)]
    [InlineData(UpperId, Row2)]
    public void Verify_Section54Rows_Accepted(string dataId, string digest)
    {
        var header = $"ts=1742505638683,v1={digest}";

        Assert.Equal(WebhookSignatureFailure.None, MercadoPagoWebhookSignature.Verify(header, RequestId, dataId, [Secret], TsMillisInstant, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_Row5WithoutDataId_Accepted()
    {
        Assert.Equal(WebhookSignatureFailure.None,
            MercadoPagoWebhookSignature.Verify("ts=1704908010,v1=" + Row5, RequestId, null, [Secret], DateTimeOffset.FromUnixTimeSeconds(1704908010), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_ForgedDigestOrWrongId_Mismatch()
    {
        var forged = "ts=1742505638683,v1=" + Row1[..^1] + (Row1[^1] == '0' ? '1' : '0');

        Assert.Equal(WebhookSignatureFailure.Mismatch, MercadoPagoWebhookSignature.Verify(forged, RequestId, LowerId, [Secret], TsMillisInstant, null));
        Assert.Equal(WebhookSignatureFailure.Mismatch, MercadoPagoWebhookSignature.Verify("ts=1742505638683,v1=" + Row1, RequestId, "ord01other", [Secret], TsMillisInstant, null));
        Assert.Equal(WebhookSignatureFailure.Mismatch, MercadoPagoWebhookSignature.Verify("ts=1742505638684,v1=" + Row1, RequestId, LowerId, [Secret], TsMillisInstant, null));
        Assert.Equal(WebhookSignatureFailure.Mismatch, MercadoPagoWebhookSignature.Verify("ts=1742505638683,v1=" + Row1, RequestId, LowerId, ["not_the_secret"], TsMillisInstant, null));
    }

    [Fact]
    public void Verify_OutsideTheTolerance_Stale()
    {
        var header = "ts=1704908010,v1=" + Row5;
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1704908010);

        Assert.Equal(WebhookSignatureFailure.Stale, MercadoPagoWebhookSignature.Verify(header, RequestId, null, [Secret], signedAt.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.Equal(WebhookSignatureFailure.Stale, MercadoPagoWebhookSignature.Verify(header, RequestId, null, [Secret], signedAt.AddMinutes(-6), TimeSpan.FromMinutes(5)));
        Assert.Equal(WebhookSignatureFailure.None, MercadoPagoWebhookSignature.Verify(header, RequestId, null, [Secret], signedAt.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.Equal(WebhookSignatureFailure.None, MercadoPagoWebhookSignature.Verify(header, RequestId, null, [Secret], signedAt.AddYears(3), null));
    }

    [Fact]
    public void Verify_MissingRequestId_ThePairIsDropped()
    {
        var header = MercadoPagoWebhookSignature.Sign(Secret, "123456789", null, 1704908010);

        Assert.Equal("id:123456789;ts:1704908010;", MercadoPagoWebhookSignature.Manifest("123456789", null, "1704908010"));
        Assert.Equal(WebhookSignatureFailure.None, MercadoPagoWebhookSignature.Verify(header, null, "123456789", [Secret], DateTimeOffset.FromUnixTimeSeconds(1704908010), null));
        Assert.Equal(WebhookSignatureFailure.None, MercadoPagoWebhookSignature.Verify(header, "", "123456789", [Secret], DateTimeOffset.FromUnixTimeSeconds(1704908010), null));
        Assert.Equal(WebhookSignatureFailure.Mismatch, MercadoPagoWebhookSignature.Verify(header, RequestId, "123456789", [Secret], DateTimeOffset.FromUnixTimeSeconds(1704908010), null));
    }

    [Fact]
    public void Verify_SecondSecretDuringRotation_Accepted()
    {
        Assert.Equal(WebhookSignatureFailure.None,
            MercadoPagoWebhookSignature.Verify("ts=1742505638683,v1=" + Row1, RequestId, LowerId, ["the_new_secret", Secret], TsMillisInstant, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_UppercaseDataIdSignedLowercase_AcceptedByTheFallback()
    {
        Assert.Equal(WebhookSignatureFailure.None,
            MercadoPagoWebhookSignature.Verify("ts=1742505638683,v1=" + Row1, RequestId, UpperId, [Secret], TsMillisInstant, null));
        Assert.Equal(WebhookSignatureFailure.Mismatch,
            MercadoPagoWebhookSignature.Verify("ts=1742505638683,v1=" + Row2, RequestId, LowerId, [Secret], TsMillisInstant, null));
    }

    [Theory]
    [InlineData(null, WebhookSignatureFailure.MissingHeader)]
    [InlineData("", WebhookSignatureFailure.MissingHeader)]
    [InlineData("v1=" + Row1, WebhookSignatureFailure.MalformedHeader)]
    [InlineData("ts=1742505638683", WebhookSignatureFailure.MalformedHeader)]
    [InlineData("ts=1742505638683,v1=zz", WebhookSignatureFailure.MalformedHeader)]
    [InlineData(" TS = 1742505638683 , V1 = " + Row1 + " ", WebhookSignatureFailure.None)]
    public void Verify_HeaderShapes(string? header, WebhookSignatureFailure expected)
    {
        Assert.Equal(expected, MercadoPagoWebhookSignature.Verify(header, RequestId, LowerId, [Secret], TsMillisInstant, null));
    }
}
