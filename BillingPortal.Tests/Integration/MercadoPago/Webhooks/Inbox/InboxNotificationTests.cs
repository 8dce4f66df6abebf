using System.Text;
using BillingPortal.Core.MercadoPago.Webhooks;

namespace BillingPortal.Tests.Integration.MercadoPago.Webhooks.Inbox;

/// <summary>What the inbox keeps of a notification, and which requests are malformed (mercadopago-api.md §5.2, §5.6).</summary>
public sealed class InboxNotificationTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 14, 23, 2, 41, TimeSpan.Zero);

    [Fact]
    public void TryCreate_WebhookWithBody_KeysOnNotificationIdAndKeepsSellerActionAndDate()
    {
        var ok = InboxNotification.TryCreate("999999999", "payment", Body("""{"id":12345,"live_mode":true,"type":"payment","date_created":"2015-03-25T10:04:58.396-04:00","user_id":44444,"api_version":"v1","action":"payment.created","data":{"id":"999999999"}}"""),
            false, "req-1", Received, out var n, out var invalid);

        Assert.True(ok, invalid);
        Assert.Equal("id:12345", n!.DedupKey);
        Assert.Equal("payment", n.Topic);
        Assert.Equal("payment.created", n.Action);
        Assert.Equal("999999999", n.ResourceId);
        Assert.Equal(44444L, n.SellerUserId);
        Assert.True(n.LiveMode);
        Assert.Equal(new DateTimeOffset(2015, 3, 25, 14, 4, 58, 396, TimeSpan.Zero), n.NotifiedAt);
        Assert.Equal("req-1", n.RequestId);
    }

    [Fact]
    public void TryCreate_LegacyIpnWithoutBody_KeysOnTopicResourceAndMinute()
    {
        var ok = InboxNotification.TryCreate("123456789", "payment", [], true, null, Received, out var n, out _);

        Assert.True(ok);
        Assert.Equal("ipn:payment:123456789:202603142302", n!.DedupKey);
        Assert.Null(n.SellerUserId);
        Assert.Null(n.Action);
    }

    [Fact]
    public void TryCreate_LegacyIpnWithUnreadableBody_IgnoresTheBody()
    {
        Assert.True(InboxNotification.TryCreate("5", "merchant_order", Body("topic=merchant_order&id=5"), true, null, Received, out var n, out _));
        Assert.Equal("merchant_order", n!.Topic);
    }

    [Fact]
    public void TryCreate_TopicOnlyInBody_TakesTheBodyType()
    {
        Assert.True(InboxNotification.TryCreate("300100200", null, Body("""{"id":"abc","type":"mp-connect","action":"application.deauthorized","user_id":"300100200","data":{"id":"300100200"}}"""),
            false, null, Received, out var n, out _));
        Assert.Equal("mp-connect", n!.Topic);
        Assert.Equal("id:abc", n.DedupKey);
    }

    [Theory]
    [InlineData(null, "payment", """{"id":1,"type":"payment"}""", "data.id")]
    [InlineData("1", null, """{"id":1,"data":{"id":"1"}}""", "type")]
    [InlineData("1", "payment", "not json", "body")]
    [InlineData("1", "payment", "[1,2]", "body")]
    [InlineData("1", "payment", """{"id":1,"user_id":"abc","data":{"id":"1"}}""", "user_id")]
    [InlineData("1", "payment", """{"id":1,"data":{"id":"2"}}""", "data.id")]
    public void TryCreate_Malformed_NamesTheField(string? dataId, string? topic, string body, string field)
    {
        var ok = InboxNotification.TryCreate(dataId, topic, Body(body), false, null, Received, out var n, out var invalid);

        Assert.False(ok);
        Assert.Null(n);
        Assert.Equal(field, invalid);
    }

    [Fact]
    public void TryCreate_OverlongResourceId_IsMalformed()
    {
        Assert.False(InboxNotification.TryCreate(new string('9', 65), "payment", [], true, null, Received, out _, out var invalid));
        Assert.Equal("data.id", invalid);
    }

    private static byte[] Body(string json) => Encoding.UTF8.GetBytes(json);
}
