using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PendingReleaseIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payments_OrganizerId_MoneyReleaseStatus_DateCreated",
                table: "Payments");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizerId_MoneyReleaseStatus_Status_DateCreated",
                table: "Payments",
                columns: new[] { "OrganizerId", "MoneyReleaseStatus", "Status", "DateCreated" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payments_OrganizerId_MoneyReleaseStatus_Status_DateCreated",
                table: "Payments");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizerId_MoneyReleaseStatus_DateCreated",
                table: "Payments",
                columns: new[] { "OrganizerId", "MoneyReleaseStatus", "DateCreated" });
        }
    }
}
