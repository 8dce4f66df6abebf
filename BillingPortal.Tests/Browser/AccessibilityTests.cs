using System.Text.RegularExpressions;
using BillingPortal.Core.Payments;
using BillingPortal.Tests.Builders;
using BillingPortal.Tests.Infrastructure;
using BillingPortal.Tests.Integration.Api;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BillingPortal.Tests.Browser;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) over every page of the portal in Chromium, signed in through the sandbox
/// provider: no <c>serious</c> or <c>critical</c> violation in the light and the dark theme, on a desktop and on a
/// phone (390×844). And the keyboard: Tab reaches the navigation and the period picker, Enter activates them.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser, BrowserPortalFactory portal)
    : BrowserTest(browser), IClassFixture<BrowserPortalFactory>
{
    /// <summary>
    /// The organizer's pages, relative to the portal, opened with <c>?org=</c>. One list: add <c>eventos</c>,
    /// <c>eventos/{id}</c> and <c>transacciones</c> here when those pages exist.
    /// </summary>
    public static readonly string[] OrganizerRoutes = ["resumen", "eventos", "transacciones", "estados-de-cuenta", "mercadopago", "miembros", "claves-api"];

    /// <summary>The admin area, opened as the platform admin.</summary>
    public static readonly string[] AdminRoutes = ["admin", "admin/organizadores", "admin/alertas", "admin/webhooks"];

    private static readonly string[] Blocking = ["serious", "critical"];

    /// <summary>
    /// Violations known and not fixed yet, matched by rule and target, printed by every run but not failing it. None
    /// today: the app bar's menus no longer nest a button in MudMenu's role="button" activator (nested-interactive),
    /// and the admin audit filter's list button has a name. An entry here needs a reason and an issue to remove it.
    /// </summary>
    private static readonly (string Rule, string Target)[] KnownIssues = [];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task OrganizerPages_HaveNoSeriousViolations(bool dark, bool phone)
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.StorePaymentsAsync(RecentPayments(organizer.Id));
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(organizer.Id), $"claves-api?org={organizer.Id}");
        // The theme is chosen on the desktop width (remembered), then the pages are audited at the phone's.
        await UseThemeAsync(page, dark);
        if (phone) await page.SetViewportSizeAsync(390, 844);

        var failures = new List<string>();
        foreach (var route in OrganizerRoutes)
            failures.AddRange(await AuditAsync(page, $"{route}?org={organizer.Id}", dark));

        Assert.True(failures.Count == 0, Report(dark, phone, failures));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AdminPages_HaveNoSeriousViolations(bool dark)
    {
        await portal.AddOrganizerAsync();
        var page = await NewPageAsync(portal);
        await page.GotoAsync("resumen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ana Administradora" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/resumen\\?org="));
        await page.WaitForInteractiveAsync();
        await UseThemeAsync(page, dark);

        var failures = new List<string>();
        foreach (var route in AdminRoutes) failures.AddRange(await AuditAsync(page, route, dark));

        Assert.True(failures.Count == 0, Report(dark, phone: false, failures));
    }

    [Fact]
    public async Task DarkTheme_Chosen_TheNextPageIsRenderedDarkByTheServer()
    {
        var organizer = await portal.AddOrganizerAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(organizer.Id), $"claves-api?org={organizer.Id}");
        var dark = BillingPortal.Components.Layout.PortalTheme.Theme.PaletteDark.Background.ToString();
        var light = BillingPortal.Components.Layout.PortalTheme.Theme.PaletteLight.Background.ToString();
        Assert.NotEqual(light, dark);

        // The HTML the server sends (before any script runs) carries the palette of the theme in effect: after the
        // person picks dark, the next page is dark from its first paint (no light flash), and light again after light.
        Assert.Equal(light, await ServerBackgroundAsync(page, organizer.Id));
        await UseThemeAsync(page, dark: true);
        await WaitForThemeCookieAsync(page, "dark");
        Assert.Equal(dark, await ServerBackgroundAsync(page, organizer.Id));

        await UseThemeAsync(page, dark: false);
        await WaitForThemeCookieAsync(page, "light");
        Assert.Equal(light, await ServerBackgroundAsync(page, organizer.Id));
    }

    private static async Task<string> ServerBackgroundAsync(IPage page, int organizerId)
    {
        var response = await page.APIRequest.GetAsync($"resumen?org={organizerId}");
        Assert.Equal(200, response.Status);
        var match = Regex.Match(await response.TextAsync(), @"--mud-palette-background:\s*([^;]+);");
        Assert.True(match.Success, "The server-rendered page has no MudBlazor palette");
        return match.Groups[1].Value.Trim();
    }

    private static async Task WaitForThemeCookieAsync(IPage page, string value)
    {
        for (var i = 0; i < 100; i++)
        {
            var cookies = await page.Context.CookiesAsync();
            if (cookies.Any(c => c.Name == BillingPortal.Components.Layout.ThemePreference.CookieName && c.Value == value)) return;
            await Task.Delay(100);
        }

        Assert.Fail($"The theme cookie never became {value}");
    }

    [Fact]
    public async Task Keyboard_TabReachesNavAndPeriodPicker_EnterActivates()
    {
        var organizer = await portal.AddOrganizerAsync();
        await portal.StorePaymentsAsync(RecentPayments(organizer.Id));
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(organizer.Id), $"resumen?org={organizer.Id}");

        // The period picker: Tab until the "este mes" preset has the focus, then Enter applies it.
        await TabToAsync(page, "preset-this-month");
        await page.Keyboard.PressAsync("Enter");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Lima")).DateTime);
        await Expect(page).ToHaveURLAsync(new Regex($"desde={today:yyyy-MM}-01"));

        // The navigation: Tab (from the top) reaches the links; Enter on «Miembros» opens it.
        await page.Locator("body").FocusAsync();
        await TabToAsync(page, "nav-summary");
        await TabToAsync(page, "nav-members");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/miembros"));
    }

    [Fact]
    public async Task Keyboard_AppBarMenus_AreOneTabStopEach_EnterOpensAndEscapeCloses()
    {
        var organizer = await portal.AddOrganizerAsync();
        var page = await SignedInPageAsync(portal, BrowserUser.OwnerOf(organizer.Id), $"claves-api?org={organizer.Id}");

        // The language menu: Tab reaches its activator, which is the button (named, says it opens a menu) and the only
        // tab stop of the menu; Enter opens it, Escape closes it.
        await page.Locator("body").FocusAsync();
        await TabToAsync(page, "language-switch");
        var focused = page.Locator(":focus");
        await Expect(focused).ToHaveAttributeAsync("role", "button");
        await Expect(focused).ToHaveAttributeAsync("aria-haspopup", "menu");
        await Expect(focused).ToHaveAccessibleNameAsync("Idioma: Español");
        Assert.Equal(0, await page.GetByTestId("language-switch").Locator("button, a[href], [tabindex]:not([role=button])").CountAsync());
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("language-en")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("language-switch").Locator("[role=button]")).ToHaveAttributeAsync("aria-expanded", "true");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("language-en")).ToBeHiddenAsync();

        // The next Tab stop after the language menu is not a button inside it.
        await page.GetByTestId("language-switch").Locator("[role=button]").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.False(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('[data-testid=language-switch]')"),
            "Tab stayed inside the language menu's activator");

        // The account menu opens with Space as well, and shows who is signed in.
        await page.GetByTestId("user-menu").Locator("[role=button]").FocusAsync();
        await Expect(page.Locator(":focus")).ToHaveAccessibleNameAsync(new Regex("^Cuenta: "));
        await page.Keyboard.PressAsync(" ");
        await Expect(page.GetByTestId("user-email")).ToBeVisibleAsync();
    }

    /// <summary>Presses Tab until the focused element (or its closest ancestor with a test id) is <paramref name="testId"/>.</summary>
    private static async Task TabToAsync(IPage page, string testId)
    {
        var seen = new List<string>();
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string?>("() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null");
            if (focused == testId) return;
            seen.Add(focused ?? "(none)");
        }

        Assert.Fail($"Tab never reached {testId}; focus went through: {string.Join(" → ", seen)}");
    }

    /// <summary>Sets the theme through the app bar's toggle (the way a person does) and waits for it to apply.</summary>
    private static async Task UseThemeAsync(IPage page, bool dark)
    {
        var toggle = page.GetByTestId("theme-toggle");
        if (await toggle.GetAttributeAsync("aria-pressed") != (dark ? "true" : "false")) await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", dark ? "true" : "false");
    }

    /// <summary>Opens <paramref name="path"/>, waits for the circuit (and the remembered theme), runs axe, returns the blocking violations.</summary>
    private static async Task<IEnumerable<string>> AuditAsync(IPage page, string path, bool dark)
    {
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-pressed", dark ? "true" : "false");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        foreach (var known in blocking.Where(v => v.Nodes.All(n => IsKnown(v.Id, n.Target.ToString()))))
            Console.WriteLine($"known a11y issue on {path}: {known.Id} ({known.Impact}) at {string.Join(", ", known.Nodes.Select(n => n.Target))}");
        return blocking
            .Where(v => !v.Nodes.All(n => IsKnown(v.Id, n.Target.ToString())))
            .Select(v => $"{path}: {v.Id} ({v.Impact}) {v.Help} — " +
                         string.Join("; ", v.Nodes.Take(5).Select(n => $"{n.Target} {Shorten(string.Join(' ', n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message)))}")));
    }

    private static bool IsKnown(string rule, string target) =>
        KnownIssues.Any(k => k.Rule == rule && target.Contains(k.Target, StringComparison.Ordinal));

    private static string Shorten(string text)
    {
        var flat = Regex.Replace(text, "\\s+", " ").Trim();
        return flat.Length > 200 ? flat[..200] + "…" : flat;
    }

    private static string Report(bool dark, bool phone, List<string> failures) =>
        $"axe found serious or critical violations ({(dark ? "dark" : "light")} theme, {(phone ? "phone 390×844" : "desktop")}):{Environment.NewLine}" +
        string.Join(Environment.NewLine, failures);

    /// <summary>A few sales of the last days (one refunded in part, one released) so the pages have figures to show.</summary>
    private static List<Payment> RecentPayments(int organizerId)
    {
        var now = DateTimeOffset.UtcNow;
        return
        [
            new PaymentBuilder().ForOrganizer(organizerId).ApprovedAt(now.AddDays(-3)).WithRelease(now.AddDays(-1), MoneyReleaseStatus.Released).Build(),
            new PaymentBuilder().ForOrganizer(organizerId).WithAmounts(99.99m, 4.72m, 5.00m).ApprovedAt(now.AddDays(-2))
                .WithRelease(now.AddDays(12), MoneyReleaseStatus.Pending).WithRefund(33.33m, now.AddDays(-1)).Build(),
            new PaymentBuilder().ForOrganizer(organizerId).ApprovedAt(now.AddHours(-5)).WithRelease(now.AddDays(14), MoneyReleaseStatus.Pending).Build(),
        ];
    }
}
