using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerReadModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LedgerDailyRollups");

            migrationBuilder.CreateTable(
                name: "LedgerDayTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    Sales = table.Column<int>(type: "INTEGER", nullable: false),
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
                    table.PrimaryKey("PK_LedgerDayTotals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerDayTotals_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerEventDayTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EventId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    Sales = table.Column<int>(type: "INTEGER", nullable: false),
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
                    table.PrimaryKey("PK_LedgerEventDayTotals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerEventDayTotals_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerEventMonthTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EventId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    Sales = table.Column<int>(type: "INTEGER", nullable: false),
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
                    table.PrimaryKey("PK_LedgerEventMonthTotals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerEventMonthTotals_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerEventReleaseTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EventId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReleaseState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReleaseLocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    Sales = table.Column<int>(type: "INTEGER", nullable: false),
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
                    table.PrimaryKey("PK_LedgerEventReleaseTotals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerEventReleaseTotals_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerMethodDayTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PaymentMethodId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PaymentTypeId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    Sales = table.Column<int>(type: "INTEGER", nullable: false),
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
                    table.PrimaryKey("PK_LedgerMethodDayTotals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerMethodDayTotals_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerReleaseTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReleaseState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReleaseLocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    Sales = table.Column<int>(type: "INTEGER", nullable: false),
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
                    table.PrimaryKey("PK_LedgerReleaseTotals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerReleaseTotals_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "UX_LedgerDayTotals_Key",
                table: "LedgerDayTotals",
                columns: new[] { "OrganizerId", "LocalDate", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEventDayTotals_OrganizerId_EventId_LocalDate",
                table: "LedgerEventDayTotals",
                columns: new[] { "OrganizerId", "EventId", "LocalDate" });

            migrationBuilder.CreateIndex(
                name: "UX_LedgerEventDayTotals_Key",
                table: "LedgerEventDayTotals",
                columns: new[] { "OrganizerId", "LocalDate", "EventId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEventMonthTotals_OrganizerId_EventId_Month",
                table: "LedgerEventMonthTotals",
                columns: new[] { "OrganizerId", "EventId", "Month" });

            migrationBuilder.CreateIndex(
                name: "UX_LedgerEventMonthTotals_Key",
                table: "LedgerEventMonthTotals",
                columns: new[] { "OrganizerId", "Month", "EventId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEventReleaseTotals_OrganizerId_ReleaseLocalDate",
                table: "LedgerEventReleaseTotals",
                columns: new[] { "OrganizerId", "ReleaseLocalDate" });

            migrationBuilder.CreateIndex(
                name: "UX_LedgerEventReleaseTotals_Key",
                table: "LedgerEventReleaseTotals",
                columns: new[] { "OrganizerId", "EventId", "ReleaseState", "ReleaseLocalDate" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "UX_LedgerMethodDayTotals_Key",
                table: "LedgerMethodDayTotals",
                columns: new[] { "OrganizerId", "LocalDate", "Kind", "PaymentMethodId", "PaymentTypeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerReleaseTotals_OrganizerId_ReleaseLocalDate",
                table: "LedgerReleaseTotals",
                columns: new[] { "OrganizerId", "ReleaseLocalDate" });

            migrationBuilder.CreateIndex(
                name: "UX_LedgerReleaseTotals_Key",
                table: "LedgerReleaseTotals",
                columns: new[] { "OrganizerId", "ReleaseState", "ReleaseLocalDate" },
                unique: true);

            // Backfill from the stored entries (the same SQL as LedgerRollups.RebuildStatements).
            migrationBuilder.Sql("INSERT INTO \"LedgerDayTotals\" (\"OrganizerId\", \"LocalDate\", \"Kind\", \"Entries\", \"Sales\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", \"LocalDate\", \"Kind\", COUNT(*), SUM(CASE WHEN \"Kind\" = 'Sale' THEN 1 ELSE 0 END), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", \"LocalDate\", \"Kind\"");
            migrationBuilder.Sql("INSERT INTO \"LedgerEventDayTotals\" (\"OrganizerId\", \"LocalDate\", \"EventId\", \"Kind\", \"Entries\", \"Sales\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", \"LocalDate\", COALESCE(\"EventId\", 0), \"Kind\", COUNT(*), SUM(CASE WHEN \"Kind\" = 'Sale' THEN 1 ELSE 0 END), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", \"LocalDate\", COALESCE(\"EventId\", 0), \"Kind\"");
            migrationBuilder.Sql("INSERT INTO \"LedgerEventMonthTotals\" (\"OrganizerId\", \"Month\", \"EventId\", \"Kind\", \"Entries\", \"Sales\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", date(\"LocalDate\", 'start of month'), COALESCE(\"EventId\", 0), \"Kind\", COUNT(*), SUM(CASE WHEN \"Kind\" = 'Sale' THEN 1 ELSE 0 END), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", date(\"LocalDate\", 'start of month'), COALESCE(\"EventId\", 0), \"Kind\"");
            migrationBuilder.Sql("INSERT INTO \"LedgerReleaseTotals\" (\"OrganizerId\", \"ReleaseState\", \"ReleaseLocalDate\", \"Entries\", \"Sales\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01'), COUNT(*), SUM(CASE WHEN \"Kind\" = 'Sale' THEN 1 ELSE 0 END), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01')");
            migrationBuilder.Sql("INSERT INTO \"LedgerMethodDayTotals\" (\"OrganizerId\", \"LocalDate\", \"Kind\", \"PaymentMethodId\", \"PaymentTypeId\", \"Entries\", \"Sales\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", \"LocalDate\", \"Kind\", COALESCE(\"PaymentMethodId\", ''), COALESCE(\"PaymentTypeId\", ''), COUNT(*), SUM(CASE WHEN \"Kind\" = 'Sale' THEN 1 ELSE 0 END), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", \"LocalDate\", \"Kind\", COALESCE(\"PaymentMethodId\", ''), COALESCE(\"PaymentTypeId\", '')");
            migrationBuilder.Sql("INSERT INTO \"LedgerEventReleaseTotals\" (\"OrganizerId\", \"EventId\", \"ReleaseState\", \"ReleaseLocalDate\", \"Entries\", \"Sales\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", COALESCE(\"EventId\", 0), \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01'), COUNT(*), SUM(CASE WHEN \"Kind\" = 'Sale' THEN 1 ELSE 0 END), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", COALESCE(\"EventId\", 0), \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LedgerDayTotals");

            migrationBuilder.DropTable(
                name: "LedgerEventDayTotals");

            migrationBuilder.DropTable(
                name: "LedgerEventMonthTotals");

            migrationBuilder.DropTable(
                name: "LedgerEventReleaseTotals");

            migrationBuilder.DropTable(
                name: "LedgerMethodDayTotals");

            migrationBuilder.DropTable(
                name: "LedgerReleaseTotals");

            migrationBuilder.CreateTable(
                name: "LedgerDailyRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CommissionBaseCents = table.Column<long>(type: "INTEGER", nullable: false),
                    CommissionIgvCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<int>(type: "INTEGER", nullable: false),
                    EventId = table.Column<int>(type: "INTEGER", nullable: false),
                    GrossCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    MercadoPagoFeeCents = table.Column<long>(type: "INTEGER", nullable: false),
                    NetCents = table.Column<long>(type: "INTEGER", nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    OtherFeesCents = table.Column<long>(type: "INTEGER", nullable: false),
                    PaymentMethodId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PaymentTypeId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReleaseLocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ReleaseState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Tickets = table.Column<int>(type: "INTEGER", nullable: false),
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

            migrationBuilder.Sql("INSERT INTO \"LedgerDailyRollups\" (\"OrganizerId\", \"LocalDate\", \"EventId\", \"Kind\", \"PaymentMethodId\", \"PaymentTypeId\", \"ReleaseState\", \"ReleaseLocalDate\", \"Entries\", \"Tickets\", \"GrossCents\", \"MercadoPagoFeeCents\", \"CommissionBaseCents\", \"CommissionIgvCents\", \"OtherFeesCents\", \"NetCents\", \"Version\") SELECT \"OrganizerId\", \"LocalDate\", COALESCE(\"EventId\", 0), \"Kind\", COALESCE(\"PaymentMethodId\", ''), COALESCE(\"PaymentTypeId\", ''), \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01'), COUNT(*), SUM(\"Tickets\"), SUM(\"GrossCents\"), SUM(\"MercadoPagoFeeCents\"), SUM(\"CommissionBaseCents\"), SUM(\"CommissionIgvCents\"), SUM(\"OtherFeesCents\"), SUM(\"NetCents\"), 0 FROM \"LedgerEntries\" WHERE \"Currency\" = 'PEN' GROUP BY \"OrganizerId\", \"LocalDate\", COALESCE(\"EventId\", 0), \"Kind\", COALESCE(\"PaymentMethodId\", ''), COALESCE(\"PaymentTypeId\", ''), \"ReleaseState\", COALESCE(\"ReleaseLocalDate\", '0001-01-01')");
        }
    }
}
