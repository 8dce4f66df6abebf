using System.Resources;

[assembly: NeutralResourcesLanguage("es")]

namespace BillingPortal.Resources;

/// <summary>
/// Marker for the portal's UI strings: <c>SharedResource.resx</c> holds the Spanish (default, es-PE) texts and
/// <c>SharedResource.en.resx</c> the English ones. Inject <c>IStringLocalizer&lt;SharedResource&gt;</c>.
/// </summary>
public sealed class SharedResource;
