using BillingPortal.Components.Pages.Members;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Organizers;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Integration.Auth;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace BillingPortal.Tests.Components.Pages;

/// <summary>The members page over the real Core services: what owners may do, what viewers only see.</summary>
public sealed class MembersPageTests : MudTestContext
{
    private Organizer _organizer = null!;

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(PortalUser User, OrganizerMember Member)> SeedAsync(OrganizerRole signedInRole)
    {
        _organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer);
        var signedIn = await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, signedInRole, "yo@example.pe", Ct);
        await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, OrganizerRole.Viewer, "colega@example.pe", Ct);
        await IdentitySeed.AddInvitationAsync(Database.Factory, _organizer.Id, "pendiente@example.pe", OrganizerRole.Owner, Now.AddDays(3), signedIn.User.Id, Ct);
        SignIn(signedIn.User);
        return signedIn;
    }

    private IRenderedComponent<Members> RenderPage()
    {
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"miembros?org={_organizer.Id}");
        return Render<Members>();
    }

    [Fact]
    public async Task Members_Viewer_SeesTheListsReadOnly()
    {
        await SeedAsync(OrganizerRole.Viewer);

        var cut = RenderPage();

        cut.WaitForElement("[data-testid=members-table]");
        Assert.Contains("Solo los propietarios pueden invitar", cut.Find("[data-testid=members-read-only]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=invite-form]"));
        Assert.Empty(cut.FindAll("[data-testid$=-remove]"));
        Assert.Empty(cut.FindAll("[data-testid$=-revoke]"));
        Assert.Equal(["colega@example.pe", "yo@example.pe"], cut.FindAll("[data-testid$=-email]").Where(e => e.GetAttribute("data-testid")!.StartsWith("member-", StringComparison.Ordinal)).Select(e => e.TextContent.Trim()));
        Assert.Contains("pendiente@example.pe", cut.Find("[data-testid=invitations-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_OwnerInvites_TheInvitationIsListedAndStored()
    {
        await SeedAsync(OrganizerRole.Owner);
        var cut = RenderPage();
        cut.WaitForElement("[data-testid=members-table]");

        await cut.InvokeAsync(() => cut.Find("input[data-testid=invite-email]").Input("nuevo@example.pe"));
        await cut.InvokeAsync(() => cut.Find("form[data-testid=invite-form]").Submit());

        cut.WaitForAssertion(() => Assert.Contains("nuevo@example.pe", cut.Find("[data-testid=invitations-table]").TextContent, StringComparison.Ordinal));
        await using var db = Database.CreateContext();
        Assert.True(await db.Invitations.AnyAsync(i => i.OrganizerId == _organizer.Id && i.Email == "nuevo@example.pe" && i.Role == OrganizerRole.Viewer, Ct));
    }

    [Theory]
    [InlineData("no-es-correo", "El correo no es válido (una sola dirección, como nombre@empresa.pe).")]
    [InlineData("pendiente@example.pe", "Ya hay una invitación pendiente para ese correo.")]
    [InlineData("colega@example.pe", "Esa persona ya es miembro de este organizador.")]
    [InlineData(" ", "Indique el correo de la persona a invitar.")]
    public async Task Members_OwnerInvitesWrongly_SeesWhyNextToTheField(string email, string message)
    {
        await SeedAsync(OrganizerRole.Owner);
        var cut = RenderPage();
        cut.WaitForElement("[data-testid=members-table]");

        await cut.InvokeAsync(() => cut.Find("input[data-testid=invite-email]").Input(email));
        await cut.InvokeAsync(() => cut.Find("form[data-testid=invite-form]").Submit());

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Markup, StringComparison.Ordinal));
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.Invitations.CountAsync(Ct));
    }

    [Fact]
    public async Task Members_OtherOrganizerInUrl_IsNotFound()
    {
        await SeedAsync(OrganizerRole.Owner);
        var other = new OrganizerBuilder().Build();
        await AddOrganizersAsync(other);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var notFound = false;
        navigation.OnNotFound += (_, _) => notFound = true;

        navigation.NavigateTo($"miembros?org={other.Id}");
        var cut = Render<Members>();

        cut.WaitForAssertion(() => Assert.True(notFound));
        Assert.Empty(cut.FindAll("[data-testid=members-table]"));
        Assert.DoesNotContain(other.LegalName, cut.Markup, StringComparison.Ordinal);
    }
}
