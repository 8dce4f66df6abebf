using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BillingPortal.Tests.Components.Localization;

/// <summary>The culture switch over real HTTP on loopback (Kestrel), against the whole portal on a temporary SQLite file.</summary>
public sealed class CultureEndpointTests(CultureEndpointTests.PortalFactory factory) : IClassFixture<CultureEndpointTests.PortalFactory>
{
    private const string CultureCookie = ".AspNetCore.Culture";

    private HttpClient Client()
    {
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(new Uri(address).Host)), address);
        return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
    }

    [Theory]
    [InlineData("en-US", "/resumen?org=1&desde=2026-03-01&hasta=2026-03-31")]
    [InlineData("es-PE", "/")]
    [InlineData("EN-us", "/resumen")]
    public async Task Culture_SupportedCultureAndLocalUri_SetsCookieAndRedirects(string culture, string redirectUri)
    {
        using var client = Client();

        using var response = await client.GetAsync(
            $"/culture?culture={Uri.EscapeDataString(culture)}&redirectUri={Uri.EscapeDataString(redirectUri)}",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(redirectUri, response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var expected = culture.Equals("es-PE", StringComparison.OrdinalIgnoreCase) ? "es-PE" : "en-US";
        Assert.StartsWith($"{CultureCookie}={Uri.EscapeDataString($"c={expected}|uic={expected}")};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example/resumen")]
    [InlineData("//evil.example/resumen")]
    [InlineData("/\\evil.example/resumen")]
    [InlineData("http:/evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("~//evil.example")]
    [InlineData("/resumen\r\nLocation: https://evil.example")]
    public async Task Culture_NonLocalRedirectUri_IsRefusedWithoutCookie(string redirectUri)
    {
        using var client = Client();

        using var response = await client.GetAsync(
            $"/culture?culture=en-US&redirectUri={Uri.EscapeDataString(redirectUri)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("redirectUri", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("es")]
    [InlineData("")]
    public async Task Culture_UnsupportedCulture_IsRefused(string culture)
    {
        using var client = Client();

        using var response = await client.GetAsync(
            $"/culture?culture={Uri.EscapeDataString(culture)}&redirectUri=%2F", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Page_WithoutCookie_SpeaksSpanishWhateverTheBrowserAsks()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/not-found");
        request.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Contains("<html lang=\"es-PE\">", html, StringComparison.Ordinal);
        Assert.Contains("Página no encontrada", html, StringComparison.Ordinal);
        Assert.Contains("Estados de cuenta", html, StringComparison.Ordinal);
        Assert.Contains("Reconectando con el servidor", html, StringComparison.Ordinal);
        Assert.Contains("Se produjo un error inesperado.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.googleapis", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithEnglishCookie_SpeaksEnglish()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/not-found");
        request.Headers.Add("Cookie", $"{CultureCookie}={Uri.EscapeDataString("c=en-US|uic=en-US")}");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Contains("<html lang=\"en-US\">", html, StringComparison.Ordinal);
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
        Assert.Contains("Statements", html, StringComparison.Ordinal);
    }

    /// <summary>The whole portal on Kestrel (loopback, dynamic port), Testing environment, on its own SQLite folder.</summary>
    public sealed class PortalFactory : WebApplicationFactory<Program>
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "billingportal-tests", Guid.NewGuid().ToString("N"));

        public PortalFactory() => UseKestrel(0);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Database:DataDirectory", _directory);
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("Serilog:WriteTo:File:Args:path", Path.Combine(_directory, "logs", "portal-.json"));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS temp cleaner if a file is still held.
            }
        }
    }
}
