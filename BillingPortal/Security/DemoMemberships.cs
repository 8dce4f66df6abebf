using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace BillingPortal.Security;

/// <summary>
/// Demo mode only: binds the sandbox provider's demo accounts to the demo data. The seed knows organizers, not people, so
/// at every start the platform invites each demo email to its organizer, unless that person is already a member or
/// already invited; the invitation binds at their first sign-in, like any other. The organizers are the first two by id
/// (the seed creates them first: the 1st is always "Pacífico Sur Producciones S.A.C.", the 2nd depends on the seed); an
/// organizer that does not exist is skipped.
/// <list type="table">
/// <item><term>1st organizer</term><description>carmen.flores@pacifico-fest.example (owner), diego.huaman@pacifico-fest.example (viewer)</description></item>
/// <item><term>2nd organizer</term><description>lucia.quispe@andina-eventos.example (owner), jorge.ramos@andina-eventos.example (viewer)</description></item>
/// </list>
/// admin@billingportal.pe is a platform admin through its role claim; rosa.mendoza@correo.example belongs to no organizer.
/// </summary>
public sealed partial class DemoMemberships(
    IConfiguration configuration,
    IDbContextFactory<BillingDbContext> factory,
    MemberService members,
    ILogger<DemoMemberships> logger) : IHostedService
{
    /// <summary>How long the demo invitations stay valid.</summary>
    public static readonly TimeSpan InvitationLifetime = MembershipOptions.MaxInvitationLifetime;

    /// <summary>The sandbox's demo accounts and where they belong: (organizer position by id, 0-based; email; role).</summary>
    public static IReadOnlyList<(int OrganizerIndex, string Email, OrganizerRole Role)> Accounts { get; } =
    [
        (0, "carmen.flores@pacifico-fest.example", OrganizerRole.Owner),
        (0, "diego.huaman@pacifico-fest.example", OrganizerRole.Viewer),
        (1, "lucia.quispe@andina-eventos.example", OrganizerRole.Owner),
        (1, "jorge.ramos@andina-eventos.example", OrganizerRole.Viewer),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Demo:Enabled")) return;
        await BindAsync(cancellationToken);
    }

    /// <summary>Creates the missing demo invitations; returns how many were created.</summary>
    public async Task<int> BindAsync(CancellationToken cancellationToken)
    {
        List<int> organizers;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            organizers = await db.Organizers.OrderBy(o => o.Id).Select(o => o.Id).Take(2).ToListAsync(cancellationToken);
        }

        var created = 0;
        foreach (var (index, email, role) in Accounts.Where(a => a.OrganizerIndex < organizers.Count))
        {
            if (await members.EnsurePlatformInvitationAsync(organizers[index], email, role, InvitationLifetime, cancellationToken)) created++;
        }

        LogBound(logger, created, organizers.Count);
        return created;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo mode: {Created} demo invitation(s) created for the first {Organizers} organizer(s)")]
    private static partial void LogBound(ILogger logger, int created, int organizers);
}
