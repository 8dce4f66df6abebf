using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PaymentSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MercadoPagoSyncRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OrganizerId = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    WindowFrom = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    WindowTo = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CursorBefore = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CursorAfter = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Pages = table.Column<int>(type: "int", nullable: false),
                    PaymentsSeen = table.Column<int>(type: "int", nullable: false),
                    PaymentsNew = table.Column<int>(type: "int", nullable: false),
                    PaymentsChanged = table.Column<int>(type: "int", nullable: false),
                    Errors = table.Column<int>(type: "int", nullable: false),
                    ErrorCode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    ErrorMessage = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    TriggeredByUserId = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MercadoPagoSyncRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MercadoPagoSyncRuns_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MercadoPagoSyncStates",
                columns: table => new
                {
                    OrganizerId = table.Column<int>(type: "int", nullable: false),
                    Cursor = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    InitialSyncCompletedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastRunStartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastSuccessAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastFailureAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "int", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastErrorCode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    LastErrorMessage = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    LastManualSyncAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastReconciliationAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LeaseId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MercadoPagoSyncStates", x => x.OrganizerId);
                    table.ForeignKey(
                        name: "FK_MercadoPagoSyncStates_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WebhookInbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DedupKey = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Topic = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Action = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    ResourceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    SellerUserId = table.Column<long>(type: "bigint", nullable: true),
                    OrganizerId = table.Column<int>(type: "int", nullable: true),
                    RequestId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    LiveMode = table.Column<bool>(type: "bit", nullable: false),
                    NotifiedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Duplicates = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookInbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WebhookInbox_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoSyncRuns_OrganizerId_StartedAt",
                table: "MercadoPagoSyncRuns",
                columns: new[] { "OrganizerId", "StartedAt" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoSyncRuns_Status_StartedAt",
                table: "MercadoPagoSyncRuns",
                columns: new[] { "Status", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoSyncStates_NextAttemptAt",
                table: "MercadoPagoSyncStates",
                column: "NextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookInbox_DedupKey",
                table: "WebhookInbox",
                column: "DedupKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookInbox_OrganizerId",
                table: "WebhookInbox",
                column: "OrganizerId");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookInbox_ReceivedAt",
                table: "WebhookInbox",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookInbox_Status_NextAttemptAt",
                table: "WebhookInbox",
                columns: new[] { "Status", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MercadoPagoSyncRuns");

            migrationBuilder.DropTable(
                name: "MercadoPagoSyncStates");

            migrationBuilder.DropTable(
                name: "WebhookInbox");
        }
    }
}
