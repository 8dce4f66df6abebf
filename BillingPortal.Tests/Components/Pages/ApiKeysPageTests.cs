using BillingPortal.Components.Pages.ApiKeys;
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

/// <summary>The API keys page over the real ApiKeyService: a key is shown once, only its hash is stored.</summary>
public sealed class ApiKeysPageTests : MudTestContext
{
    private Organizer _organizer = null!;

    protected override bool UsesDatabase => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task SeedAsync(OrganizerRole role)
    {
        _organizer = new OrganizerBuilder().Build();
        await AddOrganizersAsync(_organizer);
        var (user, _) = await IdentitySeed.AddMemberAsync(Database.Factory, _organizer.Id, role, "yo@example.pe", Ct);
        SignIn(user);
    }

    private bool _providers;

    private IRenderedComponent<ApiKeys> RenderPage()
    {
        if (!_providers)
        {
            Render<MudPopoverProvider>();
            Render<MudDialogProvider>();
            Render<MudSnackbarProvider>();
            _providers = true;
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo($"claves-api?org={_organizer.Id}");
        return Render<ApiKeys>();
    }

    [Fact]
    public async Task ApiKeys_OwnerCreatesAKey_SeesItOnceAndTheListShowsOnlyItsPrefix()
    {
        await SeedAsync(OrganizerRole.Owner);
        var cut = RenderPage();
        cut.WaitForElement("[data-testid=api-keys-empty]");

        await cut.InvokeAsync(() => cut.Find("input[data-testid=api-key-name]").Input("ERP contable"));
        await cut.InvokeAsync(() => cut.Find("form[data-testid=api-key-form]").Submit());

        var secret = cut.WaitForElement("[data-testid=api-key-secret]").TextContent.Trim();
        await using var db = Database.CreateContext();
        var stored = await db.ApiKeys.SingleAsync(Ct);
        Assert.StartsWith(stored.Prefix, secret, StringComparison.Ordinal);
        Assert.NotEqual(secret, stored.Hash);
        Assert.DoesNotContain(secret, stored.Hash, StringComparison.Ordinal);
        Assert.Contains("no se volverá a mostrar", cut.Find("[data-testid=api-key-created]").TextContent, StringComparison.Ordinal);
        Assert.Equal("ERP contable", cut.Find($"[data-testid=api-key-{stored.Id}-name]").TextContent.Trim());
        Assert.Equal(1, cut.Markup.Split(secret).Length - 1);

        // Rendered again (a reload): the secret is gone for good.
        var again = RenderPage();
        again.WaitForElement("[data-testid=api-keys-table]");
        Assert.DoesNotContain(secret, again.Markup, StringComparison.Ordinal);
        Assert.Contains(stored.Prefix, again.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeys_Viewer_SeesTheListButCannotCreateOrRevoke()
    {
        await SeedAsync(OrganizerRole.Viewer);
        await using (var db = Database.CreateContext())
        {
            var owner = await IdentitySeed.AddUserAsync(Database.Factory, "duena@example.pe", Ct);
            db.ApiKeys.Add(new OrganizerApiKey { OrganizerId = _organizer.Id, Name = "Script", Prefix = "bp_live_abcd1234", Hash = new string('a', 64), CreatedByUserId = owner.Id, CreatedAt = Now });
            await db.SaveChangesAsync(Ct);
        }

        var cut = RenderPage();

        cut.WaitForElement("[data-testid=api-keys-table]");
        Assert.NotEmpty(cut.FindAll("[data-testid=api-keys-read-only]"));
        Assert.Empty(cut.FindAll("[data-testid=api-key-form]"));
        Assert.Empty(cut.FindAll("[data-testid$=-revoke]"));
        Assert.Contains("bp_live_abcd1234", cut.Markup, StringComparison.Ordinal);
    }
}
