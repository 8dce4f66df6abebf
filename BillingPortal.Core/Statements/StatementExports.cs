using System.Security.Cryptography;
using System.Text;
using BillingPortal.Core.Data;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Statements.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingPortal.Core.Statements;

/// <summary>What a statement request turned into.</summary>
public abstract record StatementExportDecision
{
    /// <summary>Small enough: render <see cref="Document"/> into the response now.</summary>
    public sealed record Immediate(StatementDocument Document, string FileName) : StatementExportDecision;

    /// <summary>Large: queued for the background worker; the page follows its progress.</summary>
    public sealed record Queued(StatementExport Export) : StatementExportDecision;

    /// <summary>The organizer or the event does not exist (or is not the caller's).</summary>
    public sealed record NotFound : StatementExportDecision;

    /// <summary>The request cannot be served in that format (a PDF above <see cref="StatementOptions.MaxPdfLines"/>).</summary>
    public sealed record Refused(string Field, string Message) : StatementExportDecision;
}

/// <summary>
/// Statement files: the decision between streaming now and generating in the background, the background generation
/// itself (lease, progress, file, checksums), monthly statements (numbered, generated once), the organizer's list,
/// downloads and the expiry sweep. Every method takes the organizer id its caller has authorised.
/// </summary>
public sealed class StatementExports(
    IDbContextFactory<BillingDbContext> factory,
    StatementComposer composer,
    TimeProvider time,
    IOptions<StatementOptions> options,
    ILogger<StatementExports> logger,
    StatementExportNotifier notifier)
{
    private StatementOptions Options => options.Value;

    /// <summary>Parses <c>pdf</c>, <c>xlsx</c>/<c>excel</c>, <c>csv</c>; null when unknown.</summary>
    public static StatementFormat? ParseFormat(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "pdf" => StatementFormat.Pdf,
        "xlsx" or "excel" => StatementFormat.Xlsx,
        "csv" => StatementFormat.Csv,
        _ => null,
    };

    public static string Extension(StatementFormat format) => format switch
    {
        StatementFormat.Pdf => "pdf",
        StatementFormat.Xlsx => "xlsx",
        _ => "csv",
    };

    public static string ContentType(StatementFormat format) => format switch
    {
        StatementFormat.Pdf => "application/pdf",
        StatementFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/csv; charset=utf-8",
    };

    /// <summary>Renders a composed statement in a format into <paramref name="output"/>.</summary>
    public static Task RenderAsync(StatementDocument document, StatementFormat format, char separator, Stream output, CancellationToken cancellationToken) => format switch
    {
        StatementFormat.Pdf => PdfStatementRenderer.RenderAsync(document, output, cancellationToken),
        StatementFormat.Xlsx => ExcelStatementRenderer.RenderAsync(document, output, cancellationToken),
        _ => CsvStatementRenderer.RenderAsync(document, output, separator, cancellationToken),
    };

    /// <summary>
    /// <c>estado-de-cuenta_{organizador}_{desde}_{hasta}[_evento-{id}].{ext}</c>: ASCII, lower case, no spaces, so every
    /// browser and mail client keeps it.
    /// </summary>
    public static string FileNameFor(string organizerLegalName, StatementRequest request, StatementFormat format)
    {
        ArgumentNullException.ThrowIfNull(organizerLegalName);
        ArgumentNullException.ThrowIfNull(request);
        var slug = Slug(organizerLegalName);
        var name = $"estado-de-cuenta_{slug}_{request.Period.From:yyyy-MM-dd}_{request.Period.To:yyyy-MM-dd}";
        if (request.EventId is { } id) name += "_evento-" + id.ToString(CultureInfo.InvariantCulture);
        return name + "." + Extension(format);
    }

    /// <summary>Streams small statements, queues large ones (validated: the caller has checked the period's shape).</summary>
    public async Task<StatementExportDecision> RequestAsync(OrganizerAccess access, StatementRequest request, StatementFormat format, char separator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(request);
        if (request.OrganizerId != access.OrganizerId) return new StatementExportDecision.NotFound();
        // Measure first: a large statement is only counted here and composed once, by the background job.
        if (await composer.MeasureAsync(request, cancellationToken) is not { } measure) return new StatementExportDecision.NotFound();
        var (legalName, lines) = measure;
        if (format == StatementFormat.Pdf && lines > Options.MaxPdfLines)
        {
            return new StatementExportDecision.Refused("formato",
                $"El PDF admite hasta {Options.MaxPdfLines.ToString("#,##0", CultureInfo.InvariantCulture)} movimientos y este estado de cuenta tiene " +
                $"{lines.ToString("#,##0", CultureInfo.InvariantCulture)}: descárguelo en Excel o CSV, o elija un periodo más corto.");
        }

        var fileName = FileNameFor(legalName, request, format);
        if (lines <= Options.BackgroundThresholdLines)
        {
            return await composer.ComposeAsync(request, cancellationToken) is { } document
                ? new StatementExportDecision.Immediate(document, fileName)
                : new StatementExportDecision.NotFound();
        }

        var export = new StatementExport
        {
            Id = Guid.NewGuid(),
            OrganizerId = access.OrganizerId,
            RequestedByUserId = access.UserId,
            Kind = StatementExportKind.OnDemand,
            PeriodFrom = request.Period.From,
            PeriodTo = request.Period.To,
            EventId = request.EventId,
            Format = format,
            CsvSeparator = format == StatementFormat.Csv ? separator.ToString() : null,
            Status = StatementExportStatus.Queued,
            LinesTotal = lines,
            FileName = fileName,
            CreatedAt = time.GetUtcNow(),
        };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.StatementExports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Statement export {ExportId} queued for organizer {OrganizerId}: {Lines} lines, {Format}", export.Id, export.OrganizerId, export.LinesTotal, format);
        return new StatementExportDecision.Queued(export);
    }

    /// <summary>
    /// The monthly statement of a month in a format: generated (numbered, in the background worker's way) if it does not
    /// exist yet, otherwise the existing one, never regenerated.
    /// </summary>
    public async Task<StatementExport> EnsureMonthlyAsync(int organizerId, int year, int month, StatementFormat format, CancellationToken cancellationToken)
    {
        StatementExport? existing;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var from = new DateOnly(year, month, 1);
            existing = await db.StatementExports.AsNoTracking().FirstOrDefaultAsync(
                e => e.OrganizerId == organizerId && e.Kind == StatementExportKind.Monthly && e.PeriodFrom == from && e.Format == format, cancellationToken);
            if (existing is { Status: StatementExportStatus.Completed }) return existing;
            if (existing is null)
            {
                var organizer = await db.Organizers.AsNoTracking().FirstAsync(o => o.Id == organizerId, cancellationToken);
                var request = new StatementRequest(organizerId, Common.DatePeriod.Month(year, month));
                existing = new StatementExport
                {
                    Id = Guid.NewGuid(),
                    OrganizerId = organizerId,
                    Kind = StatementExportKind.Monthly,
                    PeriodFrom = request.Period.From,
                    PeriodTo = request.Period.To,
                    Format = format,
                    CsvSeparator = format == StatementFormat.Csv ? "," : null,
                    Number = MonthlyNumber(organizerId, year, month),
                    Status = StatementExportStatus.Queued,
                    FileName = FileNameFor(organizer.LegalName, request, format),
                    CreatedAt = time.GetUtcNow(),
                };
                db.StatementExports.Add(existing);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another instance created it first (the unique monthly index): use theirs.
                    await using var again = await factory.CreateDbContextAsync(cancellationToken);
                    return await again.StatementExports.AsNoTracking().FirstAsync(
                        e => e.OrganizerId == organizerId && e.Kind == StatementExportKind.Monthly && e.PeriodFrom == from && e.Format == format, cancellationToken);
                }
            }
        }

        var id = existing.Id;
        return await ClaimAsync(id, cancellationToken) is { } claimed
            ? await GenerateAsync(claimed, cancellationToken)
            : await GetAsync(organizerId, id, cancellationToken) ?? existing;
    }

    /// <summary><c>EC-{yyyy}-{MM}-{organizer:D6}</c>.</summary>
    public static string MonthlyNumber(int organizerId, int year, int month) =>
        string.Create(CultureInfo.InvariantCulture, $"EC-{year:D4}-{month:D2}-{organizerId:D6}");

    /// <summary>Takes the oldest waiting export (or one whose worker's lease ran out) and generates it; false when none waits.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        if (await ClaimAsync(null, cancellationToken) is not { } id) return false;
        await GenerateAsync(id, cancellationToken);
        return true;
    }

    /// <summary>The organizer's exports, newest first.</summary>
    public async Task<IReadOnlyList<StatementExport>> ListAsync(int organizerId, int take, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.StatementExports.AsNoTracking().Where(e => e.OrganizerId == organizerId)
            .OrderByDescending(e => e.CreatedAt).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
    }

    /// <summary>One export of the organizer, or null.</summary>
    public async Task<StatementExport?> GetAsync(int organizerId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.StatementExports.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.OrganizerId == organizerId, cancellationToken);
    }

    /// <summary>The file of a completed export of the organizer (read-only stream), or null.</summary>
    public async Task<(StatementExport Export, Stream Content)?> OpenAsync(int organizerId, Guid id, CancellationToken cancellationToken)
    {
        var export = await GetAsync(organizerId, id, cancellationToken);
        if (export is not { Status: StatementExportStatus.Completed, StoragePath: { } relative }) return null;
        var path = Path.Combine(Options.ResolvedDirectory, relative);
        if (!File.Exists(path)) return null;
        return (export, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
    }

    /// <summary>Deletes the files of on-demand exports past their expiry and marks them expired; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var expired = await db.StatementExports.Where(e => e.ExpiresAt != null && e.ExpiresAt < now && e.Status == StatementExportStatus.Completed)
            .ToListAsync(cancellationToken);
        foreach (var export in expired)
        {
            if (export.StoragePath is { } relative) File.Delete(Path.Combine(Options.ResolvedDirectory, relative));
            export.Status = StatementExportStatus.Expired;
            export.StoragePath = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        return expired.Count;
    }

    /// <summary>Claims an export for this worker (one statement: a second worker's claim of the same row changes nothing).</summary>
    private async Task<Guid?> ClaimAsync(Guid? onlyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var maxAttempts = Options.MaxAttempts;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var candidates = db.StatementExports.AsNoTracking()
            .Where(e => (e.Status == StatementExportStatus.Queued || (e.Status == StatementExportStatus.Running && e.LeaseUntil < now)) && e.Attempts < maxAttempts);
        if (onlyId is { } only) candidates = candidates.Where(e => e.Id == only);
        var ids = await candidates.OrderBy(e => e.CreatedAt).Select(e => e.Id).Take(5).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            var lease = now + Options.LeaseDuration;
            var claimed = await db.StatementExports
                .Where(e => e.Id == id && (e.Status == StatementExportStatus.Queued || (e.Status == StatementExportStatus.Running && e.LeaseUntil < now)))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(e => e.Status, StatementExportStatus.Running)
                    .SetProperty(e => e.LeaseUntil, lease)
                    .SetProperty(e => e.StartedAt, now)
                    .SetProperty(e => e.LinesWritten, 0L)
                    .SetProperty(e => e.Attempts, e => e.Attempts + 1), cancellationToken);
            if (claimed == 1) return id;
        }

        return null;
    }

    /// <summary>Generates a claimed export into its file: progress as it goes, checksums, completed (or back to the queue).</summary>
    private async Task<StatementExport> GenerateAsync(Guid id, CancellationToken cancellationToken)
    {
        StatementExport export;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            export = await db.StatementExports.AsNoTracking().FirstAsync(e => e.Id == id, cancellationToken);
        }

        var directory = Path.Combine(Options.ResolvedDirectory, export.OrganizerId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        var relative = Path.Combine(export.OrganizerId.ToString(CultureInfo.InvariantCulture), $"{export.Id:N}.{Extension(export.Format)}");
        var final = Path.Combine(Options.ResolvedDirectory, relative);
        var temporary = final + ".part";
        try
        {
            var request = new StatementRequest(export.OrganizerId, new Common.DatePeriod(export.PeriodFrom, export.PeriodTo), export.EventId);
            var document = await composer.ComposeAsync(request, cancellationToken, export.Number)
                           ?? throw new StatementGenerationException("El organizador o el evento ya no existe.");
            var progress = new ProgressReporter(factory, export.Id, document.LineCount);
            using var figures = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            AppendFigures(figures, document);
            var counted = document with { Lines = ct => CountAsync(document.Lines(ct), progress, figures, ct) };
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await RenderAsync(counted, export.Format, export.CsvSeparator is [var c] ? c : ',', file, cancellationToken);
            }

            string sha;
            await using (var file = File.OpenRead(temporary)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            File.Move(temporary, final, overwrite: true);
            var now = time.GetUtcNow();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var row = await db.StatementExports.FirstAsync(e => e.Id == id, cancellationToken);
            row.Status = StatementExportStatus.Completed;
            row.LinesTotal = document.LineCount;
            row.LinesWritten = progress.Written;
            row.StoragePath = relative;
            row.SizeBytes = new FileInfo(final).Length;
            row.Sha256 = sha;
            row.FiguresSha256 = Convert.ToHexStringLower(figures.GetHashAndReset());
            row.CompletedAt = now;
            row.LeaseUntil = null;
            row.Error = null;
            row.ExpiresAt = row.Kind == StatementExportKind.OnDemand ? now.AddDays(Options.RetentionDays) : null;
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Statement export {ExportId} of organizer {OrganizerId} completed: {Lines} lines, {Bytes} bytes",
                row.Id, row.OrganizerId, row.LinesWritten, row.SizeBytes);
            notifier.Publish(new StatementExportFinished(row.OrganizerId, row.Id, row.FileName, row.Format, row.Status));
            return row;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            File.Delete(temporary);
            logger.LogError(ex, "Statement export {ExportId} of organizer {OrganizerId} failed", export.Id, export.OrganizerId);
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            var row = await db.StatementExports.FirstAsync(e => e.Id == id, CancellationToken.None);
            row.Status = row.Attempts >= Options.MaxAttempts ? StatementExportStatus.Failed : StatementExportStatus.Queued;
            row.LeaseUntil = null;
            row.Error = ex is StatementGenerationException ? ex.Message : "No se pudo generar el archivo; se volverá a intentar.";
            await db.SaveChangesAsync(CancellationToken.None);
            if (row.Status == StatementExportStatus.Failed) notifier.Publish(new StatementExportFinished(row.OrganizerId, row.Id, row.FileName, row.Format, row.Status));
            return row;
        }
    }

    private static async IAsyncEnumerable<StatementLine> CountAsync(IAsyncEnumerable<StatementLine> lines, ProgressReporter progress, IncrementalHash figures,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            AppendLine(figures, line);
            yield return line;
            await progress.AdvanceAsync(cancellationToken);
        }
    }

    /// <summary>Writes the lines written so far to the row every 1% (at least every 2,000 lines), for the page's progress bar.</summary>
    private sealed class ProgressReporter(IDbContextFactory<BillingDbContext> factory, Guid id, long total)
    {
        private readonly long _step = Math.Max(2_000, total / 100);

        public long Written { get; private set; }

        public async ValueTask AdvanceAsync(CancellationToken cancellationToken)
        {
            Written++;
            if (Written % _step != 0) return;
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var written = Written;
            await db.StatementExports.Where(e => e.Id == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.LinesWritten, written), cancellationToken);
        }
    }

    private static string Slug(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(normalized.Length);
        var dash = false;
        foreach (var c in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                dash = false;
            }
            else if (!dash && builder.Length > 0)
            {
                builder.Append('-');
                dash = true;
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "organizador" : slug.Length <= 60 ? slug : slug[..60].TrimEnd('-');
    }

    /// <summary>
    /// The statement's figures as hashed into <see cref="StatementExport.FiguresSha256"/>: the summary, the per-event rows
    /// and every line's date, payment, kind and money. The ledger never rewrites a closed period, so a month's hash does
    /// not change (the balance as of a date and the payments' current statuses are shown but not part of it).
    /// </summary>
    private static void AppendFigures(IncrementalHash hash, StatementDocument document)
    {
        var s = document.Summary;
        Append(hash, string.Join('|', s.Sales, s.TicketsSold, s.GrossSales, s.Refunds, s.Chargebacks, s.MercadoPagoFees, s.CommissionBase, s.CommissionIgv, s.OtherFees, s.Net));
        foreach (var e in document.ByEvent) Append(hash, string.Join('|', e.Key, e.Sales, e.GrossSales, e.Refunds, e.Chargebacks, e.MercadoPagoFees, e.Commission, e.Net));
    }

    private static void AppendLine(IncrementalHash hash, StatementLine l) =>
        Append(hash, string.Join('|', l.LocalDateTime.ToString("O", CultureInfo.InvariantCulture), l.PaymentId, l.Kind, l.Gross, l.MercadoPagoFee, l.CommissionBase,
            l.CommissionIgv, l.OtherFees, l.Net));

    private static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
}

/// <summary>A generation failure whose Spanish message can be shown as it is.</summary>
public sealed class StatementGenerationException(string message) : Exception(message);
