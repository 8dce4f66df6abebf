using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DashboardReadModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LedgerDailyRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EventId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PaymentMethodId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PaymentTypeId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReleaseState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReleaseLocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    Tickets = table.Column<int>(type: "INTEGER", nullable: false),
                    GrossCents = table.Column<long>(type: "INTEGER", nullable: false),
                    MercadoPagoFeeCents = table.Column<long>(type: "INTEGER", nullable: false),
                    CommissionBaseCents = table.Column<long>(type: "INTEGER", nullable: false),
                    CommissionIgvCents = table.Column<long>(type: "INTEGER", nullable: false),
                    OtherFeesCents = table.Column<long>(type: "INTEGER", nullable: false),
                    NetCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerDailyRollups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerDailyRollups_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizerId_EventId_DateCreated",
                table: "Payments",
                columns: new[] { "OrganizerId", "EventId", "DateCreated" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizerId_PayerEmail",
                table: "Payments",
                columns: new[] { "OrganizerId", "PayerEmail" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizerId_Status_DateCreated",
                table: "Payments",
                columns: new[] { "OrganizerId", "Status", "DateCreated" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_OrganizerId_ReleaseLocalDate",
                table: "LedgerEntries",
                columns: new[] { "OrganizerId", "ReleaseLocalDate" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerDailyRollups_OrganizerId_EventId_LocalDate",
                table: "LedgerDailyRollups",
                columns: new[] { "OrganizerId", "EventId", "LocalDate" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerDailyRollups_OrganizerId_ReleaseLocalDate",
                table: "LedgerDailyRollups",
                columns: new[] { "OrganizerId", "ReleaseLocalDate" });

            migrationBuilder.CreateIndex(
                name: "UX_LedgerDailyRollups_Key",
                table: "LedgerDailyRollups",
                columns: new[] { "OrganizerId", "LocalDate", "EventId", "Kind", "PaymentMethodId", "PaymentTypeId", "ReleaseState", "ReleaseLocalDate" },
                unique: true);

            // Existing ledgers get their rollups (LedgerRollups.RebuildAsync writes the same statement).
            migrationBuilder.Sql("INSERT INTO \"LedgerDailyRollups\" (\"OrganizerId\", \"LocalDate\", \"EventId\", \"Kind\", \"PaymentMethodId\", \"PaymentTypeId\", \"ReleaseState\", \"ReleaseLocalDate\", \"Entries\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", \"LocalDate\", COALESCE(\"EventId\", 0), \"Kind\", COALESCE(\"PaymentMethodId\", ''), COALESCE(\"PaymentTypeId\", ''), \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01'), COUNT(*), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", \"LocalDate\", COALESCE(\"EventId\", 0), \"Kind\", COALESCE(\"PaymentMethodId\", ''), COALESCE(\"PaymentTypeId\", ''), \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LedgerDailyRollups");

            migrationBuilder.DropIndex(
                name: "IX_Payments_OrganizerId_EventId_DateCreated",
                table: "Payments");

            migrationBuilder.DropIndex(
                name: "IX_Payments_OrganizerId_PayerEmail",
                table: "Payments");

            migrationBuilder.DropIndex(
                name: "IX_Payments_OrganizerId_Status_DateCreated",
                table: "Payments");

            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_OrganizerId_ReleaseLocalDate",
                table: "LedgerEntries");
        }
    }
}
