using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BillingPortal.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MercadoPagoLinking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdminAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Occurrences = table.Column<int>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdminAlerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdminAlerts_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MercadoPagoAuthorizationRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StateHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    CodeVerifierCiphertext = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RedirectUri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConsumedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MercadoPagoAuthorizationRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MercadoPagoAuthorizationRequests_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MercadoPagoAuthorizationRequests_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MercadoPagoLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MercadoPagoUserId = table.Column<long>(type: "INTEGER", nullable: false),
                    AccountNickname = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PublicKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LiveMode = table.Column<bool>(type: "INTEGER", nullable: false),
                    AccessTokenCiphertext = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RefreshTokenCiphertext = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AccessTokenExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LinkedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LinkedByUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    LastRenewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RenewalDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RenewalFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    LastErrorCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StatusChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RenewalLeaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RenewalLeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MercadoPagoLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MercadoPagoLinks_Organizers_OrganizerId",
                        column: x => x.OrganizerId,
                        principalTable: "Organizers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MercadoPagoLinks_Users_LinkedByUserId",
                        column: x => x.LinkedByUserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdminAlerts_Key_ResolvedAt",
                table: "AdminAlerts",
                columns: new[] { "Key", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AdminAlerts_OrganizerId",
                table: "AdminAlerts",
                column: "OrganizerId");

            migrationBuilder.CreateIndex(
                name: "IX_AdminAlerts_ResolvedAt_LastSeenAt",
                table: "AdminAlerts",
                columns: new[] { "ResolvedAt", "LastSeenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoAuthorizationRequests_ExpiresAt",
                table: "MercadoPagoAuthorizationRequests",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoAuthorizationRequests_OrganizerId",
                table: "MercadoPagoAuthorizationRequests",
                column: "OrganizerId");

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoAuthorizationRequests_StateHash",
                table: "MercadoPagoAuthorizationRequests",
                column: "StateHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoAuthorizationRequests_UserId",
                table: "MercadoPagoAuthorizationRequests",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoLinks_LinkedByUserId",
                table: "MercadoPagoLinks",
                column: "LinkedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoLinks_MercadoPagoUserId",
                table: "MercadoPagoLinks",
                column: "MercadoPagoUserId");

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoLinks_OrganizerId",
                table: "MercadoPagoLinks",
                column: "OrganizerId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MercadoPagoLinks_Status_RenewalDueAt",
                table: "MercadoPagoLinks",
                columns: new[] { "Status", "RenewalDueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdminAlerts");

            migrationBuilder.DropTable(
                name: "MercadoPagoAuthorizationRequests");

            migrationBuilder.DropTable(
                name: "MercadoPagoLinks");
        }
    }
}
