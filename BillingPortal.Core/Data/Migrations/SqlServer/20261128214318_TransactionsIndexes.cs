using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TransactionsIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizerId_MoneyReleaseStatus_DateCreated",
                table: "Payments",
                columns: new[] { "OrganizerId", "MoneyReleaseStatus", "DateCreated" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizerId_TransactionAmountCents",
                table: "Payments",
                columns: new[] { "OrganizerId", "TransactionAmountCents" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payments_OrganizerId_MoneyReleaseStatus_DateCreated",
                table: "Payments");

            migrationBuilder.DropIndex(
                name: "IX_Payments_OrganizerId_TransactionAmountCents",
                table: "Payments");
        }
    }
}
