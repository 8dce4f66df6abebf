using BillingPortal.Components.Pages.MercadoPago;
using BillingPortal.Core.Identity;
using BillingPortal.Core.MercadoPago.Linking;
using BillingPortal.Core.Organizers;
using BillingPortal.MercadoPago;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.MercadoPago;

/// <summary>
/// The connection page over the real linking service and a real SQLite file: each status of the link as the owner and
/// the viewer see it, the forms that go to the linking endpoints, and the outcome messages of <c>?resultado=</c>.
/// </summary>
public sealed class ConnectionPageTests : MudTestContext
{
    /// <summary>14/03/2026 19:02 in Lima.</summary>
    private static readonly DateTimeOffset LinkedAt = new(2026, 3, 15, 0, 2, 0, TimeSpan.Zero);

    private Organizer _organizer = null!;
    private PortalUser _user = null!;
    private bool _providers;

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task SeedAsync(OrganizerRole role)
    {
        _organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer);
        (_user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, role, "carmen@example.pe", Ct);
        SignIn(_user);
    }

    private async Task<MercadoPagoLink> AddLinkAsync(MercadoPagoLinkStatus status, Action<MercadoPagoLink>? configure = null)
    {
        var link = new MercadoPagoLink
        {
            OrganizerId = _organizer.Id,
            Status = status,
            MercadoPagoUserId = 241983636,
            AccountNickname = "PACIFICOSUR",
            PublicKey = "APP_USR-d0a26210-0000-479f0400869e",
            Scopes = "offline_access read write",
            LiveMode = true,
            LinkedAt = LinkedAt,
            LinkedByUserId = _user.Id,
            AccessTokenExpiresAt = LinkedAt.AddDays(180),
            RenewalDueAt = LinkedAt.AddDays(150),
            StatusChangedAt = LinkedAt,
        };
        configure?.Invoke(link);
        await using var db = Database.CreateContext();
        db.MercadoPagoLinks.Add(link);
        await db.SaveChangesAsync(Ct);
        return link;
    }

    private IRenderedComponent<Connection> RenderPage(string? query = null)
    {
        if (!_providers)
        {
            Render<MudPopoverProvider>();
            Render<MudDialogProvider>();
            Render<MudSnackbarProvider>();
            _providers = true;
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo($"mercadopago?org={_organizer.Id}{query}");
        var cut = Render<Connection>();
        cut.WaitForElement("[data-testid=mercadopago-card]");
        return cut;
    }

    private static string Text(IRenderedComponent<Connection> cut, string testId) => cut.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public async Task Connection_NeverLinked_OwnerSeesSinConectarAndTheConnectForm()
    {
        await SeedAsync(OrganizerRole.Owner);

        var cut = RenderPage();

        Assert.Equal("Sin conectar", Text(cut, "mercadopago-status"));
        Assert.Equal("None", cut.Find("[data-testid=mercadopago-status]").GetAttribute("data-status"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-facts]"));
        var form = cut.Find("form[data-testid=mercadopago-connect-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("mercadopago/conectar", form.GetAttribute("action"));
        Assert.Equal(_organizer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), form.QuerySelector("input[name=organizerId]")!.GetAttribute("value"));
        Assert.Equal("Conectar Mercado Pago", Text(cut, "mercadopago-connect"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-disconnect-form]"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-read-only]"));
    }

    [Fact]
    public async Task Connection_Active_ShowsConectadoTheAccountTheGrantAndTheRenewalsInLima()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddLinkAsync(MercadoPagoLinkStatus.Active, l => l.LastRenewedAt = LinkedAt.AddDays(1));

        var cut = RenderPage();

        Assert.Equal("Conectado", Text(cut, "mercadopago-status"));
        Assert.Equal("PACIFICOSUR", Text(cut, "mercadopago-account-nickname"));
        Assert.Equal("241983636", Text(cut, "mercadopago-account-id"));
        Assert.Equal("Producción (dinero real)", Text(cut, "mercadopago-live-mode"));
        Assert.Equal(["offline_access", "read", "write"], cut.FindAll("[data-testid=mercadopago-scopes] .mud-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal("14/03/2026 19:02", Text(cut, "mercadopago-linked-at"));
        Assert.Equal(_user.DisplayName, Text(cut, "mercadopago-linked-by"));
        Assert.Equal("10/09/2026 19:02", Text(cut, "mercadopago-token-expires"));
        Assert.Equal("15/03/2026 19:02", Text(cut, "mercadopago-last-renewal"));
        Assert.Equal("11/08/2026 19:02", Text(cut, "mercadopago-next-renewal"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-last-error]"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-connect-form]"));
        Assert.Contains("renueva la autorización automáticamente", Text(cut, "mercadopago-status-help"), StringComparison.Ordinal);
        Assert.DoesNotContain("APP_USR", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_Disconnect_AsksForConfirmationBeforeTheFormCanBePosted()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddLinkAsync(MercadoPagoLinkStatus.Active);
        var cut = RenderPage();
        var form = cut.Find("form[data-testid=mercadopago-disconnect-form]");
        Assert.Equal("mercadopago/desconectar", form.GetAttribute("action"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-disconnect-confirm]"));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=mercadopago-disconnect]").Click());

        Assert.Contains("¿Desconectar la cuenta PACIFICOSUR?", Text(cut, "mercadopago-disconnect-confirmation"), StringComparison.Ordinal);
        var confirm = cut.Find("button[data-testid=mercadopago-disconnect-confirm]");
        Assert.Equal("submit", confirm.GetAttribute("type"));
        Assert.Equal("Sí, desconectar", confirm.TextContent.Trim());
        Assert.NotNull(cut.Find("form[data-testid=mercadopago-disconnect-form] [data-testid=mercadopago-disconnect-confirm]"));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=mercadopago-disconnect-cancel]").Click());

        Assert.Empty(cut.FindAll("[data-testid=mercadopago-disconnect-confirm]"));
        Assert.NotNull(cut.Find("button[data-testid=mercadopago-disconnect]"));
    }

    [Fact]
    public async Task Connection_RequiresReauthorization_ShowsTheWarningTheErrorExplainedAndVolverAAutorizar()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddLinkAsync(MercadoPagoLinkStatus.RequiresReauthorization, l =>
        {
            l.LastErrorCode = "invalid_grant";
            l.LastErrorAt = LinkedAt.AddDays(150);
            l.RenewalFailures = 1;
            l.StatusChangedAt = LinkedAt.AddDays(150);
        });

        var cut = RenderPage();

        Assert.Equal("Requiere reautorización", Text(cut, "mercadopago-status"));
        Assert.Contains("mud-chip-color-warning", cut.Find("[data-testid=mercadopago-status]").ClassName, StringComparison.Ordinal);
        var error = Text(cut, "mercadopago-last-error");
        Assert.Contains("Mercado Pago rechazó la autorización guardada", error, StringComparison.Ordinal);
        Assert.Contains("invalid_grant · 11/08/2026 19:02 · 1 intento(s) fallido(s) seguidos", error, StringComparison.Ordinal);
        Assert.Equal("invalid_grant", cut.Find("[data-testid=mercadopago-last-error]").GetAttribute("data-error-code"));
        Assert.Equal("No programada", Text(cut, "mercadopago-next-renewal"));
        Assert.Equal("Volver a autorizar", Text(cut, "mercadopago-reauthorize"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-connect]"));
        Assert.NotNull(cut.Find("form[data-testid=mercadopago-disconnect-form]"));
    }

    [Fact]
    public async Task Connection_Revoked_ShowsRevocadoAndVolverAAutorizarButNoDisconnect()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddLinkAsync(MercadoPagoLinkStatus.Revoked);

        var cut = RenderPage();

        Assert.Equal("Revocado en Mercado Pago", Text(cut, "mercadopago-status"));
        Assert.Contains("Aplicaciones conectadas", Text(cut, "mercadopago-status-help"), StringComparison.Ordinal);
        Assert.Equal("Volver a autorizar", Text(cut, "mercadopago-reauthorize"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-disconnect-form]"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-token-expires]"));
    }

    [Fact]
    public async Task Connection_Disconnected_ShowsDesconectadoAndConnectAgain()
    {
        await SeedAsync(OrganizerRole.Owner);
        await AddLinkAsync(MercadoPagoLinkStatus.Disconnected);

        var cut = RenderPage();

        Assert.Equal("Desconectado", Text(cut, "mercadopago-status"));
        Assert.Equal("Conectar Mercado Pago", Text(cut, "mercadopago-connect"));
        Assert.Equal("PACIFICOSUR", Text(cut, "mercadopago-account-nickname"));
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-disconnect-form]"));
    }

    [Fact]
    public async Task Connection_Viewer_ReadsTheLinkButHasNoForms()
    {
        await SeedAsync(OrganizerRole.Viewer);
        await AddLinkAsync(MercadoPagoLinkStatus.RequiresReauthorization, l => l.LastErrorCode = "Timeout");

        var cut = RenderPage();

        Assert.Contains("Solo los propietarios", Text(cut, "mercadopago-read-only"), StringComparison.Ordinal);
        Assert.Equal("Requiere reautorización", Text(cut, "mercadopago-status"));
        Assert.Contains("no respondió a tiempo", Text(cut, "mercadopago-last-error"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("form"));
    }

    [Theory]
    [InlineData(LinkOutcomes.Linked, "mud-alert-text-success", "quedó conectada")]
    [InlineData(LinkOutcomes.Denied, "mud-alert-text-error", "La autorización se denegó en Mercado Pago")]
    [InlineData(LinkOutcomes.InvalidState, "mud-alert-text-error", "no corresponde a ningún intento de conexión")]
    [InlineData(LinkOutcomes.StateAlreadyUsed, "mud-alert-text-error", "ya se usó")]
    [InlineData(LinkOutcomes.StateExpired, "mud-alert-text-error", "venció")]
    [InlineData(LinkOutcomes.WrongUser, "mud-alert-text-error", "otra persona")]
    [InlineData(LinkOutcomes.InvalidGrant, "mud-alert-text-error", "rechazó el código")]
    [InlineData(LinkOutcomes.AccountMismatch, "mud-alert-text-error", "no es la cuenta de Mercado Pago registrada")]
    [InlineData(LinkOutcomes.ServiceError, "mud-alert-text-error", "no respondió como se esperaba")]
    [InlineData(LinkOutcomes.Disconnected, "mud-alert-text-success", "se desconectó")]
    public async Task Connection_OutcomeInTheQuery_ShowsItsMessage(string outcome, string alertClass, string message)
    {
        await SeedAsync(OrganizerRole.Owner);

        var cut = RenderPage("&resultado=" + outcome);

        var alert = cut.Find("[data-testid=mercadopago-outcome]");
        Assert.Equal(outcome, alert.GetAttribute("data-outcome"));
        Assert.Contains(message, alert.TextContent, StringComparison.Ordinal);
        Assert.Contains(alertClass, alert.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_EveryOutcome_HasASpanishAndAnEnglishMessage()
    {
        await SeedAsync(OrganizerRole.Owner);
        var localizer = Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<BillingPortal.Resources.SharedResource>>();

        foreach (var outcome in LinkOutcomes.All)
        {
            Assert.False(localizer[$"MercadoPago.Outcome.{outcome}"].ResourceNotFound, outcome);
        }

        foreach (var status in Enum.GetNames<MercadoPagoLinkStatus>().Append("None"))
        {
            Assert.False(localizer[$"MercadoPago.Status.{status}"].ResourceNotFound, status);
            Assert.False(localizer[$"MercadoPago.StatusHelp.{status}"].ResourceNotFound, status);
        }

        Assert.Equal(LinkOutcomes.All.Count, LinkOutcomes.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Enum.GetValues<LinkOutcome>(), o => Assert.Contains(LinkOutcomes.Of(o), LinkOutcomes.All));
    }

    [Fact]
    public async Task Connection_UnknownOutcome_ShowsNoMessage()
    {
        await SeedAsync(OrganizerRole.Owner);

        var cut = RenderPage("&resultado=%3Cscript%3E");

        Assert.Empty(cut.FindAll("[data-testid=mercadopago-outcome]"));
    }

    [Fact]
    public async Task Connection_OtherOrganizerInUrl_IsNotFound()
    {
        await SeedAsync(OrganizerRole.Owner);
        var other = new OrganizerBuilder().Build();
        await AddOrganizersAsync(other);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var notFound = false;
        navigation.OnNotFound += (_, _) => notFound = true;

        navigation.NavigateTo($"mercadopago?org={other.Id}");
        var cut = Render<Connection>();

        cut.WaitForAssertion(() => Assert.True(notFound));
        Assert.DoesNotContain(other.LegalName, cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=mercadopago-card]"));
    }
}
