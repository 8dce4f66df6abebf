using System.Reflection;
using PdfSharp.Fonts;

namespace BillingPortal.Core.Statements.Rendering;

/// <summary>
/// PDFsharp's font resolver over the DejaVu Sans Condensed faces embedded in this assembly, so a statement looks the
/// same on every machine (there are no system fonts PDFsharp could use on Linux). Registered once per process.
/// </summary>
internal sealed class StatementFonts : IFontResolver
{
    public const string Family = "DejaVu Sans Condensed";
    private const string Regular = "DejaVuSansCondensed";
    private const string Bold = "DejaVuSansCondensed-Bold";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, byte[]> Faces = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver unless one is already installed (PDFsharp allows setting it once).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is StatementFonts) return;
            GlobalFontSettings.FontResolver = new StatementFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic)
            : new FontResolverInfo(bold ? Bold : Regular, false, italic);

    public byte[]? GetFont(string faceName)
    {
        lock (Gate)
        {
            if (Faces.TryGetValue(faceName, out var bytes)) return bytes;
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("BillingPortal.Fonts." + faceName + ".ttf");
            if (stream is null) return null;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Faces[faceName] = copy.ToArray();
        }
    }
}
