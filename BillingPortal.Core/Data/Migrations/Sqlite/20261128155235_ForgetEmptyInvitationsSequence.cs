using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Data fix, SQLite only: rebuilding "Invitations" (InvitationsByThePlatform) leaves a row with seq 0 for it in
    /// sqlite_sequence. That row means the same as no row (no id given yet), but a fresh database must be identical to
    /// one emptied by <c>seed --reset</c>, which empties sqlite_sequence. A table that already gave ids keeps its row.
    /// </summary>
    public partial class ForgetEmptyInvitationsSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM \"sqlite_sequence\" WHERE \"name\" = 'Invitations' AND \"seq\" = 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
