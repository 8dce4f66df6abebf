using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.SqlServer
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OrganizerId = table.Column<int>(type: "int", nullable: false),
                    LocalDate = table.Column<DateOnly>(type: "date", nullable: false),
                    EventId = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    PaymentMethodId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    PaymentTypeId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ReleaseState = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ReleaseLocalDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Entries = table.Column<int>(type: "int", nullable: false),
                    Tickets = table.Column<int>(type: "int", nullable: false),
                    GrossCents = table.Column<long>(type: "bigint", nullable: false),
                    MercadoPagoFeeCents = table.Column<long>(type: "bigint", nullable: false),
                    CommissionBaseCents = table.Column<long>(type: "bigint", nullable: false),
                    CommissionIgvCents = table.Column<long>(type: "bigint", nullable: false),
                    OtherFeesCents = table.Column<long>(type: "bigint", nullable: false),
                    NetCents = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
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
            migrationBuilder.Sql("INSERT INTO [LedgerDailyRollups] ([OrganizerId], [LocalDate], [EventId], [Kind], [PaymentMethodId], [PaymentTypeId], [ReleaseState], [ReleaseLocalDate], [Entries], [Tickets], [GrossCents], [MercadoPagoFeeCents], [CommissionBaseCents], [CommissionIgvCents], [OtherFeesCents], [NetCents], [Version]) SELECT [OrganizerId], [LocalDate], COALESCE([EventId], 0), [Kind], COALESCE([PaymentMethodId], ''), COALESCE([PaymentTypeId], ''), [ReleaseState], COALESCE([ReleaseLocalDate], CAST('0001-01-01' AS date)), COUNT(*), SUM([Tickets]), SUM([GrossCents]), SUM([MercadoPagoFeeCents]), SUM([CommissionBaseCents]), SUM([CommissionIgvCents]), SUM([OtherFeesCents]), SUM([NetCents]), 0 FROM [LedgerEntries] WHERE [Currency] = 'PEN' GROUP BY [OrganizerId], [LocalDate], COALESCE([EventId], 0), [Kind], COALESCE([PaymentMethodId], ''), COALESCE([PaymentTypeId], ''), [ReleaseState], COALESCE([ReleaseLocalDate], CAST('0001-01-01' AS date))");
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
