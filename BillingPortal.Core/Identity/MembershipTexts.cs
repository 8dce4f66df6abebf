namespace BillingPortal.Core.Identity;

/// <summary>Spanish words for the audit log's details (the log is read by the platform's staff, in Spanish).</summary>
internal static class MembershipTexts
{
    public static string Role(OrganizerRole role) => role switch
    {
        OrganizerRole.Owner => "propietario",
        OrganizerRole.Viewer => "lector",
    };
}
