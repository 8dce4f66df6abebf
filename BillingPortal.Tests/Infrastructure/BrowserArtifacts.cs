using System.Text;

namespace BillingPortal.Tests.Infrastructure;

/// <summary>
/// Where browser tests leave files, under <c>artifacts/browser/</c> at the repository root (git-ignored):
/// <c>screenshots/&lt;test&gt;.png</c> (every test, pass or fail: the pages as a user saw them, for docs/user-guide)
/// and <c>failures/&lt;test&gt;.trace.zip</c> + <c>.log</c> (only for a failed test: Playwright trace, console errors).
/// </summary>
public static class BrowserArtifacts
{
    /// <summary><c>artifacts/browser</c> at the repository root (the folder holding BillingPortal.sln).</summary>
    public static string Root { get; } = Path.Combine(RepositoryRoot(), "artifacts", "browser");

    public static string Screenshots => Path.Combine(Root, "screenshots");

    public static string Failures => Path.Combine(Root, "failures");

    /// <summary>
    /// A file-name-safe name for the running test: <c>SummaryPageTests.Method</c>, plus the arguments of a theory row.
    /// </summary>
    public static string CurrentTestName()
    {
        var context = TestContext.Current;
        var display = context.Test?.TestDisplayName ?? "unknown-test";
        if (context.TestClass?.TestClassNamespace is { Length: > 0 } ns && display.StartsWith(ns + ".", StringComparison.Ordinal))
        {
            display = display[(ns.Length + 1)..];
        }

        return Sanitize(display);
    }

    /// <summary>Keeps letters, digits, '.', '-' and '_'; anything else becomes '_'; at most 150 characters.</summary>
    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        var safe = builder.ToString().Trim('_');
        return safe.Length <= 150 ? safe : safe[..150];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BillingPortal.sln"))) return dir.FullName;
        }

        return Directory.GetCurrentDirectory();
    }
}
