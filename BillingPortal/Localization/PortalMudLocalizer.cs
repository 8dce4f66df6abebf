using BillingPortal.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BillingPortal.Localization;

/// <summary>
/// Spanish texts for MudBlazor's own labels (buttons' aria-labels, pickers, pagers), from <c>SharedResource.resx</c>
/// under the key <c>Mud.&lt;MudBlazor key&gt;</c>. In English, and for keys we do not translate, MudBlazor keeps its own
/// English text.
/// </summary>
public sealed class PortalMudLocalizer(IStringLocalizer<SharedResource> localizer) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            if (PortalCultures.IsEnglish) return new LocalizedString(key, key, resourceNotFound: true);
            var text = localizer["Mud." + key];
            return text.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, text.Value);
        }
    }
}
