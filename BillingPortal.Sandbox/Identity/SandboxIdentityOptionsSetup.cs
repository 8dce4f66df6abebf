using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace BillingPortal.Sandbox.Identity;

/// <summary>
/// Fills what the configuration left out: the demo accounts and, when no client secret is configured, one generated
/// once per process (the same value on every options rebuild, so the in-process portal and the store always agree).
/// </summary>
internal sealed class SandboxIdentityOptionsSetup : IPostConfigureOptions<SandboxIdentityOptions>
{
    private readonly string _generatedSecret = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public void PostConfigure(string? name, SandboxIdentityOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Client.ClientSecret))
        {
            options.Client.ClientSecret = _generatedSecret;
            options.Client.ClientSecretGenerated = true;
        }

        if (options.Accounts.Count == 0)
        {
            foreach (var account in SandboxIdentityDefaults.DemoAccounts)
            {
                var copy = new SandboxIdentityAccount
                {
                    Subject = account.Subject,
                    Email = account.Email,
                    Name = account.Name,
                    Description = account.Description,
                };
                foreach (var role in account.Roles)
                {
                    copy.Roles.Add(role);
                }

                options.Accounts.Add(copy);
            }
        }
    }

    internal static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Rules the data annotations cannot express: absolute URIs, complete and unique accounts.</summary>
internal sealed class SandboxIdentityOptionsValidator : IValidateOptions<SandboxIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxIdentityOptions options)
    {
        var failures = new List<string>();
        var client = options.Client;
        foreach (var url in client.PortalBaseUrls)
        {
            if (!IsHttpUri(url))
            {
                failures.Add($"Sandbox:Identity:Client:PortalBaseUrls: '{url}' must be an absolute http(s) URL.");
            }
        }

        foreach (var uri in client.RedirectUris.Concat(client.PostLogoutRedirectUris))
        {
            if (!IsHttpUri(uri))
            {
                failures.Add($"Sandbox:Identity:Client redirect URI '{uri}' must be an absolute http(s) URI.");
            }
        }

        if (string.IsNullOrWhiteSpace(client.ClientId) || string.IsNullOrWhiteSpace(client.DisplayName))
        {
            failures.Add("Sandbox:Identity:Client:ClientId and DisplayName must not be empty.");
        }

        if (!client.CallbackPath.StartsWith('/') || !client.SignedOutCallbackPath.StartsWith('/'))
        {
            failures.Add("Sandbox:Identity:Client:CallbackPath and SignedOutCallbackPath must start with '/'.");
        }

        foreach (var account in options.Accounts)
        {
            if (string.IsNullOrWhiteSpace(account.Subject) || string.IsNullOrWhiteSpace(account.Name))
            {
                failures.Add("Sandbox:Identity:Accounts: every account needs a Subject and a Name.");
            }

            if (!IsEmail(account.Email))
            {
                failures.Add($"Sandbox:Identity:Accounts: account '{account.Subject}' needs a valid Email.");
            }
        }

        if (options.Accounts.GroupBy(a => a.Subject, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add("Sandbox:Identity:Accounts: subjects must be unique.");
        }

        if (options.Accounts.GroupBy(a => a.Email, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            failures.Add("Sandbox:Identity:Accounts: e-mails must be unique.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsEmail(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && value.Length <= 254
        && MailAddress.TryCreate(value, out var address)
        && string.Equals(address.Address, value, StringComparison.Ordinal);

    private static bool IsHttpUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
