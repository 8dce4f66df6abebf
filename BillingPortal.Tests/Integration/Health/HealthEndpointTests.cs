using System.Net;
using BillingPortal.Tests.Infrastructure;

namespace BillingPortal.Tests.Integration.Health;

public sealed class HealthEndpointTests(BillingPortalFactory factory) : IClassFixture<BillingPortalFactory>
{
    [Fact]
    public async Task Live_RunningPortal_Returns200()
    {
        using var client = factory.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Ready_MigratedDatabase_Returns200()
    {
        using var client = factory.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(File.Exists(factory.DatabaseFilePath), "the portal must use the factory's own SQLite file");
        Assert.True(client.BaseAddress!.IsLoopback, $"expected a real loopback server, got {client.BaseAddress}");
    }
}
